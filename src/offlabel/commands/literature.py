"""``offlabel literature …``: read, classify and (later) scan and search the literature."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

import click

from offlabel.literature.format_names import FORMAT_LABELS

FORMAT_CHOICES = ["auto", *FORMAT_LABELS]
_FORMAT_HELP = "\b\n" + "\n".join(f"  {name:<9} {label}" for name, label in FORMAT_LABELS.items())


@click.group(name="literature")
def command() -> None:
    """Import and classify literature (PubMed XML, MEDLINE/nbib, RIS, BibTeX, EndNote XML,
    Web of Science, ClinicalTrials.gov, Crossref)."""


@command.command(name="parse", epilog="Formats read (--format NAME):\n\n" + _FORMAT_HELP)
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--format",
    "format_",
    type=click.Choice(FORMAT_CHOICES),
    default="auto",
    show_default=True,
    help="File format (listed below); auto detects it from the content.",
)
@click.option("--jsonl", is_flag=True, help="Print one JSON object per record.")
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse the whole file (exit 2, nothing printed) when any record has a problem.",
)
@click.option("--skip-bad", is_flag=True, hidden=True, help="The default now; kept for scripts.")
@click.option(
    "--target-species",
    type=click.Choice(["human", "dog"]),
    default=None,
    help="The topic's species, for the review category (default: human).",
)
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=None,
    help="Processes reading a large PubMed file (default: the CPUs this process may use).",
)
def parse_command(
    file: str,
    format_: str,
    jsonl: bool,
    strict: bool,
    skip_bad: bool,
    target_species: str | None,
    processes: int | None,
) -> None:
    """Read FILE and print its records with species, design and review category.

    A record is read when it has a title or an identifier (PMID, DOI, NCT number); records
    that cannot be read are skipped and listed on stderr with file, record and line, and a
    last line on stderr says how many were read and skipped. Exit status 2 when the file
    cannot be read at all, or (with --strict) when any record has a problem.
    """
    import gc

    del skip_bad  # skipping bad records is the default
    # records form no reference cycles; the collector's passes over a whole file's records
    # cost ~10% of the command (measured)
    collecting = gc.isenabled()
    gc.disable()
    try:
        _parse(file, format_, jsonl, strict, target_species, processes)
    finally:
        if collecting:
            gc.enable()


def _parse(
    file: str,
    format_: str,
    jsonl: bool,
    strict: bool,
    target_species: str | None,
    processes: int | None,
) -> None:
    from offlabel.literature.errors import LiteratureParseError
    from offlabel.literature.formats import check_size, parse_file, sniff
    from offlabel.literature.lines import deletion_line, pubmed_lines, record_line

    try:
        fast = None
        if format_ in ("auto", "pubmed"):
            check_size(file)
            if format_ == "pubmed" or sniff(file) == "pubmed":
                fast = pubmed_lines(
                    file, jsonl=jsonl, target_species=target_species, processes=processes
                )
        if fast is not None:  # nothing unusual in the file: every record was read
            for block in fast.blocks:
                click.echo(block, nl=False)
            deleted = f", {fast.deletions} deletion(s)" if fast.deletions else ""
            click.echo(
                f"{file}: {fast.records} record(s) read{deleted}, 0 skipped (pubmed)", err=True
            )
            return
        result = parse_file(file, format_, skip_bad=not strict)
    except LiteratureParseError as exc:
        click.echo(f"error: {exc}", err=True)
        if strict:
            click.echo("error: --strict: nothing read from this file", err=True)
        sys.exit(2)
    from offlabel.literature.classify_batch import classify_many

    for problem in result.problems:
        click.echo(f"skipped: {problem}", err=True)
    if result.problems and not result.records and not result.deletions:
        click.echo(f"error: {file}: no record could be read", err=True)
        sys.exit(2)
    verdicts = classify_many(result.records, target_species)
    lines = (record_line(r, v, jsonl) for r, v in zip(result.records, verdicts, strict=True))
    _print_lines(lines)
    _print_lines(deletion_line(deletion, jsonl) for deletion in result.deletions)
    deleted = f", {len(result.deletions)} deletion(s)" if result.deletions else ""
    click.echo(
        f"{file}: {len(result.records)} record(s) read{deleted}, "
        f"{len(result.problems)} skipped ({result.format})",
        err=True,
    )


def _print_lines(lines: Iterable[str]) -> None:
    """The lines, a thousand a write (a write a line costs more than the formatting)."""
    block: list[str] = []
    for line in lines:
        block.append(line)
        if len(block) == 1_000:
            click.echo("\n".join(block))
            block = []
    if block:
        click.echo("\n".join(block))


# --- scan, search, lookup (index and online look-ups) ------------------------------------

from offlabel.evidence.vocabulary import Species  # noqa: E402 - light; needed for --species


@command.command(name="scan")
@click.argument("baseline_dir", type=click.Path(file_okay=False, exists=True, path_type=str))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=str),
    help="Index directory (created if missing; files already indexed are skipped).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Local worker processes (default: CPU count).",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="A dask.distributed scheduler address (tcp://host:8786) to scan on.",
)
@click.option("--no-progress", is_flag=True, help="Do not show the progress bar.")
def scan_command(
    baseline_dir: str,
    out_dir: str,
    workers: int | None,
    scheduler: str | None,
    no_progress: bool,
) -> None:
    """Index PubMed baseline/update files of BASELINE_DIR into a Parquet index.

    Exit status 1 when a file could not be read (the others are indexed; the bad file is
    named and retried on the next scan).
    """
    from offlabel.literature.index.layout import IndexFormatError
    from offlabel.literature.index.scan import scan

    try:
        summary = scan(
            baseline_dir,
            out_dir,
            workers=workers,
            scheduler=scheduler,
            progress=not no_progress,
        )
    except (IndexFormatError, ValueError, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    for name, problem in summary.failed:
        click.echo(f"failed: {name}: {problem}", err=True)
    click.echo(summary.line())
    if summary.failed:
        sys.exit(1)


@command.command(name="compact")
@click.argument("index_dir", type=click.Path(file_okay=False, exists=True, path_type=str))
def compact_command(index_dir: str) -> None:
    """Merge the per-file term postings of INDEX_DIR into segments sorted by term.

    A scan does this by itself once many files await it; run it after a scan of a few
    update files when searches should stay fast.
    """
    from offlabel.literature.index.compact import compact
    from offlabel.literature.index.layout import IndexFormatError

    try:
        summary = compact(index_dir)
    except (IndexFormatError, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(summary.line())


@command.command(name="search")
@click.argument("index_dir", type=click.Path(file_okay=False, exists=True, path_type=str))
@click.option("--therapy", required=True, help='Therapy as typed ("LDN", "naltrexone").')
@click.option("--condition", required=True, help='Condition as typed ("ALS", "DM").')
@click.option(
    "--species",
    type=click.Choice([species.value for species in Species]),
    default=None,
    help="Only records classified with this species.",
)
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per hit.")
def search_command(
    index_dir: str,
    therapy: str,
    condition: str,
    species: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Find records in INDEX_DIR about a therapy and a condition, newest first."""
    from offlabel.literature.index.layout import IndexFormatError
    from offlabel.literature.index.search import search

    try:
        hits = search(index_dir, therapy, condition, species=species, limit=limit)
    except (IndexFormatError, ValueError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    for hit in hits:
        if as_json:
            click.echo(json.dumps(hit.to_json_dict(), ensure_ascii=False))
        else:
            species_text = ",".join(s.value for s in hit.species) or "?"
            click.echo(
                f"{hit.pmid}\t{hit.year or ''}\t{species_text}\t{hit.design or '?'}\t"
                f"{hit.title[:90]}"
            )
    if not as_json:
        click.echo(f"{len(hits)} hit(s)", err=True)


@command.command(name="lookup")
@click.argument("kind", type=click.Choice(["pmid", "doi", "nct"]))
@click.argument("identifier")
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the local cache.")
def lookup_command(kind: str, identifier: str, as_json: bool, no_cache: bool) -> None:
    """Fetch one record online by PMID (PubMed), DOI (Crossref) or NCT id (ClinicalTrials.gov).

    Answers are cached (``$OFFLABEL_CACHE_DIR``, default ``~/.cache/offlabel``) for a week.
    NCBI's API key is read from ``$NCBI_API_KEY``.
    """
    from offlabel.literature.classify import classify
    from offlabel.literature.online import OnlineLookupError, lookup

    try:
        record = lookup(kind, identifier, use_cache=not no_cache)
    except OnlineLookupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    verdict = classify(record)
    if as_json:
        data = record.to_json_dict()
        data["species"] = verdict.species.value if verdict.species else None
        data["design"] = verdict.design.value if verdict.design else None
        data["category"] = verdict.category.value if verdict.category else None
        click.echo(json.dumps(data, ensure_ascii=False))
    else:
        ident = record.pmid or record.doi or record.nct or identifier
        click.echo(
            f"{ident}\t{record.year or ''}\t{verdict.species or '?'}\t"
            f"{verdict.design or '?'}\t{record.title}"
        )


@command.command("watch")
@click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=str),
    default=None,
    help="Index built by `offlabel literature scan` "
    "(default: $OFFLABEL_LITERATURE_INDEX, else var/literature-index).",
)
@click.option(
    "--online/--no-online",
    default=None,
    help="Also search PubMed through E-utilities (default: $OFFLABEL_LITERATURE_WATCH_ONLINE).",
)
def watch_command(index_dir: str | None, online: bool | None) -> None:
    """Run every topic's saved searches and flag records newer than its last review.

    Flags are shown to reviewers on the topic's library page and review workspace. Exit
    status 1 when a search could not run (no index, no network); the others still ran.
    """
    from pathlib import Path

    from offlabel.commands._django import setup_django

    setup_django()
    from offlabel.web.literature.tasks import online_configured
    from offlabel.web.literature.watch import watch_run

    summary = watch_run(
        index_dir=Path(index_dir) if index_dir else None,
        online=online_configured() if online is None else online,
    )
    click.echo(summary.line())
    for problem in summary.problems:
        click.echo(f"problem: {problem}", err=True)
    if summary.problems:
        sys.exit(1)
