"""``python -m sce``: the same as the ``sce`` command."""

from sce.cli import main

main()
