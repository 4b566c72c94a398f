"""Accounts as the directory describes them, and the user's contacts.

Badges come from the directory only (DESIGN.md section 3, rule 2). `verified_name` is the name the
directory confirmed when it (re)verified the account: a verified business that renames itself keeps
`verified_name` at the old name, so `Account.badge` is false until the directory verifies it again
(a directory record with `verified` false, then true, confirms the new name).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from tui_messenger.domain.models import Account, AccountKind, BusinessProfile, ConsentSource
from tui_messenger.store import convert
from tui_messenger.store.base import Repository, select_in
from tui_messenger.store.tables import AccountRow, ConsentRow, ContactRow


@dataclass(frozen=True, slots=True)
class DirectoryRecord:
    """One directory entry, as the services hand it to the store."""

    id: str
    display_name: str
    kind: AccountKind = AccountKind.PERSON
    verified: bool = False
    scam: bool = False
    profile: BusinessProfile | None = None
    contact: bool = False  # the user's address book, synced as account data
    opt_in_source: ConsentSource | None = None
    opt_in_at: datetime | None = None
    encrypted: bool = False  # the chat with them is end-to-end encrypted


def apply_directory(session: Session, records: Iterable[DirectoryRecord], *, now: datetime) -> list[Account]:
    """Upsert accounts, contacts and opt-ins; return the accounts whose directory data changed."""
    changed: list[Account] = []
    now_ms = convert.ms(now)
    for rec in records:
        row = session.get(AccountRow, rec.id)
        before = convert.account(row) if row is not None else None
        if row is None:
            row = AccountRow(id=rec.id, display_name=rec.display_name, kind=rec.kind.value)
        if not rec.verified:
            row.verified_name = None
        elif not row.verified or before is None:
            row.verified_name = rec.display_name  # (re)verified: the directory confirms this name
        # else: still verified; a new display name is not confirmed, so the badge goes until re-verified
        row.display_name = rec.display_name
        row.kind = rec.kind.value
        row.verified = rec.verified
        row.scam = rec.scam
        row.encrypted = rec.encrypted
        profile = rec.profile or BusinessProfile()
        row.about = profile.about
        row.description = profile.description
        row.category = profile.category
        row.address = profile.address
        row.email = profile.email
        row.websites = "\n".join(w.replace("\n", " ") for w in profile.websites)
        row.hours = profile.hours
        row.updated_at = now_ms
        session.add(row)
        after = convert.account(row)
        if after != before:
            changed.append(after)
        if rec.contact and session.get(ContactRow, rec.id) is None:
            session.add(ContactRow(account_id=rec.id, added_at=now_ms))
        if rec.opt_in_source is not None:
            consent = session.get(ConsentRow, rec.id) or ConsentRow(business_id=rec.id)
            if not consent.opted_in:
                consent.opted_in = True
                consent.source = rec.opt_in_source.value
                consent.opted_in_at = convert.ms(rec.opt_in_at or now)
                session.add(consent)
        session.flush()
    return changed


_PLACEHOLDER_SQL = (
    "INSERT OR IGNORE INTO accounts (id, display_name, kind, verified, scam, verified_name, about,"
    " description, category, address, email, websites, hours, updated_at)"
    " VALUES (?, ?, 'person', 0, 0, NULL, '', '', '', '', '', '', '', ?)"
)


def ensure_accounts(conn: sqlite3.Connection, account_ids: Iterable[str], *, now_ms: int) -> None:
    """Placeholder rows for accounts the directory has not described: people, named by id, unverified."""
    conn.executemany(_PLACEHOLDER_SQL, [(a, a, now_ms) for a in dict.fromkeys(account_ids)])


def account_kinds(conn: sqlite3.Connection, account_ids: Iterable[str]) -> dict[str, tuple[str, bool]]:
    """account id -> (kind, scam) for the ids that exist."""
    rows = select_in(conn, "SELECT id, kind, scam FROM accounts WHERE id IN ({})", account_ids)
    return {r[0]: (r[1], bool(r[2])) for r in rows}


def contact_ids(conn: sqlite3.Connection, account_ids: Iterable[str]) -> set[str]:
    rows = select_in(conn, "SELECT account_id FROM contacts WHERE account_id IN ({})", account_ids)
    return {r[0] for r in rows}


class AccountRepository(Repository):
    def apply_directory(self, *, records: Sequence[DirectoryRecord], now: datetime) -> list[Account]:
        with self.db.write() as session:
            return apply_directory(session, records, now=now)

    def get(self, *, account_id: str) -> Account | None:
        with self.db.read() as session:
            row = session.get(AccountRow, account_id)
            return convert.account(row) if row is not None else None

    def ensure(self, *, account_id: str, now: datetime) -> Account:
        """The account, creating a placeholder if the directory never described it."""
        with self.db.write() as session:
            row = session.get(AccountRow, account_id)
            if row is None:
                row = AccountRow(id=account_id, display_name=account_id, kind=AccountKind.PERSON.value)
                row.updated_at = convert.ms(now)
                session.add(row)
            return convert.account(row)

    def businesses(self) -> list[Account]:
        with self.db.read() as session:
            rows = session.exec(select(AccountRow).where(AccountRow.kind == AccountKind.BUSINESS.value))
            return [convert.account(r) for r in rows]

    def verified_names(self) -> dict[str, str]:
        """account id -> the name the directory confirmed, for every verified account."""
        with self.db.read() as session:
            rows = session.exec(
                select(AccountRow.id, AccountRow.verified_name).where(AccountRow.verified == True)  # noqa: E712
            )
            return {account_id: name for account_id, name in rows if name}


class ContactRepository(Repository):
    def add(self, *, account_id: str, now: datetime) -> None:
        with self.db.write() as session:
            if session.get(ContactRow, account_id) is None:
                session.add(ContactRow(account_id=account_id, added_at=convert.ms(now)))

    def remove(self, *, account_id: str) -> None:
        with self.db.write() as session:
            row = session.get(ContactRow, account_id)
            if row is not None:
                session.delete(row)

    def is_contact(self, *, account_id: str) -> bool:
        with self.db.read() as session:
            return session.get(ContactRow, account_id) is not None

    def all(self) -> list[str]:
        with self.db.read() as session:
            return list(session.exec(select(ContactRow.account_id).order_by(ContactRow.account_id)))
