"""``offlabel review``: work with published evidence reviews from the command line.

``offlabel review export TOPIC_SLUG --format pdf|md|json [--version N] -o FILE`` writes one
version of a topic's review (the published one unless ``--version`` is given). Only published
and superseded versions are exported; an unknown topic or version exits with code 2 and a
message naming it. This interface is kept stable: other tools call it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click


class UsageProblem(click.ClickException):
    """A clear message and exit code 2, never a traceback."""

    exit_code = 2


@click.group(name="review")
def command() -> None:
    """Evidence reviews: export a published review."""


@command.command(name="export")
@click.argument("topic_slug")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "md", "json"]),
    required=True,
    help="pdf (journal-style page), md (Markdown) or json.",
)
@click.option(
    "--version",
    "version",
    type=click.IntRange(min=1),
    default=None,
    help="Version number (default: the published version).",
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="File to write ('-' for standard output).",
)
def export(topic_slug: str, fmt: str, version: int | None, output: Path) -> None:
    """Write TOPIC_SLUG's review as PDF, Markdown or JSON."""
    from offlabel.commands._django import setup_django

    setup_django()
    from offlabel.web.catalog.models import Topic
    from offlabel.web.reviews.exports import review_export
    from offlabel.web.reviews.models import Review
    from offlabel.web.reviews.selectors import review_for_page

    if not Topic.objects.filter(slug=topic_slug).exists():
        raise UsageProblem(f"unknown topic {topic_slug!r} (see the topic list on the home page)")
    try:
        # Exports are public documents: read as an anonymous visitor would.
        review = review_for_page(topic_slug, version, None)
    except Review.DoesNotExist:
        published = sorted(
            Review.objects.filter(
                topic__slug=topic_slug,
                status__in=[Review.Status.PUBLISHED, Review.Status.SUPERSEDED],
            ).values_list("version", flat=True)
        )
        known = ", ".join(str(v) for v in published) or "none"
        what = f"version {version}" if version is not None else "published version"
        raise UsageProblem(
            f"topic {topic_slug!r} has no {what} (published versions: {known})"
        ) from None
    data = review_export(review, fmt)
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise UsageProblem(f"{output}: cannot write ({exc.strerror})") from None
    click.echo(f"Wrote {review.topic.slug} version {review.version} ({fmt}) to {output}", err=True)
