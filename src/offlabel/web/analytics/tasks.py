"""Background work of the analytics app (huey: in-process and immediate unless REDIS_URL).

Tasks call the services; the services never call the tasks (no import cycle).
"""

from __future__ import annotations

from typing import Any

from huey.contrib.djhuey import db_task

from offlabel.outcomes.runner import Analysis
from offlabel.web.accounts.models import User
from offlabel.web.analytics.models import AnalysisRun
from offlabel.web.analytics.services import analysis_run_create, analysis_run_execute
from offlabel.web.catalog.models import Topic


@db_task()
def run_analysis(run_id: int) -> str:
    """Execute one stored :class:`~offlabel.web.analytics.models.AnalysisRun`; returns its
    status."""
    run = AnalysisRun.objects.select_related("topic__therapy", "topic__condition").get(pk=run_id)
    return analysis_run_execute(run=run).status


def analysis_run_start(
    *, topic: Topic, kind: Analysis | str, params: dict[str, Any], by: User
) -> AnalysisRun:
    """Record a run (the service) and hand it to the task queue (immediate by default)."""
    run = analysis_run_create(topic=topic, kind=kind, params=params, by=by)
    run_analysis(run.pk)
    run.refresh_from_db()
    return run
