"""The policy documents people agree to (privacy notice, terms), versioned as data.

``policies/policies.toml`` names each document's current version and its file; every version's
text stays in ``policies/`` so what someone agreed to can always be read again. A translation
of a version sits beside it (``privacy-v1.es.md``) and is shown to readers of that language.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language, gettext_noop

from offlabel.web.common.markup import render_markdown


@dataclass(frozen=True)
class Policy:
    key: str
    title: str
    version: int
    file: str
    published: str

    def text(self) -> str:
        """The document in the reader's language where a translation sits beside it
        (``privacy-v1.es.md`` for ``privacy-v1.md``), else as agreed to (English)."""
        language = (get_language() or "").split("-")[0]
        original = _directory() / self.file
        translated = original.with_suffix(f".{language}{original.suffix}")
        if language and translated.is_file():
            return translated.read_text(encoding="utf-8")
        return original.read_text(encoding="utf-8")

    def html(self) -> str:
        return render_markdown(self.text())


def _directory() -> Path:
    return Path(str(resources.files("offlabel.web.accounts") / "policies"))


# The titles in policies.toml, named here for the translation catalogue (shown via gettext).
POLICY_TITLES = (gettext_noop("Privacy notice"), gettext_noop("Terms of use"))


@cache
def current_policies() -> tuple[Policy, ...]:
    """Every document people must agree to, at its current version (loaded once)."""
    data = tomllib.loads((_directory() / "policies.toml").read_text(encoding="utf-8"))
    policies = []
    for key, entry in data.items():
        policy = Policy(
            key=key,
            title=str(entry["title"]),
            version=int(entry["version"]),
            file=str(entry["file"]),
            published=str(entry["published"]),
        )
        if not (_directory() / policy.file).is_file():
            raise ImproperlyConfigured(f"policies.toml: {policy.file} is missing")
        policies.append(policy)
    return tuple(policies)


def policy(key: str) -> Policy:
    for item in current_policies():
        if item.key == key:
            return item
    raise KeyError(key)
