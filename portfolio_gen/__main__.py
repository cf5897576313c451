"""``python -m portfolio_gen`` runs the CLI."""

from portfolio_gen.cli import run

run()
