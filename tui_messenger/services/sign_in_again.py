"""Signing in again from inside the app, after the network ended this device's session (a token revoked
elsewhere): the same account, a new device, without leaving the app.

The sign-in is `tui-messenger login`'s own (transport/matrix/account.py), into a fresh key store beside
the old one; only when it worked is anything replaced: the ended device's client is closed, the new
device and token are kept in the database (the sync token stays: the history resumes where it was), and
the new key store takes the old one's place (the ended device's keys go, as `logout --local` removes
them). A wrong password or an unreachable server changes nothing and is one line (SignInError).
Imports matrix-nio: import this module lazily (after the first frame).
"""

from __future__ import annotations

import asyncio
import shutil
import time

from tui_messenger.domain.matrix_account import keys_folder
from tui_messenger.services.errors import MessengerError
from tui_messenger.store.database import Database
from tui_messenger.store.matrix_account import MatrixAccountRepository
from tui_messenger.transport.base import Transport
from tui_messenger.transport.matrix import account as matrix
from tui_messenger.transport.matrix.account import MatrixError

DEVICE_NAME = "tui-messenger"
FRESH_SUFFIX = ".new"  # the new key store's folder until the sign-in is kept


class SignInError(MessengerError):
    """The sign-in did not work (wrong password, server down): one line; nothing was changed."""


async def sign_in_again(db: Database, transport: Transport, password: str) -> str:
    """Sign the database's account in on a new device (see the module doc): its device id."""
    repo = MatrixAccountRepository(db)
    stored = await asyncio.to_thread(repo.get)
    if stored is None:
        raise SignInError("this database belongs to no Matrix account")
    if not password:
        raise SignInError("type your password")
    keys = keys_folder(db.path)
    fresh = keys.with_name(keys.name + FRESH_SUFFIX)
    shutil.rmtree(fresh, ignore_errors=True)  # what an attempt cut short left
    try:
        login = await matrix.sign_in(
            stored.homeserver, stored.user_id, password, keys=fresh, device_name=DEVICE_NAME
        )
    except MatrixError as exc:
        raise SignInError(str(exc)) from exc
    await transport.close()  # the ended device's client, and its key store, are let go
    try:
        await asyncio.to_thread(repo.save, login, now_ms=int(time.time() * 1000))
    except Exception as exc:
        try:
            await matrix.sign_out(login)
        except MatrixError:
            pass  # the save failed: that is the line to show
        shutil.rmtree(fresh, ignore_errors=True)
        raise SignInError(f"cannot keep the sign-in ({' '.join(str(exc).split())[:160]})") from exc
    matrix.remove_keys(keys)
    fresh.rename(keys)
    return login.device_id
