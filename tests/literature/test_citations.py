import re

import pytest

from offlabel.literature.citations import format_vancouver, minimal_pages
from offlabel.literature.formats import parse_file
from offlabel.literature.records import Author, Record
from tests.support.shared_data import PUBMED_DATA, SEEDS, TEST_DATA, shared_file

SEED = SEEDS / "002_f9e9496c5060ef12.txt"


def _seed_references():
    """Numbered journal references of the seed, as plain text (markdown emphasis removed)."""
    refs = {}
    for line in shared_file(SEED).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\d+)\. (.*)$", line)
        if match and "*" in match.group(2):
            refs[int(match.group(1))] = match.group(2).replace("*", "")
    return refs


@pytest.mark.parametrize(
    ("number", "reference"),
    [
        (
            8,
            {
                "authors": ["Cree BA", "Kornyeieva E", "Goodin DS"],
                "title": "Pilot trial of low dose naltrexone and quality of life in "
                "multiple sclerosis",
                "journal": "Annals of Neurology",
                "year": 2010,
                "volume": "68",
                "issue": "2",
                "pages": "145-150",
            },
        ),
        (
            4,
            {
                "authors": ["Modesto-Lowe V", "van Kirk J"],
                "title": "Clinical uses of naltrexone: a review of the evidence.",
                "journal": "Exp Clin Psychopharmacol",
                "year": 2002,
                "volume": "10",
                "pages": "213-227",
            },
        ),
        (
            17,
            {
                "authors": ["Silani V", "Perini M", "Fayoumi ZM", "Scarlato G"],
                "title": "Naloxone of no benefit in amyotrophic lateral sclerosis",
                "journal": "Ann Neurol",
                "year": 1983,
                "volume": "13",
                "pages": "222",
            },
        ),
        (
            12,
            {
                "authors": [
                    "Stommel EW",
                    "Cohen JA",
                    "Fadul CE",
                    "Cogbill CH",
                    "Graber DJ",
                    "Kingman L",
                    "Mackenzie TA",
                    "Channon Smith JY",
                ],
                "title": "Efficacy of thalidomide for the treatment of amyotrophic lateral "
                "sclerosis: a phase II open label clinical trial",
                "journal": "Amyotroph Lateral Scler",
                "year": 2009,
                "volume": "10",
                "pages": "393-404",
            },
        ),
    ],
)
def test_dict_references_render_like_the_seed_reference_list(number, reference):
    (rendered,) = format_vancouver([reference])
    assert rendered == _seed_references()[number]


def test_record_renders_with_journal_abbreviation_and_et_al():
    (record,) = parse_file(shared_file(PUBMED_DATA / "pubmed-29768149.xml")).records
    (rendered,) = format_vancouver([record])
    assert rendered == (
        "O'Byrne PM, FitzGerald JM, Bateman ED, Barnes PJ, Zhong N, Keen C, et al. Inhaled "
        "Combined Budesonide-Formoterol as Needed in Mild Asthma. N Engl J Med. "
        "2018;378:1865–76."
    )


def test_group_author_and_missing_fields():
    record = Record(
        title="Riluzole registry report",
        authors=(Author("ALS Study Group"),),
        journal="J Test",
        year=2001,
    )
    assert format_vancouver([record]) == [
        "ALS Study Group. Riluzole registry report. J Test. 2001."
    ]


def test_reference_without_journal_shows_its_url():
    (rendered,) = format_vancouver(
        [{"title": "Prescribing information", "url": "http://a.example/x"}]
    )
    assert rendered == "Prescribing information. Available from: http://a.example/x"


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("145-150", "145–50"),
        ("1865-1876", "1865–76"),
        ("393-404", "393–404"),
        ("222", "222"),
        ("e123-e130", "e123–30"),
        ("99-101", "99–101"),
    ],
)
def test_minimal_pages(pages, expected):
    assert minimal_pages(pages) == expected


def test_group_authors_are_printed_as_written():
    from offlabel.literature.citations import format_vancouver

    (text,) = format_vancouver(
        [
            {
                "authors": ["US Food and Drug Administration"],
                "title": "Prescribing information for naltrexone",
                "year": 2010,
            }
        ]
    )
    assert text.startswith("US Food and Drug Administration.")
    (two,) = format_vancouver(
        [{"authors": ["ALSUntangled Group", "Cree BA"], "title": "T", "year": 2011}]
    )
    assert two.startswith("ALSUntangled Group, Cree BA.")


OWN = TEST_DATA / "literature"


def test_own_pubmed_record_renders_with_particle_and_group_author():
    trial = parse_file(OWN / "pubmed_current.xml").records[0]
    (rendered,) = format_vancouver([trial])
    assert rendered.startswith("Example AB, de Testa C, Invented ALS Study Group. A randomised")
    assert rendered.endswith("J Invent Neurol. 2021;12:101–9.")


def test_a_trial_registration_is_cited_with_its_nct_number_and_an_article_is_not():
    (registration,) = parse_file(OWN / "ctgov_officials.json").records
    (rendered,) = format_vancouver([registration])
    assert rendered == (
        "Doe J, de Paula R. Invented Naltrexone Study in ALS. ClinicalTrials.gov. 2020. "
        "Identifier: NCT09999904."
    )
    (article,) = format_vancouver([parse_file(OWN / "pubmed_current.xml").records[0]])
    assert "NCT09999901" not in article  # an article reporting a trial is cited as an article
    (pasted,) = format_vancouver([{"title": "A trial", "nct": "NCT09999907", "year": 2020}])
    assert pasted == "A trial. 2020. ClinicalTrials.gov Identifier: NCT09999907."


def test_journal_abbreviations_lose_their_dots():
    (rendered,) = format_vancouver(
        [{"title": "T", "journal": "Organic Letters", "journal_abbrev": "Org. Lett.", "year": 2019}]
    )
    assert rendered == "T. Org Lett. 2019."
