"""Reads of the analytics app: the registry's version, cached panel data, runs, snapshots.

Heavy work (reading the whole registry into frames and analysing it) is cached in Django's cache
under a key holding the **registry version**: the registry counter of the content version
(:func:`offlabel.web.common.selectors.content_version`, one primary-key query), which every
registry write moves on in its own transaction (through the audit row, or the model signals for
writes outside the services). A cached panel is never stale and never needs clearing. The
heavier :func:`registry_fingerprint` (row counts and highest ids) is kept as the provenance of
analysis runs and frozen snapshots.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import get_language

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.outcomes import bands, runner
from offlabel.registry.problems import RegistryError
from offlabel.web.analytics.models import AnalysisRun, RegistrySnapshot
from offlabel.web.common.selectors import min_cell

logger = logging.getLogger(__name__)

#: Bump when the cached data's shape changes, so old entries are ignored.
CACHE_VERSION = 4
CACHE_SECONDS = 60 * 60 * 24


def _registry_models() -> list[Any]:
    from offlabel.web.registry.models import (
        Evaluation,
        Milestone,
        ScoreRecord,
        SideEffect,
        Subject,
        TreatmentCourse,
    )

    return [Subject, TreatmentCourse, Evaluation, SideEffect, ScoreRecord, Milestone]


def registry_fingerprint() -> str:
    """A short hash that changes whenever the registry does (one query)."""
    from offlabel.web.common.models import AuditEvent

    models = _registry_models()
    content_types = ContentType.objects.get_for_models(*models)  # cached after the first call
    quote = connection.ops.quote_name
    # Every name below comes from model meta and every number is an int, never from input.
    parts = []
    for model in models:
        table = quote(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608
        parts.append(f"(SELECT MAX(id) FROM {table})")  # noqa: S608
    subjects = quote(models[0]._meta.db_table)
    parts.append(f"(SELECT MAX(updated) FROM {subjects})")  # noqa: S608
    ct_ids = ",".join(str(int(ct.pk)) for ct in content_types.values())
    audit = quote(AuditEvent._meta.db_table)
    parts.append(f"(SELECT MAX(id) FROM {audit} WHERE content_type_id IN ({ct_ids}))")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:16]


def registry_version() -> str:
    """The key under which registry-derived figures are cached (changes with every write)."""
    from offlabel.web.common.selectors import content_version

    return f"r{content_version().registry}"


def registry_frames(species: TargetSpecies | None = None) -> Any:
    """The de-identified registry frames (through the registry app's selector)."""
    from offlabel.web.registry.selectors import registry_frames as frames_of_registry

    return frames_of_registry(species=species, deidentified=True)


def topic_species(topic: Any) -> TargetSpecies:
    return TargetSpecies(topic.condition.species)


def cached(key: str, compute: Any) -> Any:
    """``compute()`` once per key (the key must include the registry version)."""
    full = f"analytics:v{CACHE_VERSION}:{key}"
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, CACHE_SECONDS)
    return value


def registry_synthetic() -> int:
    """How many subjects in the registry are synthetic (the demo's simulated records)."""
    from offlabel.web.registry.models import Subject

    return Subject.objects.filter(origin=Subject.Origin.SYNTHETIC).count()


def topic_summary(topic: Any, version: str | None = None) -> dict[str, Any]:
    """The public panel's data for a topic (cached per topic and registry version)."""
    version = version or registry_version()
    species = topic_species(topic)
    therapy = topic.therapy.name

    def compute() -> dict[str, Any]:
        try:
            frames = registry_frames(species)
        except RegistryError as error:
            # One unreadable row must not break every topic page; the message goes to the log
            # (it names the table, row and field) and the panel says the figures are missing.
            logger.error("registry frames for %s: %s", topic.slug, error)
            return {"therapy": therapy, "species": species.value, "known": False, "error": True}
        summary = runner.topic_summary(frames, therapy, species, min_cell())
        summary["synthetic"] = registry_synthetic()
        return summary

    data: dict[str, Any] = cached(f"summary:{topic.pk}:{version}:{min_cell()}", compute)
    return data


def topic_panel(topic: Any) -> dict[str, Any]:
    """The public registry panel of a topic (small cells suppressed), cached per registry
    version: what the topic page shows, and what the API gives out."""
    from offlabel.web.analytics import presentation

    version = registry_version()
    threshold = min_cell()

    def compute() -> dict[str, Any]:
        summary = topic_summary(topic, version)
        return presentation.panel_context(summary, key=f"topic-{topic.pk}", threshold=threshold)

    # The panel's words and figures are written in the reader's language: one entry per language.
    return dict(cached(f"panel:{topic.pk}:{version}:{threshold}:{get_language()}", compute))


def population_band(species: TargetSpecies, version: str) -> dict[str, Any]:
    """10th–90th percentile band of the species' trajectory scale (cached)."""

    def compute() -> dict[str, Any]:
        label, y_max = bands.trajectory_scale(species)
        try:
            points = bands.score_months(registry_frames(species), species)
        except RegistryError as error:
            logger.error("registry frames for the %s band: %s", species.value, error)
            points = bands.score_months_empty()
        return {
            "band": bands.percentile_band(points, min_cell()),
            "scale_label": label,
            "y_max": y_max,
            "n_subjects": int(points["subject_id"].nunique()),
        }

    data: dict[str, Any] = cached(f"band:{species.value}:{version}:{min_cell()}", compute)
    return data


def runs_recent(topic: Any, limit: int = 10) -> QuerySet[AnalysisRun]:
    return (
        AnalysisRun.objects.filter(topic=topic)
        .select_related("created_by", "topic")
        .order_by("-created_at", "-id")[:limit]
    )


def run_for_topic(topic: Any, pk: int) -> AnalysisRun:
    return AnalysisRun.objects.select_related("topic", "created_by").get(topic=topic, pk=pk)


def snapshots_of_review(review: Any, section: str) -> list[RegistrySnapshot]:
    return list(
        RegistrySnapshot.objects.filter(review=review, section=section).order_by(
            "-created_at", "-id"
        )
    )


def review_freezable(topic: Any) -> Any:
    """The review version a snapshot is frozen into: the topic's newest non-superseded one."""
    from offlabel.web.reviews.models import Review

    return (
        Review.objects.filter(topic=topic)
        .exclude(status=Review.Status.SUPERSEDED)
        .order_by("-version")
        .first()
    )
