"""The pilot report: do users feel disturbed? Per business and per category of message (docs/report.md).

Categories: the template categories (marketing, utility, authentication) and `service` for everything
else a business sends (free-form answers, buttons, lists, files).

- delivered: messages from the business the user received (the network's refusal lines are not).
- replies: the user's own messages to the business, except a STOP (or the "Stop promotions" quick reply):
  an opt-out is no reply. A reply counts for the category of the business's last message before it.
- useful / not interested / spam: the feedback on the business's messages, for their own category.
- stops: promotions stopped (each change from on to stopped), always `marketing`.
- mutes, archives: the chat is muted / archived now; blocks (with reasons) and reports: as given. They
  count for the category of the business's last message before them (mutes and archives keep no time:
  the chat's last message).
- refused: the business's sends the network refused (131047, 131049, 131050 ...), with their codes.
- negative signals = not interested + spam + stops + mutes + blocks + reports; `negative_per_100` is
  that per 100 delivered (None when nothing was delivered).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from tui_messenger.domain.models import MessageKind, QualityReport
from tui_messenger.domain.safe_text import clean_name
from tui_messenger.domain.stop_words import is_stop_reply
from tui_messenger.store.pilot import PilotChat

CATEGORIES = ("marketing", "utility", "authentication", "service")
NEGATIVE = ("not_interested", "spam", "stops", "mutes", "blocks", "reports")
COUNTS = ("delivered", "replies", "useful_feedback", *NEGATIVE[:2], "stops", "mutes", "archives", "blocks",
          "reports", "refused")  # fmt: skip


@dataclass
class Figures:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    block_reasons: dict[str, int] = field(default_factory=dict)
    report_reasons: dict[str, int] = field(default_factory=dict)
    refused_codes: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def merge(self, other: Figures) -> None:
        for key, n in other.counts.items():
            self.counts[key] += n
        pairs = ((self.block_reasons, other.block_reasons), (self.report_reasons, other.report_reasons),
                 (self.refused_codes, other.refused_codes))  # fmt: skip
        for mine, theirs in pairs:
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n

    def as_dict(self) -> dict[str, object]:
        negative = sum(self.counts[k] for k in NEGATIVE)
        delivered = self.counts["delivered"]
        return {
            **self.counts,
            "block_reasons": dict(sorted(self.block_reasons.items())),
            "report_reasons": dict(sorted(self.report_reasons.items())),
            "refused_codes": dict(sorted(self.refused_codes.items())),
            "negative_feedback": self.counts["not_interested"] + self.counts["spam"],
            "negative_signals": negative,
            "negative_per_100": round(100 * negative / delivered, 1) if delivered else None,
        }


def _bump(table: dict[str, int], key: str) -> None:
    table[key] = table.get(key, 0) + 1


def _is_opt_out(message_kind: str, body: str) -> bool:
    """As services/consent_actions.py `is_opt_out`: a stop word alone, or "Stop promotions"."""
    return message_kind in (MessageKind.TEXT.value, MessageKind.INTERACTIVE_REPLY.value) and is_stop_reply(
        body
    )


def chat_figures(chat: PilotChat) -> dict[str, Figures]:
    """One business's figures by category."""
    out = {c: Figures() for c in CATEGORIES}
    timeline: list[tuple[int, str]] = []  # (position, category) of each delivered message
    category_of: dict[str, str] = {}
    for m in chat.messages:
        category = m.category or "service"
        if m.kind == MessageKind.SYSTEM.value:
            if m.error_code is not None and not m.outgoing:
                out[category].add("refused")
                _bump(out[category].refused_codes, str(m.error_code))
            elif m.payload.get("preference") == "stop" and m.payload.get("changed"):
                out["marketing"].add("stops")
            continue
        if m.outgoing:
            if not _is_opt_out(m.kind, m.body):
                out[timeline[-1][1] if timeline else "service"].add("replies")
            continue
        out[category].add("delivered")
        timeline.append((m.position, category))
        category_of[m.message_id] = category
    positions = [p for p, _ in timeline]

    def before(at: int) -> str:
        n = bisect_right(positions, at)
        return timeline[n - 1][1] if n else (timeline[-1][1] if timeline else "service")

    last = timeline[-1][1] if timeline else "service"
    out[last].add("mutes", int(chat.muted))
    out[last].add("archives", int(chat.archived))
    for reason, at in chat.blocks:
        out[before(at)].add("blocks")
        _bump(out[before(at)].block_reasons, reason)
    for reason, at in chat.reports:
        out[before(at)].add("reports")
        _bump(out[before(at)].report_reasons, reason)
    keys = {"useful": "useful_feedback", "not_interested": "not_interested", "spam": "spam"}
    for message_id, kind in chat.feedback.items():
        if kind in keys:
            out[category_of.get(message_id, "service")].add(keys[kind])
    return out


def pilot_report(chats: Sequence[PilotChat], quality: Sequence[QualityReport]) -> dict[str, object]:
    """The report as one JSON-ready object: `businesses` (a row each, with its `categories`), and
    `categories` (all businesses together)."""
    ratings = {q.business_id: q.rating.value for q in quality}
    totals = {c: Figures() for c in CATEGORIES}
    rows = []
    for chat in chats:
        by_category = chat_figures(chat)
        whole = Figures()
        for category, figures in by_category.items():
            whole.merge(figures)
            totals[category].merge(figures)
        rows.append({
            "id": chat.business_id, "name": clean_name(chat.name), "verified": chat.verified,
            "rating": ratings.get(chat.business_id, "green"), **whole.as_dict(),
            "categories": {c: f.as_dict() for c, f in by_category.items()},
        })  # fmt: skip
    return {"businesses": rows, "categories": {c: f.as_dict() for c, f in totals.items()}}
