"""Classify a record: which species, which study design, which review category.

The mapping tables live in ``classify_rules.toml`` next to this module (data, not code).
The order of evidence is: PubMed publication types, then MeSH headings, then the words of
the title and abstract. Every decision carries the reason that produced it, so a reviewer
can see why a record was pre-filled as, say, a mouse study feeding "Pre-clinical".

The text rules are regular expressions matched case-insensitively by RE2 (``google-re2``):
linear time whatever a rules file holds, and about seven times faster than :mod:`re` on
abstracts, which matters in a scan of the whole baseline. RE2 has no look-arounds or
back-references; a rules file using them is refused when it is loaded.

Accuracy on a hand-labelled sample of 100 real MEDLINE records is measured by
``tests/literature/test_classify.py`` (see ``labelled/medline16n0902.tsv``).
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Protocol

import re2

from offlabel.evidence.vocabulary import Category, Design, Species, TargetSpecies
from offlabel.literature.records import Record

__all__ = [
    "Classification",
    "Rules",
    "category_for",
    "classify",
    "compile_text_rule",
    "design_from_publication_types",
    "load_rules",
    "refine_design_from_text",
]

_ANIMALS = (Species.DOG, Species.MOUSE, Species.RAT, Species.OTHER_ANIMAL)
_CLINICAL = (
    Design.RCT,
    Design.CONTROLLED_TRIAL,
    Design.UNCONTROLLED_TRIAL,
    Design.CASE_REPORT,
    Design.CASE_SERIES,
    Design.COHORT,
    Design.PATIENT_REPORTED,
)


@dataclass(frozen=True, slots=True)
class Classification:
    """What the classifier concluded about one record.

    Attributes
    ----------
    species : Species or None
        The main species studied; ``None`` when nothing points to one.
    design : Design or None
        The study design; ``None`` when nothing points to one.
    category : Category or None
        The Table-of-Evidence category the record most likely feeds.
    reasons : tuple of str
        One plain sentence per decision ("species human: MeSH Humans").
    species_all : tuple of Species
        Every species the MeSH headings name (a study may use mice and human cells).
    """

    species: Species | None
    design: Design | None
    category: Category | None
    reasons: tuple[str, ...]
    species_all: tuple[Species, ...] = ()


class TextPattern(Protocol):
    """A compiled text rule (an RE2 expression; the methods behave as :mod:`re`'s)."""

    @property
    def pattern(self) -> str: ...

    def search(self, text: str) -> Any: ...

    def findall(self, text: str) -> list[Any]: ...


@dataclass(frozen=True, slots=True)
class Rules:
    """The compiled contents of ``classify_rules.toml``."""

    species_mesh: dict[str, Species]
    species_prefix: tuple[tuple[str, Species], ...]
    species_text: tuple[tuple[TextPattern, Species], ...]
    design_pubtypes: tuple[tuple[str, Design], ...]
    design_refine: dict[str, tuple[Design, ...]]
    design_mesh: tuple[tuple[str, Design], ...]
    design_text: tuple[tuple[TextPattern, Design], ...]
    category: dict[Design, tuple[Category, Category]]
    category_unknown_species: dict[Design, Category]
    risks_title: TextPattern
    risks_mesh: frozenset[str]
    in_vivo: TextPattern
    #: The species each MeSH name met so far gives (``None``: none), filled as records are
    #: classified: a record's few dozen names are then looked up, not matched against every
    #: prefix again (a copy made with :func:`dataclasses.replace` starts empty).
    mesh_name_species: dict[str, Species | None] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )


def _options() -> Any:
    options = re2.Options()
    options.case_sensitive = False
    return options


_CASE_INSENSITIVE = _options()


def compile_text_rule(pattern: str, where: str = "") -> TextPattern:
    """Compile one text rule, case-insensitive.

    Raises
    ------
    ValueError
        When RE2 cannot compile it; the message names ``where`` (the rules file entry).
    """
    try:
        compiled: TextPattern = re2.compile(pattern, options=_CASE_INSENSITIVE)
    except re2.error as exc:
        raise ValueError(
            f"classify_rules.toml {where}: cannot compile {pattern!r}: {exc}"
        ) from None
    return compiled


# laboratory work on cells rather than molecules (used when MeSH says only "in vitro")
_CELLS = compile_text_rule(r"\bcells?\b|\bcultured?\b", "cells")


@cache
def load_rules() -> Rules:
    """Read and validate the packaged rules file (once per process).

    Raises
    ------
    ValueError
        When the file names a species, design or category outside the vocabulary, or holds
        a pattern RE2 cannot compile.
    """
    raw: dict[str, Any] = tomllib.loads(
        resources.files("offlabel.literature").joinpath("classify_rules.toml").read_text("utf-8")
    )
    species = raw["species"]
    design = raw["design"]
    return Rules(
        species_mesh={name: Species(value) for name, value in species["mesh"].items()},
        species_prefix=tuple(
            (prefix, Species(value)) for prefix, value in species["mesh_prefix"].items()
        ),
        species_text=tuple(
            (compile_text_rule(item["pattern"], "[[species.text]]"), Species(item["species"]))
            for item in species["text"]
        ),
        design_pubtypes=tuple((name, Design(value)) for name, value in design["publication_types"]),
        design_refine={
            name: tuple(Design(value) for value in values) for name, values in design["refine"]
        },
        design_mesh=tuple((name, Design(value)) for name, value in design["mesh"]),
        design_text=tuple(
            (compile_text_rule(pattern, "[design] text"), Design(value))
            for pattern, value in design["text"]
        ),
        category={
            Design(name): (Category(value["in_target"]), Category(value["other"]))
            for name, value in raw["category"].items()
        },
        category_unknown_species={
            Design(name): Category(value.get("unknown_species", value["in_target"]))
            for name, value in raw["category"].items()
        },
        risks_title=compile_text_rule(raw["risks"]["title_pattern"], "[risks] title_pattern"),
        risks_mesh=frozenset(raw["risks"]["mesh"]),
        in_vivo=compile_text_rule(raw["in_vivo"]["pattern"], "[in_vivo] pattern"),
    )


def classify(
    record: Record,
    target_species: TargetSpecies | str | None = None,
    *,
    rules: Rules | None = None,
) -> Classification:
    """Species, design and likely review category of ``record``.

    Parameters
    ----------
    record : Record
    target_species : TargetSpecies, optional
        The topic's species (people with ALS, dogs with DM). Trials and cases in that
        species feed "Trials"/"Cases"; the same designs in another species feed
        "Pre-clinical". Without it, human is taken as the target.
    rules : Rules, optional
        Rules to use instead of the packaged ones (for tests and experiments).

    Returns
    -------
    Classification

    Examples
    --------
    >>> from offlabel.literature.records import Record, MeshHeading
    >>> rec = Record(title="Naltrexone in SOD1 mice",
    ...              mesh=(MeshHeading("D051379", "Mice", False),))
    >>> c = classify(rec, "human")
    >>> (c.species.value, c.design.value, c.category.value)
    ('mouse', 'animal_study', 'preclinical')
    """
    rules = rules or load_rules()
    target = TargetSpecies(target_species) if target_species is not None else None
    reasons: list[str] = []
    mesh_names = {heading.name for heading in record.mesh}
    text = f"{record.title} {record.title} {record.abstract_text}"  # title counts twice

    design = _design_from_metadata(record, mesh_names, rules, reasons, text)
    species_all = _mesh_species(mesh_names, rules)
    species = _pick_species(species_all, design, text, rules, reasons, mesh_names)

    if design is None and species is Species.DOG:
        # dogs are patients too (canine DM): a clinical design in the text comes first
        found = _text_design(text, rules)
        if found is not None and found[0] in _CLINICAL:
            design = found[0]
            reasons.append(f"design {design}: text matches {found[1]!r}")
    if design is None and species in _ANIMALS:
        design = Design.ANIMAL_STUDY
        reasons.append(f"design animal_study: a {species} study without clinical design")
    if design is None and species is Species.IN_VITRO:
        cells = any("Cell" in name for name in mesh_names) or _CELLS.search(text)
        design = Design.CELL_STUDY if cells else Design.MECHANISTIC_STUDY
        reasons.append(f"design {design}: laboratory work without animals or patients")
    if design is None:
        found = _text_design(text, rules)
        if found is not None:
            design, pattern = found
            reasons.append(f"design {design}: text matches {pattern!r}")
    if design is Design.REVIEW and rules.design_text[0][0].search(record.title):
        design = Design.SYSTEMATIC_REVIEW
        reasons.append("design systematic_review: a review whose title says systematic/meta")

    category = _category(record, design, species, target, rules, reasons, mesh_names)
    return Classification(
        species=species,
        design=design,
        category=category,
        reasons=tuple(reasons),
        species_all=species_all,
    )


def _design_from_metadata(
    record: Record, mesh_names: set[str], rules: Rules, reasons: list[str], text: str = ""
) -> Design | None:
    found = design_from_publication_types(record.publication_types, rules)
    if found is not None:
        design, name = found
        refined = refine_design_from_text(name, text, rules)
        if refined is not None:
            reasons.append(
                f"design {refined[0]}: text matches {refined[1]!r}, more specific than the "
                f"generic publication type {name!r}"
            )
            return refined[0]
        reasons.append(f"design {design}: publication type {name!r}")
        return design
    for name, design in rules.design_mesh:
        if name in mesh_names:
            reasons.append(f"design {design}: MeSH {name!r}")
            return design
    return None


def design_from_publication_types(
    publication_types: tuple[str, ...], rules: Rules
) -> tuple[Design, str] | None:
    """The design the strongest publication type names, with that type; ``None`` if none."""
    pubtypes = set(publication_types)
    for name, design in rules.design_pubtypes:
        if name in pubtypes:
            return design, name
    return None


def refine_design_from_text(
    publication_type: str, text: str, rules: Rules
) -> tuple[Design, str] | None:
    """A more specific design than a generic ``publication_type``, when the text states one.

    ``"Clinical Trial"`` gives way to a randomised or a controlled trial that the title or
    abstract describes (``[design] refine`` in the rules); the first matching text rule of the
    designs allowed wins.
    """
    allowed = rules.design_refine.get(publication_type)
    if not allowed or not text:
        return None
    for pattern, design in rules.design_text:
        if design in allowed and pattern.search(text):
            return design, pattern.pattern[:40]
    return None


def _text_design(text: str, rules: Rules) -> tuple[Design, str] | None:
    for pattern, design in rules.design_text:
        if pattern.search(text):
            return design, pattern.pattern[:40]
    return None


# the order species are listed in (the vocabulary's)
_SPECIES_RANK = {species: rank for rank, species in enumerate(Species)}
# the most MeSH names a rules object remembers the species of (MeSH has ~30,000 descriptors)
_MESH_NAMES_KEPT = 100_000


def _species_of_mesh_name(name: str, rules: Rules) -> Species | None:
    species = rules.species_mesh.get(name)
    if species is None:
        for prefix, value in rules.species_prefix:
            if name.startswith(prefix):
                return value
    return species


def _mesh_species(mesh_names: set[str], rules: Rules) -> tuple[Species, ...]:
    known = rules.mesh_name_species
    found: list[Species] = []
    for name in mesh_names:
        try:
            species = known[name]
        except KeyError:
            if len(known) >= _MESH_NAMES_KEPT:
                known.clear()
            species = known[name] = _species_of_mesh_name(name, rules)
        if species is not None and species not in found:
            found.append(species)
    if "Animals" in mesh_names and not any(s in _ANIMALS for s in found):
        found.append(Species.OTHER_ANIMAL)
    return tuple(sorted(found, key=_SPECIES_RANK.__getitem__))


def _pick_species(
    species_all: tuple[Species, ...],
    design: Design | None,
    text: str,
    rules: Rules,
    reasons: list[str],
    mesh_names: set[str],
) -> Species | None:
    if not species_all:
        counts: Counter[Species] = Counter()
        for pattern, species in rules.species_text:
            counts[species] += len(pattern.findall(text))
        if not counts or max(counts.values()) == 0:
            return None
        order = [s for _p, s in rules.species_text]
        best = max(counts, key=lambda s: (counts[s], -order.index(s)))
        reasons.append(f"species {best}: named {counts[best]} time(s) in title/abstract")
        return best
    if Species.HUMAN in species_all and design in _CLINICAL:
        reasons.append(f"species human: MeSH Humans and a clinical design ({design})")
        return Species.HUMAN
    animals = [s for s in species_all if s in _ANIMALS]
    if Species.OTHER_ANIMAL in animals and len(animals) > 1 and "Animals" in mesh_names:
        animals.remove(Species.OTHER_ANIMAL)  # the bare "Animals" check tag plus a named one
    if animals and Species.IN_VITRO in species_all and not rules.in_vivo.search(text):
        reasons.append("species in_vitro: MeSH names cultured cells and the text no in-vivo work")
        return Species.IN_VITRO
    if animals:
        reasons.append(f"species {animals[0]}: MeSH names {', '.join(animals)}")
        return animals[0]
    if Species.IN_VITRO in species_all:
        reasons.append("species in_vitro: MeSH names cultured cells or in-vitro techniques")
        return Species.IN_VITRO
    reasons.append("species human: MeSH Humans")
    return Species.HUMAN


def _category(
    record: Record,
    design: Design | None,
    species: Species | None,
    target: TargetSpecies | None,
    rules: Rules,
    reasons: list[str],
    mesh_names: set[str],
) -> Category | None:
    risky_mesh = sorted(mesh_names & rules.risks_mesh)
    if risky_mesh or rules.risks_title.search(record.title):
        why = f"MeSH {risky_mesh[0]!r}" if risky_mesh else "the title speaks of harms or safety"
        reasons.append(f"category risks: {why}")
        return Category.RISKS
    if design is None:
        return None
    category, where = category_for(design, species, target, rules)
    reasons.append(f"category {category}: {design} in {where}")
    return category


def category_for(
    design: Design, species: Species | None, target: TargetSpecies | None, rules: Rules
) -> tuple[Category, str]:
    """The category a design feeds for a record of ``species`` under a topic of ``target``.

    An unknown species is no reason to call a trial pre-clinical: the record is classed by its
    design (as in the target species, unless the rules say otherwise for that design).
    """
    in_target, other = rules.category[design]
    if species is None:
        return rules.category_unknown_species[design], "an unknown species (classed by design)"
    target_value = target.value if target is not None else TargetSpecies.HUMAN.value
    if species.value == target_value:
        return in_target, "the target species"
    return other, "another species or a model"
