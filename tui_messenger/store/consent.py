"""Consent records (opt-in, marketing stop/resume with times) and feedback on business messages."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from tui_messenger.domain.models import Consent, ConsentSource, Feedback, FeedbackKind
from tui_messenger.store import convert
from tui_messenger.store.base import Repository, raw, select_in
from tui_messenger.store.tables import ConsentRow, FeedbackRow


def opt_in(conn: sqlite3.Connection, *, business_id: str, source: ConsentSource, at_ms: int) -> bool:
    """Record an opt-in unless there is one; True when it is new."""
    row = conn.execute("SELECT opted_in FROM consents WHERE business_id = ?", (business_id,)).fetchone()
    if row is not None and row[0]:
        return False
    conn.execute(
        "INSERT INTO consents (business_id, opted_in, source, opted_in_at, marketing_stopped)"
        " VALUES (?, 1, ?, ?, 0) ON CONFLICT(business_id) DO UPDATE SET opted_in = 1,"
        " source = excluded.source, opted_in_at = excluded.opted_in_at",
        (business_id, source.value, at_ms),
    )
    return True


def _consent(business_id: str, row: ConsentRow | None) -> Consent:
    if row is None:
        return Consent(business_id=business_id, opted_in=False)
    return Consent(
        business_id=business_id,
        opted_in=row.opted_in,
        source=ConsentSource(row.source) if row.source else None,
        opted_in_at=convert.opt_dt(row.opted_in_at),
        marketing_stopped=row.marketing_stopped,
        marketing_changed_at=convert.opt_dt(row.marketing_changed_at),
    )


class ConsentRepository(Repository):
    def get(self, *, business_id: str) -> Consent:
        with self.db.read() as session:
            return _consent(business_id, session.get(ConsentRow, business_id))

    def opt_in(self, *, business_id: str, source: ConsentSource, now: datetime) -> Consent:
        with self.db.write() as session:
            opt_in(raw(session), business_id=business_id, source=source, at_ms=convert.ms(now))
            session.expire_all()
            return _consent(business_id, session.get(ConsentRow, business_id))

    def set_marketing_stopped(self, *, business_id: str, stopped: bool, now: datetime) -> Consent:
        """Stop or resume marketing templates from a business, with the time of the change."""
        with self.db.write() as session:
            row = session.get(ConsentRow, business_id) or ConsentRow(business_id=business_id)
            if row.marketing_stopped != stopped or row.marketing_changed_at is None:
                row.marketing_stopped = stopped
                row.marketing_changed_at = convert.ms(now)
            session.add(row)
            session.flush()
            return _consent(business_id, row)


class FeedbackRepository(Repository):
    def give(self, *, message_id: str, business_id: str, kind: FeedbackKind, now: datetime) -> Feedback:
        """Feedback on one business message; a second answer replaces the first."""
        with self.db.write() as session:
            row = session.get(FeedbackRow, message_id) or FeedbackRow(
                message_id=message_id, business_id=business_id, kind=kind.value, given_at=0
            )
            row.kind = kind.value
            row.given_at = convert.ms(now)
            session.add(row)
            return Feedback(message_id, row.business_id, kind, now)

    def for_messages(self, *, message_ids: Sequence[str]) -> dict[str, FeedbackKind]:
        with self.db.read() as session:
            rows = select_in(
                raw(session), "SELECT message_id, kind FROM feedback WHERE message_id IN ({})", message_ids
            )
            return {message_id: FeedbackKind(kind) for message_id, kind in rows}

    def since(self, *, business_id: str, since: datetime) -> dict[FeedbackKind, int]:
        with self.db.read() as session:
            rows = raw(session).execute(
                "SELECT kind, count(*) FROM feedback WHERE business_id = ? AND given_at >= ? GROUP BY kind",
                (business_id, convert.ms(since)),
            )
            return {FeedbackKind(kind): n for kind, n in rows}
