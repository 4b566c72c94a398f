"""What the pilot report is made of (services/pilot.py adds it up): every business chat's messages in
order, its flags, and the blocks, reports and feedback the user gave. Read once, for the report command;
never on the screen's paths."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tui_messenger.store.base import Repository, raw


@dataclass(frozen=True, slots=True)
class PilotMessage:
    message_id: str
    outgoing: bool
    kind: str  # MessageKind value
    category: str | None  # a template's category
    body: str
    payload: dict[str, Any]
    error_code: int | None
    position: int


@dataclass(slots=True)
class PilotChat:
    business_id: str
    name: str
    verified: bool
    muted: bool
    archived: bool
    messages: list[PilotMessage] = field(default_factory=list)
    blocks: list[tuple[str, int]] = field(default_factory=list)  # (reason, when)
    reports: list[tuple[str, int]] = field(default_factory=list)
    feedback: dict[str, str] = field(default_factory=dict)  # message id -> kind


def _payload(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class PilotRepository(Repository):
    def chats(self) -> list[PilotChat]:
        """Every business chat (archived too), by name, with all it needs for the report."""
        with self.db.read() as session:
            conn = raw(session)
            chats: dict[str, PilotChat] = {}
            for peer, name, verified, verified_name, muted, archived in conn.execute(
                "SELECT c.peer_id, a.display_name, a.verified, a.verified_name, c.muted, c.archived"
                " FROM chats c JOIN accounts a ON a.id = c.peer_id WHERE a.kind = 'business'"
            ):
                badge = bool(verified) and verified_name == name
                chats[peer] = PilotChat(peer, name, badge, bool(muted), bool(archived))
            for row in conn.execute(
                "SELECT c.peer_id, m.message_id, m.direction, m.kind, m.template_category, m.body, m.payload,"
                " m.error_code, m.position FROM messages m JOIN chats c ON c.id = m.chat_id"
                " JOIN accounts a ON a.id = c.peer_id WHERE a.kind = 'business' AND m.hidden = 0"
                " ORDER BY m.chat_id, m.position, m.id"
            ):
                peer, message_id, direction, kind, category, body, payload, code, position = row
                message = PilotMessage(
                    message_id, direction == "out", kind, category, body, _payload(payload), code, position
                )
                chats[peer].messages.append(message)
            for account, reason, at in conn.execute("SELECT account_id, reason, blocked_at FROM blocks"):
                if account in chats:
                    chats[account].blocks.append((reason, at))
            for account, reason, at in conn.execute("SELECT account_id, reason, reported_at FROM reports"):
                if account in chats:
                    chats[account].reports.append((reason, at))
            for message_id, business, kind in conn.execute(
                "SELECT message_id, business_id, kind FROM feedback"
            ):
                if business in chats:
                    chats[business].feedback[message_id] = kind
        return sorted(chats.values(), key=lambda c: (c.name.casefold(), c.business_id))
