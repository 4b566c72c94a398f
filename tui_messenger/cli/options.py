"""Pieces shared by the commands: option types and the one-line failure."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, NoReturn

import click

FAULTS = ("drop", "duplicate", "reorder", "delay", "garble", "disconnect")


class Finite(click.FloatRange):
    """A float in a closed range, never NaN or infinite (NaN passes every comparison of FloatRange)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


RATE = Finite(0.0, 1.0)  # a fault rate
SPEED = Finite(0.01, 10_000.0)  # the virtual clock's speed factor

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
