"""`tui-messenger report [--json]`: the pilot's figures per business, for testers."""

from __future__ import annotations

import asyncio
import json

import click

from tui_messenger.bootstrap import AppSettings, BootError, headless_messenger
from tui_messenger.cli.options import fail
from tui_messenger.domain.safe_text import clean_name, json_safe


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object with a row per business.")
@click.pass_context
def report(ctx: click.Context, as_json: bool) -> None:
    """Per business: messages delivered, replies, feedback, blocks with reasons, reports, quality."""
    settings = AppSettings(db_path=ctx.obj.get("db_path"), scenario=str(ctx.obj.get("scenario", "default")))
    try:
        rows = asyncio.run(_figures(settings))
    except BootError as exc:
        fail(str(exc), code=exc.exit_code)
    if as_json:
        click.echo(json_safe(json.dumps({"businesses": rows}, ensure_ascii=False, indent=2)))
        return
    columns = ("delivered", "replies", "useful_feedback", "negative_feedback", "blocks", "reports")
    titles = ("sent", "replies", "useful", "negative", "blocks", "reports")
    click.echo(f"{'business':<24} {'rating':<7}" + "".join(f" {t:>8}" for t in titles))
    for row in rows:
        figures = "".join(f" {row[c]!s:>8}" for c in columns)
        click.echo(f"{str(row['name'])[:24]:<24} {row['rating']!s:<7}{figures}")


async def _figures(settings: AppSettings) -> list[dict[str, object]]:
    from tui_messenger.services.export import history

    async with headless_messenger(settings) as messenger:
        reports = {r.business_id: r for r in await messenger.quality()}
        rows: list[dict[str, object]] = []
        for summary in await messenger.chat_list() + await messenger.chat_list(archived=True):
            if not summary.peer.is_business:
                continue
            quality = reports.get(summary.peer.id)
            replies = sum([m.outgoing async for m in history(messenger, summary.chat.id)])
            rows.append(
                {
                    "id": summary.peer.id,
                    "name": clean_name(summary.peer.display_name),
                    "verified": summary.peer.badge,
                    "rating": quality.rating.value if quality else "green",
                    "delivered": quality.delivered if quality else 0,
                    "replies": replies,
                    "useful_feedback": quality.useful_feedback if quality else 0,
                    "negative_feedback": quality.negative_feedback if quality else 0,
                    "blocks": quality.blocks if quality else 0,
                    "block_reasons": dict(quality.block_reasons) if quality else {},
                    "reports": quality.reports if quality else 0,
                    "negative_rate": round(quality.negative_rate, 4) if quality else 0.0,
                    "tier": "1 (250 users per 24 h outside the window)",
                }
            )
        return rows
