"""The reviewers' analysis page: who may open it, runs stored and reproducible."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db

MATCHED = {"matched_controls-k": "3", "matched_controls-followup_months": "12"}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("reviewer", 200),
        ("editor", 200),
        ("patient", 403),
        ("owner", 403),
        ("clinician", 403),
        ("vet", 403),
        ("pending_clinician", 403),
        ("nobody", 403),
        ("anonymous", 302),
    ],
)
def test_analysis_page_is_for_reviewers_and_editors(
    client_for: Any, world: Any, als_topic: Any, role: str, status: int
) -> None:
    response = client_for(world.by_name(role)).get(f"/analytics/{als_topic.slug}/")
    assert response.status_code == status
    if status == 302:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["patient", "owner", "clinician", "nobody"])
def test_only_reviewers_can_start_a_run(
    client_for: Any, world: Any, als_topic: Any, role: str
) -> None:
    from offlabel.web.analytics.models import AnalysisRun

    response = client_for(world.by_name(role)).post(
        f"/analytics/{als_topic.slug}/run/matched_controls/",
        {**MATCHED, "matched_controls-seed": "1"},
    )
    assert response.status_code == 403
    assert not AnalysisRun.objects.exists()


def _run(client: Any, topic: Any, kind: str, data: dict[str, str]) -> Any:
    from offlabel.web.analytics.models import AnalysisRun

    response = client.post(f"/analytics/{topic.slug}/run/{kind}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    run = AnalysisRun.objects.order_by("-id").first()
    assert response["Location"] == run.get_absolute_url()
    return run


def test_matched_controls_run_is_stored_and_reproducible_with_the_same_seed(
    client_for: Any, world: Any, registry: Any, als_topic: Any
) -> None:
    client = client_for(world.reviewer)
    first = _run(client, als_topic, "matched_controls", {**MATCHED, "matched_controls-seed": "5"})
    second = _run(client, als_topic, "matched_controls", {**MATCHED, "matched_controls-seed": "5"})
    assert first.status == second.status == "done"
    assert first.params == {"k": 3, "followup_months": 12.0, "seed": 5}
    assert first.created_by == world.reviewer
    assert first.registry_version == second.registry_version
    assert first.result == second.result
    for key in ("effect", "ci_low", "ci_high", "p_value", "balance", "caveats", "pairs"):
        assert key in first.result
    page = client.get(first.get_absolute_url()).content.decode()
    assert 'class="effect-value"' in page and "Balance before and after matching" in page
    assert 'class="plot pair-chart"' in page
    assert 'class="caveats"' in page
    listing = client.get(f"/analytics/{als_topic.slug}/").content.decode()
    assert first.get_absolute_url() in listing and second.get_absolute_url() in listing


def test_bad_parameters_rerender_the_form_naming_the_field(
    client_for: Any, world: Any, als_topic: Any
) -> None:
    from offlabel.web.analytics.models import AnalysisRun

    response = client_for(world.reviewer).post(
        f"/analytics/{als_topic.slug}/run/matched_controls/",
        {
            "matched_controls-k": "0",
            "matched_controls-followup_months": "12",
            "matched_controls-seed": "1",
        },
    )
    assert response.status_code == 400
    assert "Controls per treated person (k):" in response.content.decode()
    assert not AnalysisRun.objects.exists()


def test_survival_with_covariates_on_the_dog_topic(
    client_for: Any, world: Any, registry: Any, dm_topic: Any
) -> None:
    client = client_for(world.reviewer)
    run = _run(
        client,
        dm_topic,
        "survival",
        {"survival-endpoint": "non_ambulatory", "survival-covariates": ["age_at_onset", "sod1"]},
    )
    assert run.status == "done", run.error
    assert run.result["primary"]["covariates"]
    page = client.get(run.get_absolute_url()).content.decode()
    assert 'id="km-treated"' in page and "hazard ratio" in page
    assert "Primary result" in page and "Log-rank" not in page


def test_matched_controls_does_not_apply_to_dogs(
    client_for: Any, world: Any, dm_topic: Any
) -> None:
    response = client_for(world.reviewer).post(
        f"/analytics/{dm_topic.slug}/run/matched_controls/", {**MATCHED}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("topic_name", "data", "expected"),
    [
        ("als_topic", {"power-outcome": "slope", "power-effect": "0.3"}, "slope"),
        ("dm_topic", {"power-outcome": "survival", "power-hazard_ratio": "0.6"}, "survival"),
    ],
)
def test_trial_planning_gives_n_per_arm(
    client_for: Any,
    world: Any,
    registry: Any,
    request: Any,
    topic_name: str,
    data: Any,
    expected: str,
) -> None:
    topic = request.getfixturevalue(topic_name)
    client = client_for(world.reviewer)
    run = _run(client, topic, "power", {**data, "power-alpha": "0.05", "power-power": "0.8"})
    assert run.status == "done", run.error
    assert run.result["outcome"] == expected and run.result["n_per_arm"] >= 2
    assert 'class="n-per-arm"' in client.get(run.get_absolute_url()).content.decode()


def test_slope_change_run(client_for: Any, world: Any, registry: Any, als_topic: Any) -> None:
    run = _run(
        client_for(world.reviewer),
        als_topic,
        "slope_change",
        {"slope_change-min_before": "2", "slope_change-min_after": "2"},
    )
    assert run.status == "done", run.error
    assert {"slope_before", "slope_after", "caveats"} <= run.result.keys()
    assert not {"change", "ci_low", "ci_high", "p_value"} & run.result.keys()


def test_an_analysis_the_registry_cannot_support_fails_with_a_message(
    client_for: Any, world: Any, als_topic: Any
) -> None:
    client = client_for(world.reviewer)
    run = _run(client, als_topic, "matched_controls", {**MATCHED, "matched_controls-seed": "1"})
    assert run.status == "failed" and run.result is None
    assert "Low-dose naltrexone" in run.error
    assert "could not run" in client.get(run.get_absolute_url()).content.decode()


def test_a_run_of_another_topic_is_not_found(
    client_for: Any, world: Any, registry: Any, als_topic: Any, dm_topic: Any
) -> None:
    client = client_for(world.reviewer)
    run = _run(
        client,
        als_topic,
        "slope_change",
        {"slope_change-min_before": "2", "slope_change-min_after": "2"},
    )
    assert client.get(f"/analytics/{dm_topic.slug}/runs/{run.pk}/").status_code == 404
