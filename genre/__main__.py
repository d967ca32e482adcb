"""``python -m genre`` runs the ``genre`` command."""

from genre.cli import run

run()
