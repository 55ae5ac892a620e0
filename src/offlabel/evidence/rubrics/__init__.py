"""Versioned Table-of-Evidence rubrics as TOML data (read by :mod:`offlabel.evidence.rubric`)."""
