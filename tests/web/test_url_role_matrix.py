"""Every URL pattern of the site × every role, with ids from two owners' records.

The patterns come from the URL resolver (the admin's included), so a new URL is covered without
touching this test. Each pattern's parameters are filled from the :class:`World`: once with the
owner's dog and its entries, once with the other owner's dog (shared with no one). An admin
URL of a registered model names a real object: for registry records (and accounts) the
owner's and the other owner's, for the rest the model's first row. Every role of
``tests.support.accounts.ROLES`` then GETs every URL — the staff editor (the "Editors" group)
and the operator's superuser (``createsuperuser``) included, so the admin's change lists,
change forms, history and delete pages are reached as them. Asserted:

- no response is a server error (500);
- no response but the other owner's own shows the other dog's record: its public id or its
  name never appear in a ``200``, and a URL that names the other dog's record (its public id,
  an invitation token of it, or an admin page of it or of its entries) answers nobody else with
  ``200`` — except, in the admin only, the superuser, who reads every record there;
- registry records and the audit trail are read-only in the admin for everyone: no add,
  change or delete form of them answers ``200`` with a save button.

It costs about 6,700 requests (5 to 10 minutes on one core, the whole demo loaded first); the
figures are printed.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from collections import Counter
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from tests.support.accounts import ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MARKER_NAME = "Zanzibarsecretdog"
ENTITLED = {"other_owner"}  # the only account that may see the other owner's dog on the site
ADMIN_ENTITLED = {"superuser"}  # the operator reads every record in the admin (read-only)
READ_ONLY_APPS = {"registry"}  # and the audit trail (common.AuditEvent)


def _patterns() -> list[tuple[str, str | None, list[str]]]:
    """(route, namespaced name, parameter names) of every pattern the resolver knows."""
    out: list[tuple[str, str | None, list[str]]] = []

    def walk(patterns: Any, prefix: str, namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                name = f"{namespace}:{p.name}" if namespace and p.name else p.name
                params = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
                out.append((route, name, [a or b for a, b in params]))

    walk(get_resolver().url_patterns, "", None)
    return out


def _entries(subject: Any, owner: Any, therapy: Any) -> dict[str, Any]:
    from offlabel.web.registry import services

    course = services.course_create(
        subject=subject,
        by=owner,
        therapy=therapy,
        dose=4.5,
        dose_unit="mg",
        start_date=dt.date(2024, 3, 1),
    )
    evaluation = services.evaluation_create(
        course=course, by=owner, date=dt.date(2024, 6, 1), efficacy="slight"
    )
    score = services.score_create(
        subject=subject, by=owner, scale="dm_gait", date=dt.date(2024, 5, 1), total=5
    )
    milestone = services.milestone_create(
        subject=subject, by=owner, event="non_ambulatory", date=dt.date(2024, 9, 1)
    )
    access = services.access_invite(
        subject=subject,
        by=owner,
        email=f"dr.{owner.pk}@clinic.example",
        scope="view",
        notify=False,
    )
    return {
        "subject": subject,
        "course": course,
        "evaluation": evaluation,
        "score": score,
        "milestone": milestone,
        "access": access,
    }


def _admin_model(name: str, site: dict[str, Any]) -> Any:
    """The model an admin URL name (``admin:<app>_<model>_<view>``) is about, if any."""
    if not name.startswith("admin:"):
        return None
    found = [m for prefix, m in site["admin_models"].items() if name.startswith(prefix)]
    return max(found, key=lambda m: len(m._meta.model_name), default=None)


def _value(param: str, name: str, route: str, record: dict[str, Any], site: dict[str, Any]) -> Any:
    """A value for one parameter, from the record set where it names a record."""
    words = f"{name} {route}"
    if param == "object_id":
        model = _admin_model(name, site)
        if model is not None:
            own = record["by_model"].get(model)
            if own is not None:
                return own.pk
            first = site["first_rows"].get(model)
            return first.pk if first is not None else "1"
        if name == "admin:view_on_site":
            return record["subject"].pk
    if param == "public_id":
        return record["subject"].public_id
    if param in ("pk", "item_pk", "object_id", "id"):
        for kind in ("evaluation", "score", "milestone", "access"):
            if kind in words:
                return record[kind].pk
        if "subject" in words:
            return record["subject"].pk
        return record["course"].pk
    if param == "token":
        if "uuid" in route:
            return str(uuid.uuid4())
        if "password-reset" in route:
            return "set-password"
        return record["access"].token
    fixed = {
        "topic_slug": site["topic"].slug,
        "slug": site["topic"].slug,
        "therapy_slug": site["therapy"].slug,
        "kind": "dog",
        "version": 1,
        "fmt": "md",
        "a": 1,
        "b": 2,
        "key": "privacy",
        "uidb64": "MQ",
        "handle": "nobody",
        "app_label": "registry",
        "content_type_id": site["content_type"],
        "url": "x/",
    }
    return fixed.get(param, "x")


def _url(route: str, name: str | None, kwargs: dict[str, Any]) -> str | None:
    if name:
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            pass
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs.get(m.group(1), "x")), route)
    if re.search(r"[()\[\]*+?\\]", path.replace("^", "").replace("$", "")):
        return None  # a regular expression this test cannot fill in: reported below
    path = path.replace("^", "").replace("$", "")
    for key, value in kwargs.items():
        path = re.sub(rf"<(?:\w+:)?{key}>", str(value), path)
    return "/" + path


def _by_model(record: dict[str, Any], owner: Any) -> dict[Any, Any]:
    """The records of one owner's set by model: what an admin page of that model shows."""
    from offlabel.web.accounts.models import User

    by_model = {type(record[kind]): record[kind] for kind in ENTRY_KINDS}
    by_model[User] = owner
    return by_model


ENTRY_KINDS = ("subject", "course", "evaluation", "score", "milestone", "access")


def _admin_rows(world: Any, topic: Any) -> None:
    """A row of every admin model the demo leaves empty, made the site's way: a literature
    import batch, a network invitation, a member handle, and django-axes' rows of a failed and
    a successful sign-in."""
    from django.urls import reverse

    from offlabel.web.literature.services import import_batch_create
    from offlabel.web.network.mentions import handle_for
    from offlabel.web.network.services.consults import invitation_send
    from tests.support.accounts import PASSWORD

    import_batch_create(
        topic=topic,
        owner=world.editor,
        source="refs.ris",
        source_format="ris",
        items=[],
        problems=[],
    )
    invitation_send(sender=world.owner, email="dr.new@clinic.example", sign_up_url="/x/")
    handle_for(world.reviewer)
    # a failure for one account, a success for another (a success clears its own failures)
    for account, password in ((world.nobody, "wrong password"), (world.owner, PASSWORD)):
        Client().post(reverse("accounts:login"), {"username": account.email, "password": password})
    # axes writes its failure log only with AXES_ENABLE_ACCESS_FAILURE_LOG (off here): one row
    # as it would write it, so the admin's pages of it are reached too
    from axes.models import AccessFailureLog

    AccessFailureLog.objects.create(
        username=world.nobody.email,
        ip_address="203.0.113.9",
        user_agent="matrix",
        http_accept="text/html",
        path_info=reverse("accounts:login"),
        locked_out=False,
    )


def test_no_url_leaks_the_other_owners_record_or_fails_for_any_role(
    world: Any, demo_site: None
) -> None:
    from django.contrib import admin
    from django.contrib.contenttypes.models import ContentType

    from offlabel.web.accounts.services import EDITORS_GROUP
    from offlabel.web.catalog.models import Topic
    from offlabel.web.registry.models import Subject

    # the staff editor is what the editor role's grant makes; the superuser createsuperuser's
    assert world.editor.is_staff and not world.editor.is_superuser
    assert list(world.editor.groups.values_list("name", flat=True)) == [EDITORS_GROUP]
    assert world.superuser.is_superuser and world.superuser.is_staff
    Subject.objects.filter(pk=world.other_dog.pk).update(name=MARKER_NAME)
    dm_topic = Topic.objects.get(slug="low-dose-naltrexone-degenerative-myelopathy")
    therapy = dm_topic.therapy
    _admin_rows(world, dm_topic)
    own = _entries(world.dog, world.owner, therapy)
    other = _entries(world.other_dog, world.other_owner, therapy)
    own["by_model"] = _by_model(own, world.owner)
    other["by_model"] = _by_model(other, world.other_owner)
    admin_models = {
        f"admin:{m._meta.app_label}_{m._meta.model_name}_": m for m in admin.site._registry
    }
    site = {
        "topic": dm_topic,
        "therapy": therapy,
        "content_type": ContentType.objects.get_for_model(Subject).pk,
        "admin_models": admin_models,
        "first_rows": {m: m._default_manager.order_by("pk").first() for m in admin.site._registry},
    }
    owned_models = set(own["by_model"])
    markers = (world.other_dog.public_id, MARKER_NAME)

    clients: dict[str, Client] = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        user = world.by_name(role)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        clients[role] = client

    patterns = _patterns()
    # (url, pattern, names the other dog's record, an admin page of a read-only model)
    urls: list[tuple[str, str, bool, bool]] = []
    unreachable = []
    admin_objects = 0
    for route, name, params in patterns:
        made = set()
        model = _admin_model(name or "", site)
        read_only = model is not None and (
            model._meta.app_label in READ_ONLY_APPS or model._meta.model_name == "auditevent"
        )
        for which, record in (("own", own), ("other", other)):
            kwargs = {p: _value(p, name or "", route, record, site) for p in params}
            url = _url(route, name, kwargs)
            if url is None:
                unreachable.append(route)
                break
            if url in made:
                continue
            made.add(url)
            names_other = which == "other" and (
                any(p in ("public_id", "token") for p in params)
                or ("object_id" in params and (model in owned_models or model is None))
            )
            admin_objects += "object_id" in params
            urls.append((url, route, names_other, read_only))

    started = time.perf_counter()
    statuses: Counter[int] = Counter()
    admin_statuses: Counter[tuple[str, int]] = Counter()
    errors, leaks, writable = [], [], []
    for url, route, names_other, read_only in urls:
        in_admin = url.startswith("/admin/")
        for role, client in clients.items():
            response = client.get(url)
            statuses[response.status_code] += 1
            if in_admin and role in ("editor", "superuser"):
                admin_statuses[role, response.status_code] += 1
            if response.status_code >= 500:
                errors.append(f"{role} GET {url} → {response.status_code}")
                continue
            if response.status_code != 200:
                continue
            body = b"" if getattr(response, "streaming", False) else response.content
            if read_only and (b'name="_save"' in body or route.endswith(("add/", "delete/"))):
                writable.append(f"{role} GET {url} ({route}) → 200 with a form that writes")
            if role in ENTITLED or (in_admin and role in ADMIN_ENTITLED):
                continue
            text = body.decode("utf-8", "replace")
            shown = [m for m in markers if m in text]
            if shown or names_other:
                leaks.append(f"{role} GET {url} ({route}) → 200 showing {shown or 'the record'}")
    print(
        f"URL × role matrix: {len(patterns)} patterns, {len(urls)} URLs ({admin_objects} admin "
        f"pages of one object) × {len(clients)} roles = {sum(statuses.values())} requests; "
        f"statuses {dict(sorted(statuses.items()))}; admin as the staff editor and the "
        f"superuser {dict(sorted(admin_statuses.items()))}; {len(leaks)} leaks, "
        f"{len(writable)} writable read-only pages, {len(errors)} server errors; "
        f"the requests took {time.perf_counter() - started:.0f} s"
    )
    assert not unreachable, unreachable
    assert errors == []
    assert leaks == []
    assert writable == []
    # the matrix really covers the site: every pattern, the admin's included, and the admin's
    # pages answer the staff editor and the superuser themselves (not a redirect to sign in)
    assert len(patterns) > 300 and any(route.startswith("admin/") for route, _, _ in patterns)
    for role in ("editor", "superuser"):
        assert admin_statuses[role, 200] > 20, (role, admin_statuses)
    assert admin_statuses["superuser", 200] > admin_statuses["editor", 200]
    assert not [m for m, row in site["first_rows"].items() if row is None and m not in owned_models]
