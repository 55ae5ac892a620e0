"""Two published demo reviews of low-dose naltrexone (LDN): for ALS and for canine DM.

The ALS review rebuilds, in our own words, the facts of the ALSUntangled No. 8 report (seed
002): its references (records of the demo literature, ``web/literature/demo_data``) become
Reference rows and evidence items, the patient-community figures go under Cases, the label's
side effects and liver warning under Risks. The DM review uses the
veterinary article of seed 000: vets' anecdotal case histories under Cases, no trials, and the
human ALS evidence as model evidence. Both are drafted by reviewer@, voted on by the three demo
reviewers and the editor, and published by editor@ through the same services the site uses.
"""

from __future__ import annotations

from offlabel.evidence.grading import suggest_grades
from offlabel.evidence.vocabulary import (
    Category,
    Design,
    Direction,
    Grade,
    Quality,
    Species,
    TargetSpecies,
)
from offlabel.web.accounts.models import User
from offlabel.web.catalog.demo import LDN_ALS_SLUG, LDN_DM_SLUG
from offlabel.web.catalog.models import Topic
from offlabel.web.literature import demo as demo_literature
from offlabel.web.literature.models import LibraryEntry, Reference
from offlabel.web.reviews import services
from offlabel.web.reviews.demo_als import (
    ALS_ITEMS,
    ALS_PLAIN_SUMMARY,
    ALS_RATIONALES,
    ALS_REFS,
    ALS_SECTIONS,
    ALS_VOTES,
)
from offlabel.web.reviews.demo_dm import (
    DM_ITEMS,
    DM_PLAIN_SUMMARY,
    DM_RATIONALES,
    DM_REFS,
    DM_SECTIONS,
    DM_VOTES,
)
from offlabel.web.reviews.demo_es import ALS_ES, DM_ES
from offlabel.web.reviews.demo_spec import DEMO_CONFLICTS, DemoReview, Ref
from offlabel.web.reviews.models import Review
from offlabel.web.reviews.translations import review_translation_save

AUTHOR = "reviewer@offlabel.demo"
VOTERS = (
    "reviewer@offlabel.demo",
    "reviewer2@offlabel.demo",
    "reviewer3@offlabel.demo",
    "editor@offlabel.demo",
)
EDITOR = "editor@offlabel.demo"


def _reference(ref: Ref) -> Reference:
    """The stored reference for ``ref`` (by PMID, DOI or title) or a new one, from the demo
    literature's record."""
    fields = demo_literature.reference_fields(ref.cite)
    found = None
    if fields["pmid"]:
        found = Reference.objects.filter(pmid=fields["pmid"]).first()
    if found is None and fields["doi"]:
        found = Reference.objects.filter(doi__iexact=fields["doi"]).first()
    if found is None:
        found = Reference.objects.filter(title__iexact=fields["title"]).first()
    if found is not None:
        return found
    return Reference.objects.create(**fields, species=ref.species, design=ref.design)


def _build(spec: DemoReview, users: dict[str, User]) -> Review:
    topic = Topic.objects.get(slug=spec.slug)
    author = users[AUTHOR]
    review = services.review_create_draft(topic=topic, by=author, title=spec.title)
    services.review_update(
        review=review,
        by=author,
        author_names=spec.author_names,
        plain_summary=spec.plain_summary,
        **spec.sections,
    )
    refs: dict[str, Reference] = {}
    for ref in spec.references:
        refs[ref.key] = reference = _reference(ref)
        LibraryEntry.objects.get_or_create(topic=topic, reference=reference)
        services.review_reference_cite(review=review, reference=reference, by=author)
    for item in spec.items:
        services.evidence_item_add(
            review=review,
            by=author,
            reference=refs[item.ref],
            category=item.category,
            species=item.species,
            design=item.design,
            quality=item.quality,
            direction=item.direction,
            verified=item.verified,
            n=item.n,
            note=item.note,
            # The reviewers filed other therapies and diseases on purpose (each note says why):
            # they confirm what the relevance check flags.
            confirm_relevance=True,
        )
    services.review_circulate(review=review, by=author)
    for email, statement in zip(VOTERS, DEMO_CONFLICTS, strict=True):
        services.conflict_statement_save(review=review, by=users[email], statement=statement)
    for category in Category:
        for index, email in enumerate(VOTERS):
            grade = spec.votes[category.value][index]
            services.grade_vote_cast(
                review=review,
                by=users[email],
                category=category.value,
                grade=grade,
                rationale=spec.rationales.get((category.value, index), ""),
            )
    review = services.review_publish(review=review, by=users[EDITOR])
    if spec.spanish:
        review_translation_save(review=review, language="es", by=users[EDITOR], **spec.spanish)
    return review


DEMO_REVIEWS = (
    DemoReview(
        LDN_ALS_SLUG,
        "Low-dose naltrexone for ALS",
        "offlabel demo reviewers (Dr Reyes, Dr Rao, Dr Ross; editor Eda)",
        ALS_REFS,
        ALS_ITEMS,
        ALS_SECTIONS,
        ALS_VOTES,
        ALS_RATIONALES,
        ALS_PLAIN_SUMMARY,
        ALS_ES,
    ),
    DemoReview(
        LDN_DM_SLUG,
        "Low-dose naltrexone for degenerative myelopathy in dogs",
        "offlabel demo reviewers (Dr Reyes, Dr Rao, Dr Ross; editor Eda)",
        DM_REFS,
        DM_ITEMS,
        DM_SECTIONS,
        DM_VOTES,
        DM_RATIONALES,
        DM_PLAIN_SUMMARY,
        DM_ES,
    ),
)


def suggested(spec: DemoReview, target_species: str) -> dict[str, Grade]:
    """The engine's suggestions for a demo review's evidence (used by tests and checks)."""
    from offlabel.evidence.grading import EvidenceItem as CoreItem

    items = [
        CoreItem(
            category=Category(i.category),
            species=Species(i.species),
            target_species=TargetSpecies(target_species),
            design=Design(i.design),
            quality=Quality(i.quality),
            direction=Direction(i.direction),
            verified=i.verified,
            n=i.n,
        )
        for i in spec.items
    ]
    return {c.value: s.grade for c, s in suggest_grades(items).items()}


def load() -> list[Review]:
    """Build and publish both demo reviews (skipping a topic that already has a review)."""
    users = {u.email: u for u in User.objects.filter(email__in=VOTERS)}
    missing = sorted(set(VOTERS) - set(users))
    if missing:
        raise RuntimeError(f"demo accounts missing: {', '.join(missing)} (load accounts first)")
    published: list[Review] = []
    for spec in DEMO_REVIEWS:
        existing = Review.objects.filter(topic__slug=spec.slug).first()
        if existing is not None:
            continue
        published.append(_build(spec, users))
    return published
