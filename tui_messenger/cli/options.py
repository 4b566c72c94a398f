"""Pieces shared by the commands: option types and the one-line failure."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import click

FAULTS = ("drop", "duplicate", "reorder", "delay", "garble", "disconnect")
RATE = click.FloatRange(0.0, 1.0)

# A subcommand takes `--db` after its name too: `tui-messenger report --db X` = `tui-messenger --db X report`.
db_after = click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Database file (the same as `tui-messenger --db PATH` before the command).",
)


def fail(message: str, *, code: int = 2) -> NoReturn:
    """One clear line on stderr and an exit code: 2 for usage or input errors, 1 for the rest."""
    click.echo(f"tui-messenger: {message}", err=True)
    raise SystemExit(code)
