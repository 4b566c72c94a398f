"""Signing this database's Matrix account in and out: the rules, then the network, then the store.

A database belongs to one account. Sign-in is refused before any request when the database holds the
demo world, another account, or a device already signed in; signing out ends the session on the server
first, then removes the key store and the token (the history stays, with the account's name). Nothing is
lost on a failure: a refused or unreachable server changes neither the database nor the key store, and a
sign-in whose save fails is ended on the server again. Imports matrix-nio: import this module lazily.
"""

from __future__ import annotations

import time

from tui_messenger.domain.matrix_account import MatrixLogin, keys_folder
from tui_messenger.store.database import Database
from tui_messenger.store.matrix_account import MatrixAccountRepository
from tui_messenger.transport.matrix import account as matrix
from tui_messenger.transport.matrix.account import MatrixError
from tui_messenger.transport.matrix.client import MatrixClient
from tui_messenger.transport.matrix.early_sync import EarlySync


class AccountError(Exception):
    """A sign-in or sign-out that cannot be done: one line for the user."""


async def sign_in(
    db: Database, homeserver: str, user_id: str, password: str, *, register: bool, device_name: str
) -> MatrixLogin:
    repo = MatrixAccountRepository(db)
    stored = repo.get()
    if stored is not None and stored.login is not None:
        raise AccountError(f"{db.path} is signed in as {stored.user_id} already; log out first")
    if stored is not None and stored.user_id != user_id:
        raise AccountError(
            f"{db.path} belongs to {stored.user_id}; give another database (--db PATH) for {user_id}"
        )
    if stored is None and repo.holds_demo_world():
        raise AccountError(f"{db.path} holds the demo world; give a new database for the account (--db PATH)")
    keys = keys_folder(db.path)
    try:
        login = await matrix.sign_in(
            homeserver, user_id, password, keys=keys, register=register, device_name=device_name
        )
    except MatrixError as exc:
        raise AccountError(str(exc)) from exc
    try:
        repo.save(login, now_ms=int(time.time() * 1000))
    except BaseException as exc:
        try:
            await matrix.sign_out(login)
        except MatrixError:
            pass  # the save failed: that is the error to show
        matrix.remove_keys(keys)
        if isinstance(exc, Exception):  # a full disk, a lock: one line, signed out again
            reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:160]
            raise AccountError(f"{db.path}: cannot keep the sign-in ({reason}); signed out again") from exc
        raise
    return login


async def sign_out(db: Database, *, local_only: bool = False) -> str:
    """End the session (on the server unless `local_only`), remove keys and token: the user id."""
    repo = MatrixAccountRepository(db)
    stored = repo.get()
    if stored is None or stored.login is None:
        raise AccountError(f"{db.path} is not signed in to a Matrix account")
    if not local_only:
        try:
            await matrix.sign_out(stored.login)
        except MatrixError as exc:
            raise AccountError(f"{exc}; nothing was removed (--local forgets this device anyway)") from exc
    matrix.remove_keys(keys_folder(db.path))
    repo.sign_out()
    return stored.user_id


async def open_client(db: Database, *, check: bool = True, early: EarlySync | None = None) -> MatrixClient:
    """The signed-in device of this database, opened (its token checked with the server unless not
    `check`; `early`: its first sync, already asked for). AccountError when not signed in; MatrixError
    when the server refuses (`revoked`: the session ended elsewhere, sign in again) or cannot be
    reached."""
    stored = MatrixAccountRepository(db).get()
    if stored is None or stored.login is None:
        raise AccountError(f"{db.path} is not signed in to a Matrix account")
    client = MatrixClient(stored.login, keys_folder(db.path))
    client.early = early
    try:
        await client.open(check=check)
    except BaseException:
        await client.close()
        raise
    return client
