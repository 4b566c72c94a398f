"""The command line: `tui-messenger` opens the messenger; subcommands serve testers and scripts.

Exit codes: 0 success, 2 usage or input errors, 1 other failures, each with one clear line on stderr.
"""

from __future__ import annotations

import click

from tui_messenger import __version__


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="tui-messenger")
@click.pass_context
def main(ctx: click.Context) -> None:
    """A WhatsApp-like messenger in the terminal, with a scripted fake network."""
    if ctx.invoked_subcommand is None:
        click.echo("the screens are not built yet", err=True)


def _register() -> None:
    from tui_messenger.cli.scenario import scenario

    main.add_command(scenario)


_register()
