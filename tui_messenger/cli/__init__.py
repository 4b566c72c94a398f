"""The command line: `tui-messenger` opens the messenger; subcommands serve testers and scripts.

Exit codes: 0 success, 2 usage or input errors, 1 other failures, each with one clear line on stderr.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from tui_messenger import __version__
from tui_messenger.cli.options import FAULTS, RATE, SPEED, fail
from tui_messenger.folders import DB_ENV


class _LazyGroup(click.Group):
    """Subcommands imported only when used: opening the messenger must not pay for the testers' tools."""

    lazy = {
        "scenario": "tui_messenger.cli.scenario:scenario",
        "export": "tui_messenger.cli.export:export",
        "report": "tui_messenger.cli.report:report",
        "homeserver": "tui_messenger.cli.homeserver:homeserver",
        "login": "tui_messenger.cli.account:login",
        "logout": "tui_messenger.cli.account:logout",
        "serve": "tui_messenger.cli.serve:serve",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            module, _, attribute = self.lazy[name].partition(":")
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(ctx, name)

    def main(  # click's overloads split on standalone_mode; one body serves both
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """A usage error (a bad option value, an unknown option) is one line and exit 2, as every other
        refusal: not click's usage block."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            fail(" ".join(exc.format_message().split()), code=exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(
    cls=_LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, "--version", prog_name="tui-messenger")
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    envvar=DB_ENV,
    help="Database file (default: your user data folder). Also TUI_MESSENGER_DB.",
)
@click.option(
    "--scenario", default="default", show_default=True, help="Built-in scenario name or a TOML file."
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed of the fake network (same seed, same world)."
)
@click.option(
    "--speed", type=SPEED, default=1.0, show_default=True, help="Virtual clock speed (0.01 to 10000)."
)
@click.option(
    "--theme", default=None, help="Theme name (remembered), e.g. tui-dark, tui-light, tui-high-contrast."
)
@click.option("--drop", type=RATE, default=0.0, help="Fault: rate of frames the network drops.")
@click.option("--duplicate", type=RATE, default=0.0, help="Fault: rate of frames delivered twice.")
@click.option("--reorder", type=RATE, default=0.0, help="Fault: rate of frames delivered out of order.")
@click.option("--delay", type=RATE, default=0.0, help="Fault: rate of frames delayed.")
@click.option("--garble", type=RATE, default=0.0, help="Fault: rate of frames garbled.")
@click.option(
    "--disconnect", type=RATE, default=0.0, help="Fault: rate of frames after which the link drops."
)
@click.pass_context
def main(ctx: click.Context, /, db_path: Path | None, **options: object) -> None:
    """A WhatsApp-like messenger in the terminal, with a scripted fake network.

    Run without a command to open the messenger.
    """
    ctx.ensure_object(dict)
    ctx.obj["db_path"] = db_path
    ctx.obj.update(options)
    if ctx.invoked_subcommand is not None:
        return
    from tui_messenger.bootstrap import BootError, run_app
    from tui_messenger.settings import AppSettings

    faults = {name: options[name] for name in FAULTS}
    settings = AppSettings(
        db_path=db_path,
        scenario=str(options["scenario"]),
        seed=int(options["seed"]),  # type: ignore[call-overload]
        speed=float(options["speed"]),  # type: ignore[arg-type]
        theme=options["theme"],  # type: ignore[arg-type]
        faults=faults,  # type: ignore[arg-type]
    )
    try:
        if settings.theme is not None:
            _check_theme(settings.theme)  # before anything is opened or saved
        code = run_app(settings)
    except BootError as exc:
        fail(str(exc), code=exc.exit_code)
    sys.exit(code)


def _check_theme(name: str) -> None:
    """Refuse a `--theme` that no theme file or built-in theme provides (exit 2) before anything is saved:
    the one line names the themes there are."""
    from tui_messenger.domain.safe_text import clean_name
    from tui_messenger.tui.themes import theme_names

    names = theme_names()
    if name not in names:
        fail(f"unknown theme {clean_name(name, 40)!r}; available: {', '.join(names)}")
