"""`tui-messenger login HOMESERVER_URL USER_ID [--register]` and `tui-messenger logout`: a Matrix account.

The password comes from a prompt (getpass: not echoed) or `TUI_MESSENGER_PASSWORD`, never the command line
(other users see the process list). Homeserver, user id, device, token and the key store's pickle key go
to the database; the key store to a folder beside it. Every failure is one line and exit 2.
"""

from __future__ import annotations

import asyncio
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tui_messenger.cli.options import db_after, fail
from tui_messenger.domain.safe_text import clean_name
from tui_messenger.folders import default_db_path

if TYPE_CHECKING:
    from tui_messenger.store.database import Database

MAX_DEVICE_NAME = 100


def _password(*, confirm: bool) -> str:
    from tui_messenger.folders import password

    given = password()
    if given is None:
        if not sys.stdin.isatty():
            fail("no password: run in a terminal to be asked, or set TUI_MESSENGER_PASSWORD")
        given = getpass.getpass("Password: ")
        if confirm and getpass.getpass("Password again: ") != given:
            fail("the two passwords differ")
    if not given:
        fail("the password is empty")
    return given


def _open(path: Path | None) -> Database:
    """The database (exclusive: not while the messenger runs on it), the log routed to its file."""
    from tui_messenger.bootstrap import BootError, open_store
    from tui_messenger.folders import log_file
    from tui_messenger.transport.matrix.account import route_logs

    try:
        route_logs(log_file())
    except OSError as exc:
        fail(f"cannot open the log file {log_file()}: {exc.strerror}")
    try:
        return open_store(path)
    except BootError as exc:
        fail(str(exc), code=exc.exit_code)


def _take_back(path: Path) -> None:
    """The database a failed sign-in created, with its side files: a failure leaves nothing behind."""
    for name in (path, *(path.with_name(path.name + side) for side in ("-wal", "-shm", "-journal"))):
        name.unlink(missing_ok=True)


@click.command()
@click.argument("homeserver_url")
@click.argument("user_id")
@click.option("--register", is_flag=True, help="Create the account first (where the server allows it).")
@click.option("--device-name", default="tui-messenger", show_default=True, help="This device's name.")
@db_after
@click.pass_context
def login(
    ctx: click.Context,
    homeserver_url: str,
    user_id: str,
    register: bool,
    device_name: str,
    db_path: Path | None,
) -> None:
    """Sign in to a Matrix account (USER_ID, e.g. @anna:matrix.org) on HOMESERVER_URL.

    The password is asked for, or read from TUI_MESSENGER_PASSWORD.
    """
    from tui_messenger.domain.matrix_account import AccountInputError, check_homeserver, check_user_id

    try:
        homeserver = check_homeserver(homeserver_url)
        user_id = check_user_id(user_id)
    except AccountInputError as exc:
        fail(str(exc))
    name = clean_name(device_name, MAX_DEVICE_NAME)
    if not name:
        fail("the device name is empty")
    secret = _password(confirm=register)
    given = db_path or ctx.obj.get("db_path")
    made = not os.path.lexists(given or default_db_path())
    db = _open(given)
    from tui_messenger.services.matrix_accounts import AccountError, sign_in

    try:
        done = asyncio.run(sign_in(db, homeserver, user_id, secret, register=register, device_name=name))
    except AccountError as exc:
        db.close()
        if made:
            _take_back(db.path)
        fail(str(exc))
    finally:
        db.close()
    click.echo(f"Signed in as {clean_name(done.user_id, 255)} (device {clean_name(done.device_id, 64)}).")


@click.command()
@click.option("--local", is_flag=True, help="Forget this device here even if the server cannot be reached.")
@db_after
@click.pass_context
def logout(ctx: click.Context, local: bool, db_path: Path | None) -> None:
    """End this database's Matrix session: on the server, then its token and keys here."""
    given = db_path or ctx.obj.get("db_path")
    if not os.path.lexists(given or default_db_path()):  # not made only to say it is not signed in
        fail(f"{given or default_db_path()}: no such database")
    db = _open(given)
    from tui_messenger.services.matrix_accounts import AccountError, sign_out

    try:
        user_id = asyncio.run(sign_out(db, local_only=local))
    except AccountError as exc:
        fail(str(exc))
    finally:
        db.close()
    click.echo(f"Signed out {clean_name(user_id, 255)}; this device's keys are deleted.")
