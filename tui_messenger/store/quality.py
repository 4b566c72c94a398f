"""The figures behind each business's quality rating, over a time window (the services rate them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tui_messenger.store import convert
from tui_messenger.store.base import Repository, raw
from tui_messenger.store.messages import IS_REFUSAL


@dataclass(frozen=True, slots=True)
class BusinessFigures:
    business_id: str
    delivered: int  # messages from the business the user received in the window
    blocks: int
    reports: int
    not_interested: int
    spam: int
    useful: int
    block_reasons: dict[str, int] = field(default_factory=dict)


class QualityRepository(Repository):
    def figures(self, *, since: datetime) -> list[BusinessFigures]:
        """One entry per business account, in id order. Delivered counts use the chat's position index."""
        since_ms = convert.ms(since)
        with self.db.read() as session:
            conn = raw(session)
            businesses = [
                r[0] for r in conn.execute("SELECT id FROM accounts WHERE kind = 'business' ORDER BY id")
            ]
            delivered = dict(
                conn.execute(
                    f"SELECT c.peer_id, (SELECT count(*) FROM messages m WHERE m.chat_id = c.id"
                    f" AND m.position >= ? AND m.direction = 'in' AND NOT {IS_REFUSAL}) FROM chats c"
                    " JOIN accounts a ON a.id = c.peer_id WHERE a.kind = 'business'",
                    (since_ms,),
                ).fetchall()
            )
            blocks: dict[str, dict[str, int]] = {}
            for account, reason in conn.execute(
                "SELECT account_id, reason FROM blocks WHERE blocked_at >= ?", (since_ms,)
            ):
                reasons = blocks.setdefault(account, {})
                reasons[reason] = reasons.get(reason, 0) + 1
            reports = dict(
                conn.execute(
                    "SELECT account_id, count(*) FROM reports WHERE reported_at >= ? GROUP BY account_id",
                    (since_ms,),
                ).fetchall()
            )
            feedback: dict[str, dict[str, int]] = {}
            for business, kind, n in conn.execute(
                "SELECT business_id, kind, count(*) FROM feedback WHERE given_at >= ?"
                " GROUP BY business_id, kind",
                (since_ms,),
            ):
                feedback.setdefault(business, {})[kind] = n
        out = []
        for b in businesses:
            fb = feedback.get(b, {})
            reasons = blocks.get(b, {})
            out.append(
                BusinessFigures(
                    business_id=b,
                    delivered=delivered.get(b, 0),
                    blocks=sum(reasons.values()),
                    reports=reports.get(b, 0),
                    not_interested=fb.get("not_interested", 0),
                    spam=fb.get("spam", 0),
                    useful=fb.get("useful", 0),
                    block_reasons=reasons,
                )
            )
        return out
