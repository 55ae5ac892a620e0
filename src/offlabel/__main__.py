"""``python -m offlabel`` is the same as the ``offlabel`` command."""

from offlabel.cli import main

main()
