"""`tui-messenger serve [--host H] [--port P] [--demo]`: the messenger in a browser tab.

The global options (`--db`, `--scenario`, `--seed`, `--speed`, `--theme`, the faults) are handed to each
tab's app. The server is in `tui_messenger/serve/`; this is only its command line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tui_messenger.cli.options import FAULTS, fail


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free one)."
)
@click.option("--demo", is_flag=True, help="Each tab gets its own fresh demo world, removed when it closes.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, demo: bool) -> None:
    """Serve the messenger to a web browser, at a URL with a secret token.

    Without --demo: your own database, in one tab at a time.
    """
    options = ctx.obj or {}
    theme = options.get("theme")
    if theme is not None:
        from tui_messenger.cli import _check_theme

        _check_theme(str(theme))
    from tui_messenger.bootstrap import BootError, load_world

    try:  # a bad scenario is refused here, once, not in every tab
        load_world(str(options.get("scenario", "default")))
    except BootError as exc:
        fail(str(exc), code=exc.exit_code)
    try:
        from tui_messenger.serve.server import MessengerServer
    except ImportError as exc:  # textual-serve is a dependency; a broken install says what is missing
        fail(f"serve needs textual-serve ({exc})", code=1)
    server = MessengerServer(
        app_command(options, demo=demo), host=host, port=port, demo=demo, title="tui-messenger"
    )
    try:
        server.serve()
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", code=1)


def app_command(options: dict[str, object], *, demo: bool) -> list[str]:
    """The command line of one tab's app: this Python, the messenger, the global options given."""
    argv = [sys.executable, "-m", "tui_messenger"]
    db_path = options.get("db_path")
    if db_path is not None and not demo:  # a demo tab's database is its own (sessions.demo_environment)
        argv += ["--db", str(Path(str(db_path)).expanduser().resolve())]
    for name in ("scenario", "seed", "speed", "theme", *FAULTS):
        value = options.get(name)
        if value is not None:
            argv += [f"--{name}", str(value)]
    return argv
