"""Demo content: the LDN × DM review, from the veterinary article of seed 000 (vets'
anecdotal case histories, no trials, human ALS evidence as model evidence)."""

from __future__ import annotations

from offlabel.web.reviews.demo_spec import Item, Ref

# In the order the sections cite them; shared sources are the same records as the ALS review's.
DM_REFS = [
    Ref("blog", "Naltrexone for degenerative myelopathy: a peer suggestion", "dog", "case_series"),
    Ref("untangled", "10.3109/17482968.2010.544386", "human", "review"),
    Ref("norway", "35464630", "human", "cohort"),
    Ref("silani", "Silani 1983", "human", "uncontrolled_trial"),
    Ref("label", "US Food and Drug Administration 2010"),
    Ref("ralli", "Ralli 2019", design="review"),
    Ref("ovchinnikova", "36431078", design="review"),
]

DM_ITEMS = [
    # Mechanism: only human ALS data (model evidence here); an autoimmune part is debated.
    Item(
        "untangled",
        "mechanism",
        "human",
        "mechanistic_study",
        "flawed",
        "mixed",
        False,
        None,
        "Human ALS: an immune effect of LDN is plausible but unshown, and immune "
        "therapies failed in ALS trials. Model evidence for dogs.",
    ),
    # Cases: two vets' decades of anecdotes.
    Item(
        "blog",
        "cases",
        "dog",
        "case_series",
        "flawed",
        "benefit",
        False,
        None,
        "Two veterinarians report 'dozens' of dogs with DM whose decline seemed to slow for a "
        "while; no records, no comparison, diagnosis not confirmed by necropsy or genotype.",
    ),
    # Human evidence filed as cases/trials counts as model (pre-clinical) evidence for dogs.
    Item(
        "norway",
        "cases",
        "human",
        "cohort",
        "flawed",
        "benefit",
        False,
        None,
        "People with ALS taking LDN or vitamin B reported better physical quality of life; a "
        "correlation in a small survey.",
    ),
    Item(
        "untangled",
        "cases",
        "human",
        "patient_reported",
        "flawed",
        "mixed",
        False,
        15,
        "ALS patient-community ratings: about half no effect or unsure.",
    ),
    Item(
        "silani",
        "trials",
        "human",
        "uncontrolled_trial",
        "flawed",
        "no_benefit",
        True,
        2,
        "Naloxone in two people with ALS: no benefit.",
    ),
    # Risks: nothing measured in dogs; the human label as model evidence.
    Item(
        "label",
        "risks",
        "human",
        "review",
        "well_designed",
        "harm",
        True,
        None,
        "Human full-dose label: liver injury warning.",
    ),
]

DM_SECTIONS = {
    "overview": """\
Owners of dogs with degenerative myelopathy hear that low-dose naltrexone may slow the disease.
The suggestion comes from two veterinarians who have prescribed it for about twenty years and
describe dozens of dogs that seemed to do better for a time [1]. They promise nothing. No study
of naltrexone in dogs with DM has been completed, the drug is not approved for DM, and the
standard veterinary drug handbook does not list this use. In dogs it has been used for
compulsive behaviours such as tail chasing and lick granulomas.
""",
    "mechanism": """\
DM is a degeneration of the spinal cord's white matter, first described in 1973, and resembles
some forms of human ALS; both involve SOD1. An autoimmune contribution has been proposed in
ALS [6, 7] and, more tentatively, in DM. Whether LDN changes immunity enough to matter is
unknown in people [2] and unstudied in dogs. Everything here comes from people, so for dogs it
is model evidence only.
""",
    "preclinical": """\
There are no laboratory or animal-model studies of naltrexone in DM. Human ALS evidence stands
in as model evidence: the one related ALS trial (naloxone, two people) found no benefit [4]; an
online ALS community's ratings were mixed [2]; and a small Norwegian survey in 2022 linked LDN
or vitamin B use with better self-rated physical quality of life [3], a correlation that cannot
show cause.
""",
    "cases": """\
The only canine evidence is the two veterinarians' experience: dozens of case histories over
two decades in which the medication "helped for a period of time" [1]. It has not been
published, there is no untreated comparison, and we do not know how the diagnosis was made or
how walking was measured. DM progresses at different speeds in different dogs, so an apparent
slowing in some of them is expected even without treatment.
""",
    "trials": """\
No trial of naltrexone in dogs with DM has been run or registered.
""",
    "risks": """\
Nothing has been measured in dogs with DM. The prescribing vets start below the dose the
veterinary handbook gives for behavioural problems and give it at night. In people, full-dose
naltrexone carries a warning for liver injury [5]; whether anything similar happens in dogs at
low dose is unknown.
""",
    "cost": """\
No cost figures for dogs were reported. For people, a month of LDN was reported at $25–$49.
""",
    "conclusion": """\
LDN for DM rests on honest but unstructured anecdotes from two experienced vets, plus indirect
and mostly discouraging human ALS evidence. It may be tried with a vet who knows the drug, but
nobody can say yet whether it works. Owners who try it help most by recording their dog's
walking before and during treatment, so that the next review has data rather than impressions.
""",
}

DM_VOTES = {
    "mechanism": ("D", "D", "U", "D"),
    "preclinical": ("F", "D", "F", "F"),
    "cases": ("D", "D", "D", "C"),
    "trials": ("U", "U", "U", "U"),
    "risks": ("D", "U", "D", "D"),
}
DM_RATIONALES = {
    ("mechanism", 2): "Only human data: I see no usable mechanistic evidence for dogs.",
    ("risks", 1): "Nothing is measured in dogs; the human label is a different dose and species.",
}

DM_PLAIN_SUMMARY = """\
We looked at what is known about low-dose naltrexone (LDN) for dogs with DM. No study has
tested it in dogs. Two vets say that, over many years, it seemed to slow the disease in some
dogs for a while. They did not keep records we can check, and DM goes at a different pace in
each dog.

We know little about its side effects in dogs at this dose. In people, a full dose can harm the
liver.

So no one can yet say if LDN helps dogs with DM. If you want to try it, do so with your vet.
Write down how your dog walks each week, before and during the treatment. That helps the next
dog too.
"""
