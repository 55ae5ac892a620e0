"""How hard a plain-language summary is to read, measured by textstat (a maintained library of
the standard readability formulas).

The platform asks editors for summaries at a school grade of 8 or below, the level health
agencies recommend for patient information. The Flesch–Kincaid grade level is the measure
shown; it rests on words per sentence and syllables per word, so short sentences of short words
score low.
"""

from __future__ import annotations

from dataclasses import dataclass

import textstat

__all__ = [
    "TARGET_EASE_ES",
    "TARGET_GRADE",
    "ReadingLevel",
    "SpanishReadingEase",
    "reading_level",
    "spanish_reading_ease",
]

#: The highest school grade a summary for patients and owners should need.
TARGET_GRADE = 8.0


@dataclass(frozen=True)
class ReadingLevel:
    """The Flesch–Kincaid grade of one text and whether it meets the target."""

    grade: float
    words: int
    sentences: int

    @property
    def on_target(self) -> bool:
        return self.grade <= TARGET_GRADE

    @property
    def label(self) -> str:
        return f"grade {self.grade:.1f}"


def reading_level(text: str) -> ReadingLevel | None:
    """The reading level of ``text`` (``None`` for an empty text).

    Examples
    --------
    >>> level = reading_level("No trial has tested it. We do not know if it helps.")
    >>> level.on_target
    True
    """
    if not text.strip():
        return None
    return ReadingLevel(
        grade=float(textstat.flesch_kincaid_grade(text)),
        words=int(textstat.lexicon_count(text)),
        sentences=int(textstat.sentence_count(text)),
    )


#: The lowest Fernández-Huerta reading ease a Spanish summary should have: 60 is "normal"
#: prose, what a reader at the end of primary school (about grade 8) manages; higher is easier.
TARGET_EASE_ES = 60.0


@dataclass(frozen=True)
class SpanishReadingEase:
    """The Fernández-Huerta reading ease of one Spanish text (0-100, higher is easier)."""

    ease: float
    words: int

    @property
    def on_target(self) -> bool:
        return self.ease >= TARGET_EASE_ES


def spanish_reading_ease(text: str) -> SpanishReadingEase | None:
    """The Fernández-Huerta ease of a Spanish ``text`` (Spanish syllables; ``None`` if empty).

    Flesch–Kincaid counts English syllables, so Spanish summaries get the Spanish adaptation of
    Flesch's formula instead, from the same library.

    Examples
    --------
    >>> spanish_reading_ease("Nadie lo ha probado. No sabemos si ayuda.").on_target
    True
    """
    if not text.strip():
        return None
    from textstat.textstat import textstatistics

    measure = textstatistics()  # its own instance: the language setting is per instance
    measure.set_lang("es")
    return SpanishReadingEase(
        ease=float(measure.fernandez_huerta(text)), words=int(measure.lexicon_count(text))
    )
