import pytest

from offlabel.web.network.models import (
    ConsultRequest,
    PrescriberListing,
    ReviewRequest,
    Thread,
)

pytestmark = pytest.mark.django_db


def test_demo_loads_requests_discussions_a_listed_vet_and_a_consult(
    django_capture_on_commit_callbacks,
):
    from django.core import mail

    from offlabel.web.accounts import demo as accounts_demo
    from offlabel.web.catalog import demo as catalog_demo
    from offlabel.web.network import demo, selectors

    accounts_demo.load()
    catalog_demo.load()
    with django_capture_on_commit_callbacks(execute=True):
        summary = demo.load()
    assert summary.startswith("network:")
    assert mail.outbox == []  # demo notifications wait for the morning digest
    names = [r.therapy_label for r in selectors.requests_future_reviews()]
    assert {"Curcumin", "Cannabidiol", "Methylcobalamin", "Low-dose naltrexone"} <= set(names)
    assert ReviewRequest.objects.filter(status=ReviewRequest.Status.MERGED).count() == 1
    assert Thread.objects.filter(topic__slug=catalog_demo.LDN_ALS_SLUG).exists()
    assert Thread.objects.filter(topic__slug=catalog_demo.LDN_DM_SLUG).exists()
    listing = PrescriberListing.objects.get(prescriber__email="prescriber@offlabel.demo")
    assert listing.years_experience == 20 and listing.topic.slug == catalog_demo.LDN_DM_SLUG
    consult = ConsultRequest.objects.get()
    assert consult.status == ConsultRequest.Status.ACCEPTED
    assert consult.requester.email == "vet@offlabel.demo"
    assert consult.messages.count() == 2
