import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from offlabel.web.catalog.models import Condition, Therapy, Topic
from offlabel.web.network import selectors, services
from offlabel.web.network.models import Availability, RequestVote, ReviewRequest

pytestmark = pytest.mark.django_db


def test_a_request_counts_as_its_requesters_vote(world, make_request):
    request = make_request(world.patient)
    assert list(request.votes.values_list("voter", flat=True)) == [world.patient.pk]


def test_a_second_vote_by_the_same_account_is_refused_with_a_clear_message(world, make_request):
    request = make_request(world.patient)
    services.request_vote(request=request, voter=world.owner)
    with pytest.raises(ValidationError, match="already voted"):
        services.request_vote(request=request, voter=world.owner)
    assert request.votes.count() == 2


def test_the_database_itself_refuses_a_duplicate_vote(world, make_request):
    request = make_request(world.patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        RequestVote.objects.create(request=request, voter=world.patient)


def test_voting_twice_through_the_page_says_so_and_counts_once(world, make_request, client_for):
    request = make_request(world.owner)
    client = client_for(world.patient)
    client.post(reverse("network:request_vote", args=[request.pk]))
    response = client.post(reverse("network:request_vote", args=[request.pk]), follow=True)
    assert "You have already voted for this request." in response.content.decode()
    assert request.votes.count() == 2


def test_priority_is_votes_times_the_availability_multiplier(world, make_request):
    editor = world.editor
    many_but_little_info = make_request(world.patient, therapy_name="A")
    for voter in (world.owner, world.clinician, world.vet):
        services.request_vote(request=many_but_little_info, voter=voter)  # 4 votes × 0.5 = 2
    services.request_set_availability(
        request=many_but_little_info, availability=Availability.NONE, by=editor
    )
    few_with_plenty = make_request(world.owner, therapy_name="B")
    services.request_vote(request=few_with_plenty, voter=world.patient)  # 2 votes × 2 = 4
    services.request_set_availability(
        request=few_with_plenty, availability=Availability.PLENTY, by=editor
    )
    middle = make_request(world.clinician, therapy_name="C")
    for voter in (world.owner, world.patient):
        services.request_vote(request=middle, voter=voter)  # 3 votes × 1 = 3
    ordered = list(selectors.requests_future_reviews())
    assert [r.therapy_name for r in ordered] == ["B", "C", "A"]
    assert [r.priority for r in ordered] == [4.0, 3.0, 2.0]


def test_future_reviews_page_lists_requests_in_priority_order_for_visitors(
    world, make_request, client
):
    low = make_request(world.patient, therapy_name="Lowpriority")
    high = make_request(world.owner, therapy_name="Highpriority")
    services.request_vote(request=high, voter=world.patient)
    page = client.get(reverse("network:future")).content.decode()
    assert page.index("Highpriority") < page.index("Lowpriority")
    assert "Sign in to vote" in page
    assert low.pk != high.pk


def test_future_reviews_query_count_is_pinned(
    world, make_request, client_for, django_assert_max_num_queries
):
    for name in ("A", "B", "C", "D", "E"):
        make_request(world.owner, therapy_name=name)
    client = client_for(world.patient)
    with django_assert_max_num_queries(8):
        client.get(reverse("network:future"))


def test_merging_carries_votes_over_without_counting_a_voter_twice(world, make_request):
    keep = make_request(world.patient, therapy_name="Curcumin")
    services.request_vote(request=keep, voter=world.vet)
    duplicate = make_request(world.owner, therapy_name="Turmeric extract")
    services.request_vote(request=duplicate, voter=world.vet)  # voted for both
    services.request_vote(request=duplicate, voter=world.clinician)
    services.request_merge(duplicate=duplicate, into=keep, by=world.editor)
    voters = set(keep.votes.values_list("voter", flat=True))
    assert voters == {world.patient.pk, world.vet.pk, world.owner.pk, world.clinician.pk}
    assert keep.votes.count() == 4
    duplicate.refresh_from_db()
    assert duplicate.status == ReviewRequest.Status.MERGED
    assert duplicate.merged_into == keep
    assert duplicate.votes.count() == 0
    assert list(selectors.requests_future_reviews()) == [keep]


def test_merging_repoints_earlier_merges_and_refuses_merging_into_itself(world, make_request):
    a, b, c = (make_request(u) for u in (world.patient, world.owner, world.vet))
    services.request_merge(duplicate=a, into=b, by=world.editor)
    services.request_merge(duplicate=b, into=c, by=world.editor)
    a.refresh_from_db()
    assert a.merged_into == c
    with pytest.raises(ValidationError, match="itself"):
        services.request_merge(duplicate=c, into=c, by=world.editor)
    with pytest.raises(ValidationError, match="no longer open"):
        services.request_vote(request=a, voter=world.clinician)


@pytest.mark.parametrize("who", ["patient", "clinician", "reviewer"])
def test_only_editors_merge_weigh_or_link(world, make_request, who):
    one, two = make_request(world.patient), make_request(world.owner)
    user = world.by_name(who)
    with pytest.raises(PermissionDenied):
        services.request_merge(duplicate=one, into=two, by=user)
    with pytest.raises(PermissionDenied):
        services.request_set_availability(request=one, availability="plenty", by=user)
    with pytest.raises(PermissionDenied):
        services.request_link_topic(request=one, by=user)


def test_linking_creates_therapy_condition_and_a_requested_topic(world, make_request):
    request = make_request(
        world.owner,
        therapy_name="Cannabidiol",
        condition=None,
        condition_name="Intervertebral disc disease",
        condition_species="dog",
    )
    topic = services.request_link_topic(request=request, by=world.editor)
    assert topic.status == Topic.Status.REQUESTED
    assert Therapy.objects.get(name="Cannabidiol") == topic.therapy
    assert Condition.objects.get(name="Intervertebral disc disease").species == "dog"
    request.refresh_from_db()
    assert request.topic == topic and request.therapy == topic.therapy
    # A second request for the same pair joins the same catalog records.
    again = make_request(
        world.patient,
        therapy_name="cannabidiol",
        condition=None,
        condition_name="intervertebral disc disease",
        condition_species="dog",
    )
    assert services.request_link_topic(request=again, by=world.editor) == topic


def test_linking_to_an_existing_topic(world, make_request, dm):
    request = make_request(world.owner, therapy_name="LDN", condition=dm.condition)
    assert services.request_link_topic(request=request, by=world.editor, topic=dm) == dm
    assert list(selectors.requests_for_topic(dm)) == [request]


@pytest.mark.parametrize(
    ("links", "message"),
    [
        ("javascript:alert(1)", "Line 1"),
        ("https://example.org/a\nftp://example.org/b", "Line 2"),
        ("not a link", "Line 1"),
    ],
)
def test_links_must_be_web_addresses_and_the_form_names_the_line(
    world, demo_topics, client_for, links, message
):
    client = client_for(world.patient)
    response = client.post(
        reverse("network:request_new"),
        {
            "therapy_name": "Curcumin",
            "condition": demo_topics[0].condition.pk,
            "condition_species": "human",
            "claims": "Heard it helps.",
            "links": links,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReviewRequest.objects.exists()


def test_request_form_needs_a_therapy_and_a_condition(world, demo_topics, client_for):
    response = client_for(world.patient).post(
        reverse("network:request_new"), {"claims": "x", "condition_species": "human"}
    )
    page = response.content.decode()
    assert "Pick the therapy from the list or type its name." in page
    assert "Pick the condition from the list or type its name." in page
    assert not ReviewRequest.objects.exists()


def test_request_form_is_prefilled_from_the_red_flags_page(world, demo_topics, client_for):
    response = client_for(world.patient).get(
        reverse("network:request_new"), {"therapy_name": "Miracle drops", "claims": "Cures all"}
    )
    page = response.content.decode()
    assert 'value="Miracle drops"' in page and "Cures all" in page


def test_editor_sees_who_asked_but_visitors_do_not(world, make_request, client_for):
    request = make_request(world.patient)
    url = request.get_absolute_url()
    assert world.patient.email not in client_for(None).get(url).content.decode()
    assert world.patient.email in client_for(world.editor).get(url).content.decode()


def test_editor_merges_through_the_page(world, make_request, client_for):
    keep, duplicate = make_request(world.patient), make_request(world.owner)
    response = client_for(world.editor).post(
        reverse("network:request_merge", args=[duplicate.pk]), {"into": keep.pk}
    )
    assert response.status_code == 302
    assert keep.votes.count() == 2
