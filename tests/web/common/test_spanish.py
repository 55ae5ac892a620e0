"""The Spanish catalogue: complete, compiled as written, and used by the pages."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.test import Client

import offlabel.web

LOCALE = Path(offlabel.web.__file__).parent / "locale" / "es" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalogue() -> list[dict[str, object]]:
    """The .po file's entries (msgid, msgid_plural, msgstr forms, flags), obsolete ones left out."""
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    field = ""
    for line in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines():
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            current = {"flags": line}
            continue
        match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$', line)
        if match:
            field = match.group(1)
            if field == "msgid":
                current = {"flags": current.get("flags", "")} if "msgid" not in current else {}
                entries.append(current)
            current[field] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and field:
            current[field] = str(current[field]) + ast.literal_eval(line)
        elif not line.strip():
            current, field = {}, ""
    return [e for e in entries if e.get("msgid")]


def test_every_message_has_a_spanish_translation() -> None:
    entries = _catalogue()
    assert len(entries) > 1000
    untranslated = [
        e["msgid"] for e in entries if not any(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert untranslated == []
    assert [e["msgid"] for e in entries if "fuzzy" in str(e["flags"])] == []


def test_translations_keep_every_placeholder() -> None:
    """A plural entry's first form answers its singular, the other forms its plural (a singular
    may say "every month" where the plural says "every %(n)s months")."""
    for entry in _catalogue():
        singular = set(PLACEHOLDER.findall(str(entry["msgid"])))
        plural = set(PLACEHOLDER.findall(str(entry.get("msgid_plural", entry["msgid"]))))
        for key, value in entry.items():
            if key.startswith("msgstr"):
                wanted = singular if key in ("msgstr", "msgstr[0]") else plural
                assert set(PLACEHOLDER.findall(str(value))) == wanted, entry["msgid"]


def test_the_committed_mo_file_is_the_po_file_compiled() -> None:
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in _catalogue():
        msgid = str(entry["msgid"])
        if "msgid_plural" in entry:
            plural = str(entry["msgid_plural"])
            assert compiled.ngettext(msgid, plural, 1) == entry["msgstr[0]"]
            assert compiled.ngettext(msgid, plural, 5) == entry["msgstr[2]"]
        else:
            assert compiled.gettext(msgid) == entry["msgstr"], msgid


@pytest.mark.django_db
def test_a_page_asked_for_in_spanish_is_in_spanish(world: object) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="es").get("/")
    html = page.content.decode()
    assert '<html lang="es">' in html
    assert "Lo que realmente se sabe" in html
    assert "Iniciar sesión" in html and "Sign in" not in html
    assert page["Content-Language"] == "es"
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    assert '<html lang="en">' in english and "What is really known" in english


@pytest.mark.django_db
def test_the_switcher_sets_the_language_and_returns_to_the_page(world: object) -> None:
    client = Client()
    response = client.get("/language/es/?next=/reviews/")
    assert response.status_code == 302 and response["Location"] == "/reviews/"
    assert "Revisiones de las pruebas" in client.get("/reviews/").content.decode()
    # back to English, and an address elsewhere is not followed
    response = client.get("/language/en/?next=https://elsewhere.example/")
    assert response["Location"] == "/"
    assert "Evidence reviews" in client.get("/reviews/").content.decode()
    assert client.get("/language/fr/").status_code == 404


@pytest.mark.django_db
def test_cached_public_pages_are_kept_per_language(world: object) -> None:
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es")
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(2):  # the second round is served from the page cache
        assert "Acerca de offlabel" in spanish.get("/about/").content.decode()
        assert "About offlabel" in english.get("/about/").content.decode()
    assert "Accept-Language" in english.get("/about/")["Vary"]


@pytest.mark.django_db
def test_form_labels_and_messages_are_translated(world: object) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="es").get("/accounts/login/").content.decode()
    assert "Dirección de correo electrónico" in page and "Contraseña" in page


#: Marked strings written as one literal: {% translate "…" %} in templates, _("…") in Python.
_MARKED = (
    re.compile(r'{%\s*translate\s+"((?:[^"\\]|\\.)*)"'),
    re.compile(r'\b(?:_|gettext_lazy|gettext|pgettext_lazy)\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]'),
)


def test_every_marked_string_is_in_the_catalogue() -> None:
    """A string marked for translation but missing from django.po shows in English on a
    Spanish page without a word; `make messages` then adds it, and the test above asks for
    its translation."""
    web = Path(offlabel.web.__file__).parent
    msgids = {str(e["msgid"]) for e in _catalogue()}
    missing = sorted(
        f"{path.relative_to(web)}: {text}"
        for path in [*web.rglob("*.html"), *web.rglob("*.py"), *web.rglob("*.txt")]
        if "migrations" not in path.parts
        for pattern in _MARKED
        for text in pattern.findall(path.read_text(encoding="utf-8"))
        if not {(plain := text.replace('\\"', '"')), plain.replace("%", "%%")} & msgids
    )
    assert missing == []


@pytest.mark.django_db
def test_the_dm_topic_panel_is_in_spanish(demo_site: None) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="es").get(
        "/topics/low-dose-naltrexone-degenerative-myelopathy/"
    )
    html = page.content.decode()
    assert "Resultado principal" in html and "Primary result" not in html
    assert "alguna vez tratados" in html and "ever treated" not in html


BRACES = re.compile(r"\{(\w+)")


def test_translations_of_the_cores_templates_keep_their_placeholders() -> None:
    """A template of the core (``{n:count:subject}``) is filled with the numbers of the English
    sentence: a Spanish one that lost or misspelt a name would fail to fill."""
    from offlabel.web.common.wording import templates

    msgids = {str(e["msgid"]): e for e in _catalogue()}
    for template in templates():
        entry = msgids[template]  # every template is in the catalogue
        assert set(BRACES.findall(str(entry["msgstr"]))) <= set(BRACES.findall(template)), template


def test_every_label_of_the_cores_vocabulary_is_in_the_catalogue() -> None:
    from enum import StrEnum

    from offlabel.evidence import vocabulary as evidence
    from offlabel.outcomes.runner import LABELS
    from offlabel.registry import vocabulary as registry

    msgids = {str(e["msgid"]) for e in _catalogue()}
    labels = {
        str(member.label)
        for module in (evidence, registry)
        for enum in vars(module).values()
        if isinstance(enum, type) and issubclass(enum, StrEnum) and enum is not StrEnum
        for member in enum
        if hasattr(member, "label")
    } | set(LABELS.values())
    assert len(labels) > 60
    assert sorted(labels - msgids) == []
