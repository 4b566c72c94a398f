"""`tui-messenger export CHAT [--format text|json]`: a chat to stdout, as text or as wire frames."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from tui_messenger.bootstrap import BootError
from tui_messenger.cli.options import db_after, fail
from tui_messenger.domain.safe_text import clean_name
from tui_messenger.headless import headless_messenger
from tui_messenger.settings import AppSettings


@click.command()
@click.argument("chat")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@db_after
@click.pass_context
def export(ctx: click.Context, chat: str, fmt: str, db_path: Path | None) -> None:
    """Write the chat with CHAT (a name or an account id) to stdout.

    JSON is one envelope per line, in the same shapes as the wire (messages, then receipts).
    """
    settings = AppSettings(
        db_path=db_path or ctx.obj.get("db_path"), scenario=str(ctx.obj.get("scenario", "default"))
    )
    try:
        asyncio.run(_export(settings, chat, fmt))
    except BootError as exc:
        fail(str(exc), code=exc.exit_code)


async def _export(settings: AppSettings, wanted: str, fmt: str) -> None:
    from tui_messenger.services.export import export_frames, export_text

    async with headless_messenger(settings) as messenger:
        chats = [*await messenger.chat_list(), *await messenger.chat_list(archived=True)]
        key = wanted.casefold()
        found = [
            s for s in chats if key in (s.peer.id.casefold(), clean_name(s.peer.display_name).casefold())
        ]
        if not found:
            raise BootError(
                f"no chat named {clean_name(wanted)!r}; try one of: "
                + ", ".join(clean_name(s.peer.display_name) for s in chats)
            )
        summary = found[0]
        if fmt == "json":
            lines = export_frames(
                messenger, summary.chat.id, user_id=messenger.user_id, peer_id=summary.peer.id
            )
        else:
            lines = export_text(messenger, summary.chat.id, title=summary.peer.display_name)
        async for line in lines:
            click.echo(line)
