"""Blocks (with the count of frames dropped while blocked) and reports with copies of their evidence."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select

from tui_messenger.domain.models import (
    Account,
    Block,
    BlockReason,
    ChatMessage,
    Direction,
    MessageKind,
    Report,
    ReportReason,
)
from tui_messenger.store import convert
from tui_messenger.store.base import Repository
from tui_messenger.store.tables import AccountRow, BlockRow, ReportEvidenceRow, ReportRow


def _block(row: BlockRow) -> Block:
    return Block(
        account_id=row.account_id,
        reason=BlockReason(row.reason),
        blocked_at=convert.dt(row.blocked_at),
        dropped_count=row.dropped_count,
    )


class BlockRepository(Repository):
    def block(self, *, account_id: str, reason: BlockReason, now: datetime) -> Block:
        """Block the account (a placeholder account is made if the directory never named it)."""
        with self.db.write() as session:
            if session.get(AccountRow, account_id) is None:
                session.add(AccountRow(id=account_id, display_name=account_id, kind="person"))
                session.flush()
            row = session.get(BlockRow, account_id)
            if row is None:
                row = BlockRow(account_id=account_id, reason=reason.value, blocked_at=convert.ms(now))
                session.add(row)
            return _block(row)

    def unblock(self, *, account_id: str) -> bool:
        with self.db.write() as session:
            row = session.get(BlockRow, account_id)
            if row is None:
                return False
            session.delete(row)
            return True

    def get(self, *, account_id: str) -> Block | None:
        with self.db.read() as session:
            row = session.get(BlockRow, account_id)
            return _block(row) if row is not None else None

    def all(self) -> list[tuple[Block, Account]]:
        with self.db.read() as session:
            rows = session.exec(
                select(BlockRow, AccountRow)
                .join(AccountRow, col(AccountRow.id) == col(BlockRow.account_id))
                .order_by(col(BlockRow.blocked_at).desc())
            )
            return [(_block(b), convert.account(a)) for b, a in rows]

    def ids(self) -> set[str]:
        with self.db.read() as session:
            return set(session.exec(select(BlockRow.account_id)))

    def since(self, *, account_id: str, since: datetime) -> list[Block]:
        with self.db.read() as session:
            row = session.get(BlockRow, account_id)
            return [_block(row)] if row is not None and row.blocked_at >= convert.ms(since) else []


def _evidence(report: ReportRow, row: ReportEvidenceRow) -> ChatMessage:
    return ChatMessage(
        message_id=row.message_id,
        chat_id=0,  # a copy: the report keeps what was shown even if the chat changes
        sender_id=report.account_id,
        direction=Direction.INBOUND,
        kind=MessageKind(row.kind),
        body=row.body,
        sent_at=convert.dt(row.sent_at),
    )


class ReportRepository(Repository):
    def add(
        self,
        *,
        account_id: str,
        reason: ReportReason,
        note: str,
        evidence: Sequence[ChatMessage],
        also_blocked: bool,
        now: datetime,
    ) -> Report:
        with self.db.write() as session:
            if session.get(AccountRow, account_id) is None:
                session.add(AccountRow(id=account_id, display_name=account_id, kind="person"))
            row = ReportRow(
                account_id=account_id,
                reason=reason.value,
                note=note,
                reported_at=convert.ms(now),
                also_blocked=also_blocked,
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            copies = [
                ReportEvidenceRow(
                    report_id=row.id,
                    ordinal=n,
                    message_id=m.message_id,
                    sent_at=convert.ms(m.sent_at),
                    kind=m.kind.value,
                    body=m.body,
                )
                for n, m in enumerate(evidence)
            ]
            session.add_all(copies)
            return Report(
                id=row.id,
                account_id=account_id,
                reason=reason,
                note=note,
                reported_at=now,
                evidence=tuple(_evidence(row, c) for c in copies),
            )

    def for_account(self, *, account_id: str) -> list[Report]:
        with self.db.read() as session:
            reports = session.exec(
                select(ReportRow).where(ReportRow.account_id == account_id).order_by(col(ReportRow.id))
            ).all()
            out = []
            for r in reports:
                evidence = session.exec(
                    select(ReportEvidenceRow)
                    .where(ReportEvidenceRow.report_id == r.id)
                    .order_by(col(ReportEvidenceRow.ordinal))
                ).all()
                assert r.id is not None
                out.append(
                    Report(
                        id=r.id,
                        account_id=r.account_id,
                        reason=ReportReason(r.reason),
                        note=r.note,
                        reported_at=convert.dt(r.reported_at),
                        evidence=tuple(_evidence(r, e) for e in evidence),
                    )
                )
            return out

    def count_since(self, *, account_id: str, since: datetime) -> int:
        with self.db.read() as session:
            rows = session.exec(
                select(ReportRow.id).where(
                    ReportRow.account_id == account_id, col(ReportRow.reported_at) >= convert.ms(since)
                )
            ).all()
            return len(rows)
