"""Personal details in free text: found with Microsoft Presidio, replaced by a bracketed kind.

:func:`redact` is what :func:`offlabel.registry.deidentify.deidentify` applies to every free-text
value it keeps (therapy names as written, side effects, breeds): person names, phone numbers,
postal addresses, dates, URLs and e-mail addresses become ``[name]``, ``[phone]``,
``[address]``, ``[date]``, ``[url]``, ``[e-mail]`` (a place named after "in", "from", "near" …
becomes ``[place]``).

Why Presidio (``presidio-analyzer``): it is maintained, made for exactly this (PII detection with
pluggable recognisers, overlap resolution and scores), and its recognisers need no model:
phone numbers through Google's libphonenumber (``phonenumbers``, every national format of the
regions in ``definitions/free_text.toml``), e-mail addresses, URLs and numeric dates by its
patterns. Its named-entity recogniser would need a spaCy model, which no package registry
ships, so the engine runs on spaCy's blank English tokenizer and this module adds recognisers
of its own on Presidio's API:

- person names: capitalised words after an honorific ("Dr Jane Roe"), a given name followed by
  capitalised words or a capitalised word followed by a known surname ("Jane Roe", "Kim
  O'Brien-Smith") — the given names and surnames are the lists Faker ships for the locales in
  the definitions —, a known given or pet name alone, and capitalised words after a cue ("for
  Rex Secretdog", "named Biscuit");
- postal addresses: a house number, street words and a street type ("12 Elm Street", "Flat 3,
  4 High St"), PO boxes, US "City, ST 12345", UK postcodes, German "Hauptstraße 5";
- written dates ("3 March 2024", "March 3rd, 2024", "Mar 2024") and short phone numbers after
  "tel"/"phone" that libphonenumber cannot place ("tel 555-0100").

Words of the registry's vocabulary (therapies, side effects, breeds, listed in the definitions)
are never taken for a name or a place, so "Low-dose naltrexone", "Pembroke Welsh Corgi" and
"Nausea" stay as written. Nothing is fetched at run time. ``tests/registry/test_free_text.py``
measures recall on a labelled set of synthetic entries and precision on ordinary text.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

REPLACEMENTS = {
    "PERSON": "[name]",
    "PHONE_NUMBER": "[phone]",
    "ADDRESS": "[address]",
    "DATE_TIME": "[date]",
    "URL": "[url]",
    "EMAIL_ADDRESS": "[e-mail]",
    "LOCATION": "[place]",
}
#: Findings scored below this are ignored (Presidio's own numeric-date patterns score 0.6, its
#: month/year pattern 0.2).
MIN_SCORE = 0.3

_CAP = r"(?:(?:O'|Mc|Mac)?[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*|[A-Z]\.)"
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_US_STATES = [
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
    "DC",
]


@dataclass(frozen=True, slots=True)
class Finding:
    """A span of personal detail: ``text[start:end]`` is of ``kind`` (a key of REPLACEMENTS)."""

    start: int
    end: int
    kind: str


@functools.cache
def _definitions() -> dict[str, Any]:
    path = resources.files("offlabel.registry") / "definitions" / "free_text.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _faker_names(locales: list[str]) -> tuple[frozenset[str], frozenset[str]]:
    import importlib

    given: set[str] = set()
    family: set[str] = set()
    for locale in locales:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute, into in (
            ("first_names", given),
            ("first_names_female", given),
            ("first_names_male", given),
            ("last_names", family),
        ):
            values = getattr(provider, attribute, ())
            into.update(str(v) for v in values if str(v)[:1].isupper() and " " not in str(v))
    return frozenset(given), frozenset(family)


@dataclass(frozen=True)
class _Lists:
    given: frozenset[str]
    family: frozenset[str]
    vocabulary: frozenset[str]
    honorifics: frozenset[str]
    name_cues: frozenset[str]
    place_cues: frozenset[str]


@functools.cache
def _lists() -> _Lists:
    d = _definitions()
    vocabulary = frozenset(d["vocabulary"]) | frozenset(w.lower() for w in d["vocabulary"])
    given, family = _faker_names(list(d["name_locales"]))
    months = {m.strip(".") for m in re.findall(r"[A-Z][a-z]+", _MONTH)}
    given = frozenset((given | set(d["pet_names"])) - vocabulary - months)
    return _Lists(
        given=given,
        family=frozenset(family - vocabulary - months),
        vocabulary=vocabulary | frozenset(months) | {"January", "February", "March", "April"},
        honorifics=frozenset(d["honorifics"]),
        name_cues=frozenset(d["name_cues"]),
        place_cues=frozenset(d["place_cues"]),
    )


_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’.-]*|\S")


def _words(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        end = m.end()
        # a trailing full stop belongs to the word only for initials and honorifics ("J.", "Dr.")
        if (
            word.endswith(".")
            and len(word) > 2
            and not word[:-1].endswith(".")
            and word not in _lists().honorifics
        ):
            word, end = word[:-1], end - 1
        out.append((word, m.start(), end))
    return out


def _capitalised(word: str) -> bool:
    return re.fullmatch(_CAP, word) is not None


def _names_and_places(text: str) -> list[Finding]:
    """Person names and places by the rules of the module docstring."""
    lists = _lists()
    words = _words(text)
    found: list[Finding] = []
    i = 0
    while i < len(words):
        word, start, _ = words[i]
        previous = words[i - 1][0] if i else ""
        if word in lists.honorifics and i + 1 < len(words) and _capitalised(words[i + 1][0]):
            j = i + 1
            while j < len(words) and j - i <= 3 and _capitalised(words[j][0]):
                j += 1
            found.append(Finding(start, words[j - 1][2], "PERSON"))
            i = j
            continue
        if not _capitalised(word) or word in lists.vocabulary:
            i += 1
            continue
        j = i
        while j < len(words) and j - i < 4 and _capitalised(words[j][0]):
            if words[j][0] in lists.vocabulary and j > i:
                break
            j += 1
        run = [w for w, _, _ in words[i:j]]
        end = words[j - 1][2]
        cue = previous.lower()
        following = words[j][0].lower() if j < len(words) else ""
        named = (
            run[0] in lists.given
            or len(run) > 1  # two capitalised words that are not vocabulary: a full name
            or (cue == "(" and following == ")")  # "Boxer (Juniper)"
            or (i == 0 and following in {"is", "was", "has", "'s", "’s"})  # "Otis is a Boxer"
        )
        if named or cue in lists.name_cues:
            # at the very start of a text a lone capitalised word is a sentence opener
            if not (len(run) == 1 and i == 0 and not named):
                found.append(Finding(start, end, "PERSON"))
        elif cue in lists.place_cues or (
            cue == ","
            and found
            and found[-1].kind == "PERSON"
            and i > 1
            and words[i - 2][2] == found[-1].end
        ):
            # "from Springfield", or the town written after a name ("Dr Jane Roe, Springfield")
            found.append(Finding(start, end, "LOCATION"))
        i = j
    return found


def _street_pattern() -> str:
    types = "|".join(re.escape(t) for t in sorted(_definitions()["street_types"], key=len)[::-1])
    unit = r"(?:(?:Flat|Apt\.?|Apartment|Unit|Suite|Ste\.?|#)\s*\w+,?\s+)?"
    street = rf"\b{unit}\d{{1,5}}[A-Za-z]?,?\s+(?:{_CAP}\s+){{1,3}}(?:{types})(?![A-Za-z])"
    tail = rf"(?:,?\s+(?:(?:Apt\.?|Unit|Suite|#)\s*\w+|{_CAP}(?:\s+{_CAP})?))?"
    return street + tail


def _recognizers() -> list[Any]:
    from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
    from presidio_analyzer.predefined_recognizers import (
        DateRecognizer,
        EmailRecognizer,
        PhoneRecognizer,
        UrlRecognizer,
    )

    class LocalEmailRecognizer(EmailRecognizer):
        """Presidio's e-mail pattern without its domain check, which downloads the public
        suffix list at run time (tldextract)."""

        def validate_result(self, pattern_text: str) -> bool:
            return "." in pattern_text.rsplit("@", 1)[-1]

    class NameRecognizer(PatternRecognizer):
        def __init__(self) -> None:
            super().__init__(
                supported_entity="PERSON", patterns=[Pattern("unused", r"(?!x)x", 0.0)]
            )
            self.supported_entities = ["PERSON", "LOCATION"]

        def analyze(
            self,
            text: str,
            entities: list[str],
            nlp_artifacts: Any = None,
            regex_flags: int | None = None,
        ) -> list[RecognizerResult]:
            return [
                RecognizerResult(f.kind, f.start, f.end, 0.85 if f.kind == "PERSON" else 0.5)
                for f in _names_and_places(text)
            ]

    states = "|".join(_US_STATES)
    flags = re.DOTALL | re.MULTILINE  # case matters (Presidio ignores it by default)
    zip_code = r"\d{5}(?:-\d{4})?\b"
    ordinal = r"(?:st|nd|rd|th)"
    day = r"(?:0?[1-9]|[12]\d|3[01])"
    units = r"(?!\s*(?:mg|IU|units?|ml|kg)\b)"
    addresses = [
        Pattern("street", _street_pattern(), 0.8),
        Pattern("po box", r"\bP\.?\s?O\.?\s*Box\s+\d+\b", 0.8),
        Pattern(
            "us city state zip",
            rf"\b{_CAP}(?:\s+{_CAP})?,?\s+(?:{states})\s+{zip_code}",
            0.8,
        ),
        Pattern("us state zip", rf"\b(?:{states})\s+{zip_code}", 0.6),
        Pattern("uk postcode", r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", 0.7),
        Pattern(
            "german street",
            r"\b[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|weg|gasse|platz|allee)\s+\d+[a-z]?\b",
            0.8,
        ),
        Pattern("postcode town", rf"\b\d{{4,5}}\s+{_CAP}\b{units}", 0.4),
    ]
    dates = [
        Pattern("d month y", rf"\b\d{{1,2}}{ordinal}?(?:\s+of)?\s+{_MONTH},?\s+\d{{2,4}}\b", 0.8),
        Pattern("month d y", rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", 0.8),
        Pattern("d month", rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?![A-Za-z])", 0.6),
        Pattern("month d", rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)\b", 0.6),
        Pattern("month year", rf"\b{_MONTH},?\s+(?:19|20)\d{{2}}\b", 0.6),
        Pattern("iso", rf"\b(?:19|20)\d{{2}}[-/.](?:0?[1-9]|1[0-2])[-/.]{day}\b", 0.8),
        Pattern(
            "numeric",
            rf"\b{day}[/.-]{day}[/.-](?:\d{{4}}|\d{{2}})\b",
            0.7,
        ),
    ]
    phones = [
        Pattern(
            "after a cue",
            r"(?i:\b(?:tel|telephone|phone|ph|mob|mobile|cell|call|text|fax|whatsapp)\b\.?:?\s*(?:no\.?|number)?:?\s*)"
            r"\+?\(?\d[\d ().-]{4,16}\d",
            0.8,
        ),
        Pattern("us", r"(?<![\d-])(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?![\d-])", 0.7),
        Pattern(
            "local",
            rf"(?<![\d.,-])\d{{3}}[ .-]\d{{4}}(?![\d-]|[.,]\d){units}",
            0.5,
        ),
        Pattern("international", r"\+\d{1,3}[ .-]?\(?\d{1,4}\)?(?:[ .-]?\d{2,4}){2,4}\b", 0.7),
    ]
    regions = tuple(_definitions()["phone_regions"])
    return [
        LocalEmailRecognizer(),
        UrlRecognizer(),
        PhoneRecognizer(supported_regions=regions),
        DateRecognizer(),
        NameRecognizer(),
        PatternRecognizer(
            supported_entity="ADDRESS",
            patterns=addresses,
            name="AddressRecognizer",
            global_regex_flags=flags,
        ),
        PatternRecognizer(
            supported_entity="DATE_TIME",
            patterns=dates,
            name="WrittenDates",
            global_regex_flags=flags,
        ),
        PatternRecognizer(
            supported_entity="PHONE_NUMBER",
            patterns=phones,
            name="ShortPhones",
            global_regex_flags=flags,
        ),
    ]


@functools.cache
def _engine() -> Any:
    """Presidio's analyzer on spaCy's blank English pipeline (a tokenizer; no model file)."""
    import logging

    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)

    class BlankEnglish(SpacyNlpEngine):
        def __init__(self) -> None:
            self.models = [{"lang_code": "en", "model_name": "blank:en"}]
            self.ner_model_configuration = NerModelConfiguration()
            self.nlp = {"en": spacy.blank("en")}  # type: ignore[assignment]

        def load(self) -> None:  # the pipeline is built above; nothing to load
            return None

    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in _recognizers():
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=BlankEnglish(), supported_languages=["en"])


def find(text: str) -> list[Finding]:
    """The personal details in ``text``, left to right, overlaps merged (the wider span wins)."""
    if not text or not any(ch.isalnum() for ch in text):
        return []
    results = _engine().analyze(text=text, language="en", score_threshold=MIN_SCORE)
    spans = sorted(
        (Finding(r.start, r.end, r.entity_type) for r in results if r.entity_type in REPLACEMENTS),
        key=lambda f: (f.start, -(f.end - f.start)),
    )
    merged: list[Finding] = []
    for span in spans:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.end > last.end:
                merged[-1] = Finding(last.start, span.end, last.kind)
            continue
        merged.append(span)
    return merged


@functools.lru_cache(maxsize=65_536)
def redact(text: str) -> str:
    """``text`` with every personal detail replaced by its bracketed kind (see the docstring)."""
    out: list[str] = []
    position = 0
    for finding in find(text):
        out.append(text[position : finding.start])
        out.append(REPLACEMENTS[finding.kind])
        position = finding.end
    out.append(text[position:])
    return "".join(out)
