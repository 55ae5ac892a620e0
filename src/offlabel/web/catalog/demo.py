"""The two low-dose naltrexone topics, with overviews written from the seed documents' facts."""

from __future__ import annotations

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.web.catalog.models import Condition, Therapy, Topic

LDN_ALS_SLUG = "low-dose-naltrexone-als"
LDN_DM_SLUG = "low-dose-naltrexone-degenerative-myelopathy"

LDN_ALS_OVERVIEW = """\
**What is claimed.** Advocacy websites say that naltrexone taken at a low dose (typically
4.5 mg a day, a small fraction of the dose used for addiction) tunes the immune system and helps
in autoimmune, neurodegenerative and other diseases, ALS among them. The claim circulates on
patient forums, backed mostly by laboratory findings and personal stories.

**What is known.** Naltrexone blocks the mu, delta and kappa opioid receptors and is approved for
opioid and alcohol dependence. Opioid receptors sit on immune cells, so an effect on immunity is
plausible, but immunosuppressive treatments have not helped people with ALS in trials. No trial of
naltrexone in ALS has been published; a 1983 pilot of the related drug naloxone in two people with
ALS saw no benefit. Among 31 members of an online patient community who reported taking LDN, 15
rated it: about half saw no effect or could not tell, the others reported slight or moderate help,
none of it verifiable. A monthly supply was reported to cost about $25–$49.

**Risks.** At full dose naltrexone carries a warning for liver injury and should not be used with
acute hepatitis or liver failure; nausea, dizziness, sleepiness and vivid dreams are reported.
These may be rarer at low dose.
"""

LDN_DM_OVERVIEW = """\
**What is claimed.** Two veterinarians report twenty years of experience and dozens of case
histories in which low-dose naltrexone, given at night, seemed to slow degenerative myelopathy
for a while and to improve dogs' quality of life. They promise nothing and call it worth a try.

**What is known.** No study of naltrexone in dogs with DM has been completed. The drug is not
approved for DM and the standard veterinary drug handbook does not list it for this use; in dogs it
has been used for compulsive behaviours such as tail chasing and lick dermatitis. DM is a disease
of the spinal cord's white matter, first described in 1973, and resembles some forms of human ALS
(both involve SOD1), so evidence from people with ALS counts here only as model evidence.
A small Norwegian survey of people with ALS found that those taking LDN or vitamin B reported
better physical quality of life; such a correlation cannot show cause.

**What an owner can do.** Ask your vet; vets can be put in touch with a colleague experienced in
prescribing LDN for DM. Record how your dog walks before and during any treatment, so the next
owner learns from your dog too.
"""


def load() -> list[Topic]:
    ldn, _ = Therapy.objects.update_or_create(
        slug="low-dose-naltrexone",
        defaults={
            "name": "Low-dose naltrexone",
            "synonyms": "LDN, naltrexone, naltrexone hydrochloride, low dose naltrexone",
            "therapy_class": "Opioid receptor antagonist (mu, delta, kappa), used at low dose",
            "description": "Naltrexone, approved for opioid and alcohol dependence, taken at a "
            "small fraction of the usual dose (about 4.5 mg a day in adults).",
        },
    )
    als, _ = Condition.objects.update_or_create(
        slug="als",
        defaults={
            "name": "Amyotrophic lateral sclerosis",
            "species": TargetSpecies.HUMAN,
            "synonyms": (
                "ALS, motor neuron disease, motor neurone disease, MND, Lou Gehrig's disease"
            ),
        },
    )
    dm, _ = Condition.objects.update_or_create(
        slug="degenerative-myelopathy",
        defaults={
            "name": "Degenerative myelopathy",
            "species": TargetSpecies.DOG,
            "synonyms": "DM, canine degenerative myelopathy, CDM",
        },
    )
    topics = [
        Topic.objects.update_or_create(
            slug=LDN_ALS_SLUG,
            defaults={
                "therapy": ldn,
                "condition": als,
                "overview": LDN_ALS_OVERVIEW,
                "status": Topic.Status.IN_REVIEW,
            },
        )[0],
        Topic.objects.update_or_create(
            slug=LDN_DM_SLUG,
            defaults={
                "therapy": ldn,
                "condition": dm,
                "overview": LDN_DM_OVERVIEW,
                "status": Topic.Status.IN_REVIEW,
            },
        )[0],
    ]
    return topics
