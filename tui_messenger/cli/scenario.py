"""`tui-messenger scenario list|check|play`: tools for testers' scenario files."""

from __future__ import annotations

import click


@click.group()
def scenario() -> None:
    """List, check and play scenario files."""
