"""`tui-messenger report [--json] [--db PATH]`: do users feel disturbed? The pilot's figures per business
and per category, for testers. The keys are documented in docs/report.md."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import click

from tui_messenger.bootstrap import BootError
from tui_messenger.cli.options import db_after, fail
from tui_messenger.domain.safe_text import clean_name, json_safe
from tui_messenger.headless import headless_messenger
from tui_messenger.settings import AppSettings

# (JSON key, column title): the text table names each column as the JSON does, only shorter where long.
COLUMNS = (
    ("delivered", "delivered"),
    ("replies", "replies"),
    ("useful_feedback", "useful"),
    ("not_interested", "not-int"),
    ("spam", "spam"),
    ("stops", "stops"),
    ("mutes", "mutes"),
    ("archives", "archives"),
    ("blocks", "blocks"),
    ("reports", "reports"),
    ("refused", "refused"),
    ("negative_per_100", "neg/100"),
)
NAME_WIDTH = 22


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object (keys: docs/report.md).")
@db_after
@click.pass_context
def report(ctx: click.Context, as_json: bool, db_path: Path | None) -> None:
    """Do users feel disturbed? Per business and per category (marketing, utility, authentication,
    service): delivered, replies (a STOP is none), feedback, stops, mutes, archives, blocks with reasons,
    reports, refused sends, and negative signals per 100 delivered."""
    settings = AppSettings(
        db_path=db_path or ctx.obj.get("db_path"), scenario=str(ctx.obj.get("scenario", "default"))
    )
    try:
        figures = asyncio.run(_figures(settings))
    except BootError as exc:
        fail(str(exc), code=exc.exit_code)
    if as_json:
        click.echo(json_safe(json.dumps(figures, ensure_ascii=False, indent=2)))
        return
    for line in text_report(figures):
        click.echo(line)


def _cell(value: object, width: int) -> str:
    return f" {'-' if value is None else value!s:>{width}}"


def _table(title: str, rows: list[tuple[str, str, dict[str, Any]]]) -> list[str]:
    head = f"{title:<{NAME_WIDTH}} {'rating':<6}" + "".join(_cell(t, len(t)) for _, t in COLUMNS)
    lines = [head]
    for name, rating, row in rows:
        cells = "".join(_cell(row[key], len(t)) for key, t in COLUMNS)
        lines.append(f"{clean_name(name, max_len=NAME_WIDTH):<{NAME_WIDTH}} {rating:<6}{cells}")
        for key, label in (
            ("block_reasons", "blocked"),
            ("report_reasons", "reported"),
            ("refused_codes", "refused"),
        ):
            if row[key]:
                reasons = ", ".join(f"{clean_name(str(r))} {n}" for r, n in row[key].items())
                lines.append(f"  {label}: {reasons}")
    return lines


def text_report(figures: dict[str, Any]) -> list[str]:
    businesses = [(b["name"], b["rating"], b) for b in figures["businesses"]]
    categories = [(name, "", row) for name, row in figures["categories"].items()]
    return [
        "Do users feel disturbed? All figures since the pilot began; rating: the last 7 days.",
        *_table("business", businesses),
        "",
        *_table("category", categories),
        "",
        "A STOP is not a reply. neg/100: not interested + spam + stops + mutes + blocks + reports,",
        "per 100 delivered. Keys and rules: docs/report.md.",
    ]


async def _figures(settings: AppSettings) -> dict[str, Any]:
    async with headless_messenger(settings) as messenger:
        return await messenger.pilot_report()
