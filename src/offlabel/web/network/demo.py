"""Demo community: requests with votes, a discussion per LDN topic, a listed vet, a consult."""

from __future__ import annotations

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.web.accounts.demo import DEMO_ACCOUNTS, demo_user
from offlabel.web.accounts.models import User
from offlabel.web.catalog.demo import LDN_ALS_SLUG, LDN_DM_SLUG
from offlabel.web.catalog.models import Condition, Topic
from offlabel.web.network import services
from offlabel.web.network.models import Availability, NotificationSetting, Subscription


def _user(name: str) -> User:
    return demo_user(f"{name}@offlabel.demo")


def _requests(als: Condition, dm: Condition, dm_topic: Topic) -> int:
    editor = _user("editor")
    plan = [
        (
            "patient",
            "Curcumin",
            als,
            "A support group says turmeric extract calms inflammation in the nerves and slowed "
            "one member's weakness. I could not find out how much they took.",
            "https://example.org/forum/curcumin-als",
            ["owner", "clinician", "reviewer"],
            Availability.SOME,
        ),
        (
            "owner",
            "Cannabidiol",
            dm,
            "Other owners give CBD oil and say their dogs walk more steadily. The shop says it "
            "protects the spinal cord.",
            "",
            ["vet"],
            Availability.NONE,
        ),
        (
            "clinician",
            "Methylcobalamin",
            als,
            "Patients ask about very high doses of methylcobalamin injections after reading that "
            "a trial in Japan reported slower decline in early ALS.",
            "",
            ["patient", "reviewer2"],
            Availability.PLENTY,
        ),
    ]
    for who, therapy_name, condition, claims, links, voters, availability in plan:
        request = services.request_create(
            requester=_user(who),
            therapy_name=therapy_name,
            condition=condition,
            claims=claims,
            links=links,
        )
        for voter in voters:
            services.request_vote(request=request, voter=_user(voter))
        services.request_set_availability(request=request, availability=availability, by=editor)
    # The LDN × DM topic came from an owner's request; a duplicate of it was merged in.
    ldn_dm = services.request_create(
        requester=_user("owner"),
        therapy=dm_topic.therapy,
        condition=dm,
        claims="Two vets write that LDN at night helped dogs with DM keep walking longer.",
    )
    services.request_vote(request=ldn_dm, voter=_user("vet"))
    duplicate = services.request_create(
        requester=_user("patient"),
        therapy_name="Naltrexone, low dose",
        condition_name="Degenerative myelopathy",
        condition_species=TargetSpecies.DOG,
        claims="My neighbour's dog with DM is on LDN; is there anything behind it?",
    )
    services.request_vote(request=duplicate, voter=_user("vet"))  # counted once after the merge
    services.request_merge(duplicate=duplicate, into=ldn_dm, by=editor)
    services.request_set_availability(request=ldn_dm, availability=Availability.SOME, by=editor)
    services.request_link_topic(request=ldn_dm, by=editor, topic=dm_topic)
    return len(plan) + 2


def _discussions(als_topic: Topic, dm_topic: Topic) -> int:
    vet, prescriber, reviewer = _user("vet"), _user("prescriber"), _user("reviewer")
    dm_thread = services.thread_create(
        topic=dm_topic,
        author=vet,
        title="Dosing LDN at night in dogs with DM",
        body=(
            "I have two owners asking about LDN for dogs with early DM. The only naltrexone "
            "doses I know for dogs are the ones used for compulsive licking and tail chasing.\n\n"
            "Do you give it in the evening, and do you start lower than that behavioural dose?"
        ),
    )
    services.post_create(
        thread=dm_thread,
        author=prescriber,
        body=(
            "@Dr Vega yes to both. We give it at bedtime, because the idea behind low dosing is a "
            "short block of the receptors overnight followed by a rebound, and we start well "
            "below the behavioural dose, going up only if the dog tolerates it.\n\n"
            "We promise owners nothing. What we ask is that they film the dog walking every "
            "month, so we can tell a change from our own hopes."
        ),
    )
    services.post_create(
        thread=dm_thread,
        author=reviewer,
        body=(
            "Useful for the review. Would you both be willing to enter these dogs in the "
            "registry, with a gait score before the first dose? Without the score before "
            "treatment we cannot compare anything afterwards."
        ),
    )
    als_thread = services.thread_create(
        topic=als_topic,
        author=_user("clinician"),
        title="Patients starting LDN on their own",
        body=(
            "Several of my ALS patients have started LDN bought online, usually 4.5 mg at night. "
            "I ask them to tell me, mostly to check liver tests and other medicines. Has anyone "
            "seen a reason to advise stopping it?"
        ),
    )
    services.post_create(
        thread=als_thread,
        author=_user("reviewer2"),
        body=(
            "Not from the published record: there is no trial in ALS to weigh harm against. "
            "Worth asking about opioid pain relief, which naltrexone blocks, and about vivid "
            "dreams, which some people report."
        ),
    )
    # Editors decided this exchange may help patients read what their clinicians weigh.
    services.thread_moderate(thread=als_thread, by=_user("editor"), is_public=True)
    return 2


def _consult(dm_topic: Topic) -> None:
    vet, prescriber = _user("vet"), _user("prescriber")
    services.listing_save(
        prescriber=prescriber,
        topic=dm_topic,
        years_experience=20,
        cases=40,
        note="Happy to talk through dosing, follow-up and what to tell owners.",
    )
    consult = services.consult_request_create(
        requester=vet,
        topic=dm_topic,
        prescriber=prescriber,
        question=(
            "An eleven-year-old corgi, DM confirmed by genetic test, hind limbs weak for three "
            "months. The owner wants to try LDN. Could we talk about where you start?"
        ),
    )
    services.consult_decide(consult=consult, by=prescriber, accept=True)
    services.consult_message_send(
        consult=consult,
        author=prescriber,
        body="Glad to. Send me the current gait video first, then we can plan a starting dose.",
    )
    services.consult_message_send(
        consult=consult,
        author=vet,
        body="Thank you — I will ask the owner to film her this week and send it over.",
    )


def _subscriptions(als_topic: Topic, dm_topic: Topic) -> int:
    """Pat follows the ALS review and topic, Olive the DM review: they hear of new versions
    (and Pat of the ALS discussion the editors make public below)."""
    plan = [
        ("patient", als_topic, Subscription.Kind.REVIEW),
        ("patient", als_topic, Subscription.Kind.TOPIC),
        ("owner", dm_topic, Subscription.Kind.REVIEW),
        ("clinician", als_topic, Subscription.Kind.REVIEW),
    ]
    for who, topic, kind in plan:
        services.subscription_follow(user=_user(who), topic=topic, kind=kind)
    return len(plan)


def load() -> str:
    # The demo's e-mails go to the morning digest, so loading it prints no mail.
    for account in DEMO_ACCOUNTS:
        NotificationSetting.objects.update_or_create(
            user=demo_user(account.email),
            defaults={"email_frequency": NotificationSetting.Frequency.DAILY},
        )
    als_topic = Topic.objects.select_related("therapy", "condition").get(slug=LDN_ALS_SLUG)
    dm_topic = Topic.objects.select_related("therapy", "condition").get(slug=LDN_DM_SLUG)
    requests = _requests(als_topic.condition, dm_topic.condition, dm_topic)
    follows = _subscriptions(als_topic, dm_topic)
    threads = _discussions(als_topic, dm_topic)
    _consult(dm_topic)
    return (
        f"network: {requests} review requests, {threads} discussions, {follows} subscriptions, "
        "1 listed prescriber, 1 accepted consult"
    )
