"""Writes of the reviews app. Each is atomic and leaves an audit row (who, when, what).

Who may do what
---------------
* reviewers start drafts and new versions, edit sections, attach and edit evidence, circulate,
  and vote;
* editors publish (an editor who also holds the reviewer role may do the rest as well);
* published and superseded versions never change.

Refusals raise ``PermissionDenied`` (wrong role) or ``ValidationError`` (wrong state or bad
value, with a message naming the problem); nothing is half-saved.

New versions and "no grade change"
----------------------------------
:func:`review_new_version` copies the published version's sections, citations and evidence into
a new draft. When ``carry_votes=True`` it also copies the published version's votes, marked
``carried_over``: an update whose change summary says "no new information warranted a grade
change" can then be circulated and published without every reviewer voting again, while any
reviewer may still re-cast a carried-over vote. Without it, the new version is voted from
scratch.

- :mod:`.drafting` — drafts, versions, sections, citations and evidence items;
- :mod:`.grading` — conflict-of-interest statements, grade votes and publication.
"""

from offlabel.web.reviews.services.drafting import (
    DEFAULT_MIN_VOTES,
    EDITABLE_FIELDS,
    EVIDENCE_FIELDS,
    RELEVANCE_FIELDS,
    evidence_item_add,
    evidence_item_confirm_relevance,
    evidence_item_delete,
    evidence_item_update,
    min_votes,
    review_circulate,
    review_create_draft,
    review_new_version,
    review_reference_cite,
    review_update,
)
from offlabel.web.reviews.services.grading import (
    conflict_statement_save,
    core_items,
    grade_vote_cast,
    review_publish,
)

__all__ = [
    "DEFAULT_MIN_VOTES",
    "EDITABLE_FIELDS",
    "EVIDENCE_FIELDS",
    "RELEVANCE_FIELDS",
    "conflict_statement_save",
    "core_items",
    "evidence_item_add",
    "evidence_item_confirm_relevance",
    "evidence_item_delete",
    "evidence_item_update",
    "grade_vote_cast",
    "min_votes",
    "review_circulate",
    "review_create_draft",
    "review_new_version",
    "review_publish",
    "review_reference_cite",
    "review_update",
]
