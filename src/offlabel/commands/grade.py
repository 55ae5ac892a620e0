"""``offlabel grade``: suggest Table-of-Evidence grades for a list of evidence items.

The output is a stable interface (other tools read it): with ``--json`` a JSON object keyed by
category, each value ``{"grade": "A".."F"|"U", "rule": "<category>.<grade>", "items": [...]}``
where ``items`` are indices into the input list.
"""

from __future__ import annotations

import json
from pathlib import Path

import click


class InputError(click.ClickException):
    """Bad input file: a clear message and exit code 2, never a traceback."""

    exit_code = 2


@click.command(name="grade")
@click.argument(
    "evidence_file", metavar="EVIDENCE.json", type=click.Path(exists=True, dir_okay=False)
)
@click.option(
    "--rubric",
    "rubric_file",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False),
    help="A rubric TOML file (default: the built-in rubric, default-v1).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON keyed by category.")
def command(evidence_file: str, rubric_file: str | None, as_json: bool) -> None:
    """Suggest a grade per category from EVIDENCE.json.

    EVIDENCE.json is a list of objects with keys category, species, target_species, design,
    quality, direction, verified (true/false) and n (a number or null).
    """
    from offlabel.evidence.grading import EvidenceError, items_from_records, suggest_grades
    from offlabel.evidence.rubric import RubricError, load_rubric

    try:
        rubric = load_rubric(rubric_file)
    except RubricError as exc:
        raise InputError(str(exc)) from None

    path = Path(evidence_file)
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 text file") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    try:
        items = items_from_records(records)
    except EvidenceError as exc:
        raise InputError(f"{path}: {exc}") from None

    suggestions = suggest_grades(items, rubric)
    if as_json:
        payload = {category.value: s.as_dict() for category, s in suggestions.items()}
        click.echo(json.dumps(payload, indent=2))
        return

    click.echo(f"Suggested grades ({len(items)} evidence items, rubric {rubric.version})")
    click.echo("")
    rows = [("Category", "Grade", "Rule", "Items")] + [
        (c.label, s.grade.value, s.rule, ", ".join(map(str, s.items)) or "-")
        for c, s in suggestions.items()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True))
            + "  "
            + row[3]
        )
    click.echo("")
    for category, suggestion in suggestions.items():
        click.echo(f"{category.label} {suggestion.grade.value}: {suggestion.description}")
