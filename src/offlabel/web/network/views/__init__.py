"""Views of the community app, one module per part (thin: forms check, services act)."""
