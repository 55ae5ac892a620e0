"""Background work of the analytics app (huey: in-process and immediate unless REDIS_URL)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def run_analysis(run_id: int) -> str:
    """Execute one stored :class:`~offlabel.web.analytics.models.AnalysisRun`; returns its
    status."""
    from offlabel.web.analytics.models import AnalysisRun
    from offlabel.web.analytics.services import analysis_run_execute

    run = AnalysisRun.objects.select_related("topic__therapy", "topic__condition").get(pk=run_id)
    return analysis_run_execute(run=run).status
