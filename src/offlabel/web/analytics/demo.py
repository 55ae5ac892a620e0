"""Demo content: a matched-controls run and Cases/Risks snapshots in the published LDN × ALS
review (and the DM review), made by reviewer@ through the same services as the site."""

from __future__ import annotations

from offlabel.outcomes.runner import Analysis
from offlabel.web.analytics import services, tasks


def load() -> str:
    from offlabel.web.accounts.demo import demo_user
    from offlabel.web.catalog.demo import LDN_ALS_SLUG, LDN_DM_SLUG
    from offlabel.web.catalog.models import Topic
    from offlabel.web.reviews.models import Review

    reviewer = demo_user("reviewer@offlabel.demo")
    done: list[str] = []
    for slug in (LDN_ALS_SLUG, LDN_DM_SLUG):
        topic = Topic.objects.filter(slug=slug).select_related("therapy", "condition").first()
        if topic is None:
            continue
        if slug == LDN_ALS_SLUG:
            run = tasks.analysis_run_start(
                topic=topic,
                kind=Analysis.MATCHED,
                params={"k": 3, "followup_months": 12.0, "seed": 2011},
                by=reviewer,
            )
        else:
            run = tasks.analysis_run_start(
                topic=topic,
                kind=Analysis.SURVIVAL,
                params={"endpoint": "non_ambulatory", "covariates": [], "landmark_days": None},
                by=reviewer,
            )
        done.append(f"{run.get_kind_display().lower()} run on {slug} ({run.status})")
        review = (
            Review.objects.filter(topic=topic, status=Review.Status.PUBLISHED)
            .order_by("-version")
            .first()
        )
        if review is None:
            continue
        for section in ("cases", "risks"):
            try:
                services.snapshot_freeze(review=review, section=section, by=reviewer)
            except ValueError as error:
                done.append(f"no {section} snapshot for {slug}: {error}")
            else:
                done.append(f"{section} snapshot in {slug} v{review.version}")
    return "analytics: " + ("; ".join(done) or "no topics yet")
