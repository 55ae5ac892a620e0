"""Text the web layer writes in Python reaches the reader through gettext: a flash message, a
page title handed to a template, a refusal raised by a service. A bare English literal there reads
English on a Spanish page, and the catalogue's completeness test cannot see it (it was never
marked). This walks the web package's source and names every such literal."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

import offlabel.web

WEB = Path(offlabel.web.__file__).parent
FLASH = {"success", "error", "info", "warning", "debug"}
REFUSALS = {"ValidationError", "PermissionDenied"}
TITLE_KEYS = {"title", "heading"}
#: Calls whose dict argument is a template context.
RENDERS = {"render", "render_to_string", "TemplateResponse"}


def _literal_text(node: ast.AST | None) -> bool:
    """True when the expression is text written here in English: a string constant, an f-string
    or a concatenation or choice of them (never a gettext call, a variable or str(error))."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(part, ast.Constant) and any(c.isalpha() for c in str(part.value))
            for part in node.values
        )
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left) or _literal_text(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_text(node.body) or _literal_text(node.orelse)
    return False


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _findings(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            is_flash = (
                isinstance(func, ast.Attribute)
                and func.attr in FLASH
                and _name(func.value) == "messages"
            )
            if is_flash and len(node.args) >= 2 and _literal_text(node.args[1]):
                found.append((node.lineno, f"messages.{_name(func)}"))
            if _name(func) in REFUSALS and node.args:
                first = node.args[0]
                values = first.values if isinstance(first, ast.Dict) else [first]
                if any(_literal_text(value) for value in values):
                    found.append((node.lineno, _name(func)))
            if _name(func) == "_render" and len(node.args) >= 3 and _literal_text(node.args[2]):
                found.append((node.lineno, "page title"))
        if isinstance(node, ast.Call) and _name(node.func) in RENDERS:
            contexts = [*node.args, *(k.value for k in node.keywords)]
            for context in (c for c in contexts if isinstance(c, ast.Dict)):
                for key, value in zip(context.keys, context.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value in TITLE_KEYS
                        and _literal_text(value)
                    ):
                        found.append((node.lineno, f"context {key.value!r}"))
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if (
                isinstance(target, ast.Name)
                and target.id in TITLE_KEYS
                and _literal_text(node.value)
            ):
                found.append((node.lineno, "page title"))
    return sorted(found)


def _sources() -> list[Path]:
    return [
        path
        for path in sorted(WEB.rglob("*.py"))
        if "migrations" not in path.parts and not path.name.startswith("demo")
    ]


def test_the_walk_sees_each_kind_of_english_literal() -> None:
    """The check itself: each shape it must catch is caught, and gettext'd text is not."""
    caught = _findings(
        ast.parse(
            "messages.success(request, f'Deleted {entry}.')\n"
            "messages.error(request, 'Gone.' if x else 'Kept.')\n"
            "raise ValidationError('Too long.')\n"
            "raise PermissionDenied('Not yours' + '.')\n"
            "raise ValidationError({'scopes': 'Choose one.'})\n"
            "_render(request, form, 'Add a treatment', subject)\n"
            "render(request, 't.html', {'title': 'Edit record'})\n"
            "title = 'Your record'\n"
        )
    )
    assert [kind for _, kind in caught] == [
        "messages.success",
        "messages.error",
        "ValidationError",
        "PermissionDenied",
        "ValidationError",
        "page title",
        "context 'title'",
        "page title",
    ]
    assert not _findings(
        ast.parse(
            "messages.success(request, _('Saved.'))\n"
            "messages.error(request, str(error))\n"
            "raise ValidationError(_('Too long: %(n)s') % {'n': 3})\n"
            "_render(request, form, _('Add a treatment'), subject)\n"
            "title = gettext('Your record')\n"
        )
    )


def test_no_english_literal_reaches_a_reader_past_gettext() -> None:
    offenders = [
        f"{path.relative_to(WEB)}:{line} {kind}"
        for path in _sources()
        for line, kind in _findings(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == [], "\n".join(offenders)


@pytest.mark.django_db
def test_a_flash_message_and_a_form_title_read_in_spanish(world: Any) -> None:
    """What the walk guards, seen by a reader: the owner sets reminders and opens the
    treatment form on a Spanish page."""
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(world.owner)
    dog = world.dog
    page = client.post(
        reverse("registry:reminder_set", kwargs={"public_id": dog.public_id}),
        {"months": "3"},
        follow=True,
    ).content.decode()
    assert "Se lo recordaremos cada 3 meses." in page and "remind you" not in page
    form = client.get(reverse("registry:course_new", kwargs={"public_id": dog.public_id}))
    assert "<h1>Añadir un tratamiento</h1>" in form.content.decode()
