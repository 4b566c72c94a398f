"""The Matrix account a database belongs to: its homeserver, user id, device, access token, pickle key.

These live in the database only (0600, in a 0700 folder), never in config.toml, a log or argv. Signing out
keeps the row without its device and secrets: the history in the database stays the account's, and only
the same account may sign in to it again. The sync token goes with the account (settings.SYNC_TOKEN).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, func, select

from tui_messenger.domain.matrix_account import MatrixLogin
from tui_messenger.store.base import Repository, raw
from tui_messenger.store.settings import SYNC_TOKEN, put
from tui_messenger.store.tables import AccountRow, ChatRow, MatrixAccountRow


@dataclass(frozen=True, slots=True)
class StoredAccount:
    """What the database says of its Matrix account: signed in (`login`) or signed out (None)."""

    homeserver: str
    user_id: str
    login: MatrixLogin | None


def _stored(row: MatrixAccountRow) -> StoredAccount:
    login = None
    if row.device_id and row.access_token and row.pickle_key:
        login = MatrixLogin(row.homeserver, row.user_id, row.device_id, row.access_token, row.pickle_key)
    return StoredAccount(row.homeserver, row.user_id, login)


def holds_demo_world(session: Session) -> bool:
    """Chats or accounts with no Matrix account: the demo world's (or another network's) database."""
    if session.get(MatrixAccountRow, 1) is not None:
        return False
    for table in (ChatRow, AccountRow):
        if session.exec(select(func.count()).select_from(table)).one():
            return True
    return False


class MatrixAccountRepository(Repository):
    def get(self) -> StoredAccount | None:
        with self.db.read() as session:
            row = session.get(MatrixAccountRow, 1)
            return _stored(row) if row is not None else None

    def holds_demo_world(self) -> bool:
        with self.db.read() as session:
            return holds_demo_world(session)

    def save(self, login: MatrixLogin, *, now_ms: int) -> None:
        """Keep a new sign-in (the same account's again, or the first in a database of no account)."""
        with self.db.write() as session:
            row = session.get(MatrixAccountRow, 1)
            if row is not None and row.user_id != login.user_id:
                raise ValueError("this database belongs to another account")
            row = row or MatrixAccountRow(homeserver=login.homeserver, user_id=login.user_id)
            row.homeserver = login.homeserver
            row.device_id = login.device_id
            row.access_token = login.access_token
            row.pickle_key = login.pickle_key
            row.signed_in_at = now_ms
            session.add(row)

    def sign_out(self) -> None:
        """Forget the device, its token and pickle key, and the sync token (a new device starts over)."""
        with self.db.write() as session:
            row = session.get(MatrixAccountRow, 1)
            if row is None:
                return
            row.device_id = row.access_token = row.pickle_key = None
            session.add(row)
            session.flush()
            put(raw(session), SYNC_TOKEN, None)
