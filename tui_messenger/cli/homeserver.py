"""`tui-messenger homeserver start|stop --dir DIR`: a local Synapse for demos and tests (extra `server`)."""

from __future__ import annotations

from pathlib import Path

import click

from tui_messenger.cli.options import fail

_DIR = click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="The homeserver's folder: config, database, keys, logs and pid file.",
)


@click.group()
def homeserver() -> None:
    """A homeserver on this machine (loopback only), for demos and tests."""


@homeserver.command()
@_DIR
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default: a free one).")
def start(folder: Path, port: int | None) -> None:
    """Write a loopback-only config, start Synapse, wait until it answers, print its URL."""
    from tui_messenger.transport.matrix.homeserver import HomeserverError
    from tui_messenger.transport.matrix.homeserver import start as start_server

    try:
        server = start_server(folder, port)
    except HomeserverError as exc:
        fail(str(exc))
    click.echo(server.url)


@homeserver.command()
@_DIR
def stop(folder: Path) -> None:
    """Stop the homeserver started from DIR."""
    from tui_messenger.transport.matrix.homeserver import HomeserverError
    from tui_messenger.transport.matrix.homeserver import stop as stop_server

    try:
        pid = stop_server(folder)
    except HomeserverError as exc:
        fail(str(exc))
    click.echo(f"Stopped the homeserver of {folder} (pid {pid}).")
