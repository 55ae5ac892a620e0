"""Demo content: the LDN × ALS review, rebuilt in our own words from the facts of the
ALSUntangled No. 8 report (seed 002): its references, the patient-community figures, the
label's side effects and liver warning, and the cost."""

from __future__ import annotations

from offlabel.web.reviews.demo_spec import Item, Ref

# In the order of the report's reference list (the sections cite them by number), then the
# report itself.
ALS_REFS = [
    Ref("label", "US Food and Drug Administration 2010"),
    Ref("ldnorg", "http://www.lowdosenaltrexone.org/"),
    Ref("forum", "http://www.als-tdf.org/forum/Default.aspx?g=posts&t=47657"),
    Ref("modesto", "Modesto-Lowe 2002", design="review"),
    Ref("panerai", "Panerai 1994", species="rat", design="animal_study"),
    Ref("mccarthy", "McCarthy 2001", design="review"),
    Ref("smith", "17222320", species="human", design="uncontrolled_trial"),
    Ref("cree", "20695007", species="human", design="rct"),
    Ref("niebroj", "Niebroj-Dobosz 2006", species="human", design="mechanistic_study"),
    Ref("holmoy", "Holmøy 2008", design="review"),
    Ref("meininger", "19922128", species="human", design="rct"),
    Ref("stommel", "19922130", species="human", design="uncontrolled_trial"),
    Ref("meucci", "Meucci 1996", species="human", design="uncontrolled_trial"),
    Ref("lyeth", "Lyeth 1995", species="rat", design="animal_study"),
    Ref("baskin", "Baskin 1986", species="other_animal", design="animal_study"),
    Ref("su", "Su 2007", species="rat", design="animal_study"),
    Ref("silani", "Silani 1983", species="human", design="uncontrolled_trial"),
    Ref("untangled", "10.3109/17482968.2010.544386", species="human", design="review"),
]

ALS_ITEMS = [
    # Mechanism: opioid receptors on immune cells make an immune effect plausible; LDN pilots
    # in other immune diseases; but immune therapies failed in ALS trials.
    Item(
        "panerai",
        "mechanism",
        "rat",
        "animal_study",
        "well_designed",
        "benefit",
        True,
        None,
        "Links endogenous opioids and an immune cytokine in a rat autoimmune model.",
    ),
    Item(
        "smith",
        "mechanism",
        "human",
        "uncontrolled_trial",
        "flawed",
        "benefit",
        False,
        17,
        "Crohn's disease, open-label pilot: evidence in another condition, not ALS.",
    ),
    Item(
        "cree",
        "mechanism",
        "human",
        "rct",
        "flawed",
        "mixed",
        False,
        80,
        "Multiple sclerosis pilot: quality of life improved, physical measures did not.",
    ),
    Item(
        "niebroj",
        "mechanism",
        "human",
        "mechanistic_study",
        "flawed",
        "benefit",
        True,
        None,
        "Autoantibodies in ALS spinal fluid: an immune component exists, not that LDN acts on it.",
    ),
    Item(
        "meininger",
        "mechanism",
        "human",
        "rct",
        "well_designed",
        "no_benefit",
        True,
        366,
        "An immunomodulating drug had no effect on ALS progression.",
    ),
    Item(
        "stommel",
        "mechanism",
        "human",
        "uncontrolled_trial",
        "flawed",
        "no_benefit",
        True,
        None,
        "Thalidomide, an immune modifier: no benefit in ALS.",
    ),
    Item(
        "meucci",
        "mechanism",
        "human",
        "uncontrolled_trial",
        "flawed",
        "no_benefit",
        True,
        None,
        "Immunoglobulin therapy: no benefit in ALS.",
    ),
    # Pre-clinical: rodent injury and stroke models with opioid antagonists, results mixed.
    Item(
        "lyeth",
        "preclinical",
        "rat",
        "animal_study",
        "flawed",
        "benefit",
        True,
        None,
        "Traumatic brain injury in rats: an opioid antagonist improved outcome. Not an ALS model.",
    ),
    Item(
        "baskin",
        "preclinical",
        "other_animal",
        "animal_study",
        "flawed",
        "benefit",
        True,
        None,
        "Experimental stroke: opiate antagonists protected. Not an ALS model.",
    ),
    Item(
        "su",
        "preclinical",
        "rat",
        "animal_study",
        "flawed",
        "harm",
        True,
        None,
        "Forebrain ischaemia in rats: an opioid agonist protected and antagonists blocked it, "
        "so an antagonist could harm.",
    ),
    # Cases: the patient-community figures (self-reported, unverifiable).
    Item(
        "untangled",
        "cases",
        "human",
        "patient_reported",
        "flawed",
        "mixed",
        False,
        15,
        "31 community members reported taking LDN, 15 rated it (highest rating per person): "
        "47% no effect or unsure, 20% slight, 27% moderate benefit.",
    ),
    Item(
        "forum",
        "cases",
        "human",
        "patient_reported",
        "flawed",
        "mixed",
        False,
        None,
        "Forum anecdotes, positive and negative.",
    ),
    # Trials: the only ALS trial used naloxone, in two people, without benefit.
    Item(
        "silani",
        "trials",
        "human",
        "uncontrolled_trial",
        "flawed",
        "no_benefit",
        True,
        2,
        "Naloxone (a shorter-acting relative), two people with ALS, no apparent benefit.",
    ),
    # Risks: the label at full dose, and the community's reported side effects.
    Item(
        "label",
        "risks",
        "human",
        "review",
        "well_designed",
        "harm",
        True,
        None,
        "Boxed warning for hepatocellular injury; do not use with acute hepatitis or liver "
        "failure. Seen at full dose (380 mg injection).",
    ),
    Item(
        "untangled",
        "risks",
        "human",
        "patient_reported",
        "flawed",
        "mixed",
        False,
        31,
        "Vivid dreams, sleepiness, more spasms, diarrhoea, headache, nausea, hot flushes: one "
        "person each.",
    ),
]

ALS_SECTIONS = {
    "overview": """\
People with ALS asked for this review. Naltrexone blocks the mu, delta and kappa opioid
receptors; it is approved, at full dose, for opioid and alcohol dependence [1, 4]. Taken at a
small fraction of that dose (about 4.5 mg a day), "low-dose naltrexone" is promoted for a long
list of conditions, ALS among them. The best-known advocacy site claims that a low dose boosts
the immune system [2], and the drug comes up often on ALS forums, with good and bad stories [3].
The claims lean on laboratory studies and personal experience; no placebo-controlled study in
any neurological disease supports them.
""",
    "mechanism": """\
Opioid receptors sit on immune cells, and blocking them can change how natural killer cells,
T cells and cytokines behave [5, 6], so an immune effect of naltrexone is plausible. Small
open studies of LDN in Crohn's disease looked promising [7]; in multiple sclerosis a pilot
trial improved how people rated their quality of life but not physical measures [8], which fits
a feel-better effect more than a disease-modifying one.

ALS is a disease with many contributing causes. An immune component is debated [9, 10], but
drugs that dampen the immune system have not slowed ALS in trials [11–13]. So even if LDN does
suppress immunity, which is unproven, that would be a doubtful route to benefit in ALS.
""",
    "preclinical": """\
No study has tested naltrexone in an ALS model. Opioid antagonists, mostly naloxone, protected
neurons after traumatic brain injury in rats [14]. Stroke models disagree: antagonists helped in
one [15], while in another an opioid *agonist* protected brain cells and antagonists such as
naltrexone blocked that protection [16]. Injury and stroke are not ALS, and the mixed direction
leaves open that an antagonist could even harm motor neurons.
""",
    "cases": """\
In an online patient community, 31 people with ALS said they had taken LDN and 15 rated it
(counting each person's highest rating) [18]: 7 (47%) saw no effect or were unsure, 3 (20%)
reported a slight effect and 4 (27%) a moderate one. The benefits named were single reports:
less yawning, better balance, more energy with less phlegm, clearer speech, easier breathing
through the nose. None was measured, blinded or compared with people not taking LDN, so none
can be credited to the drug, or used to predict how others would fare. Forum stories point both
ways [3].
""",
    "trials": """\
No trial of naltrexone, at any dose, has been published in ALS or another motor neuron disease.
The one related study gave naloxone, a shorter-acting drug with the same receptor action, to two
people with ALS in 1983 and saw no benefit [17].
""",
    "risks": """\
The label lists nausea, vomiting, injection-site reactions, muscle cramps, dizziness or
fainting, sleepiness, and loss of appetite, and carries a boxed warning for liver cell injury:
naltrexone must not be used with acute hepatitis or liver failure [1]. These were seen at the
full injected dose (380 mg) and may be rarer or milder at 4.5 mg a day, which has not been
studied for safety in ALS. Community members reported vivid dreams, sleepiness, more spasms,
diarrhoea, headache, nausea and hot flushes, one person each [18].
""",
    "cost": """\
Community members reported paying between $25 and $49 a month, usually for a compounded
preparation.
""",
    "conclusion": """\
LDN might act on the immune system or protect neurons, but nothing yet shows either matters in
ALS, and some animal data hint it could harm. Patient reports are few, inconsistent and
unverifiable, and the only related trial found no benefit. The cost is moderate; side effects,
including liver toxicity at full dose, are possible. The evidence does not support using LDN
for ALS now; a pharmacological study of its mechanism would have to come first.
""",
}

# Suggestions for this evidence (default-v1): mechanism C, preclinical C, cases D, trials F,
# risks F. Votes in VOTERS order.
ALS_VOTES = {
    "mechanism": ("D", "C", "D", "D"),
    "preclinical": ("D", "D", "F", "D"),
    "cases": ("D", "D", "F", "D"),
    "trials": ("F", "F", "F", "U"),
    "risks": ("D", "C", "D", "D"),
}
ALS_RATIONALES = {
    ("preclinical", 2): "None of the models is ALS, and the stroke data point towards harm.",
    ("trials", 3): "The only study used naloxone, not naltrexone, in two people: I found no "
    "usable trial of the therapy itself.",
    ("risks", 1): "The boxed warning comes from the full injected dose; at 4.5 mg a day the "
    "reported effects are minor.",
    ("risks", 0): "Liver toxicity is documented only at full dose.",
    ("risks", 2): "Harm is confirmed at full dose, not at the low dose reviewed here.",
    ("risks", 3): "Full-dose label warnings; low-dose harm is reported but unconfirmed.",
}

ALS_PLAIN_SUMMARY = """\
We looked at all we could find on low-dose naltrexone (LDN) for ALS. No study has tested it in
people with ALS. No study has tested it in animals with an ALS-like disease either.

Some people with ALS who took it said they felt a bit better. Most felt no change. We cannot
tell if the drug or something else made them feel that way.

At full dose, the drug can harm the liver. At the low dose, side effects seem mild, but no one
has checked with care.

For now, there is no good proof that LDN helps with ALS. If you think of trying it, talk with
your ALS doctor first, and tell them about your other drugs.
"""
