"""Rendering: figures and review documents made from plain data handed in (no Django)."""
