"""Consent rules (DESIGN.md section 3, rule 4), as the client keeps them.

- The customer service window: 24 hours from the user's last message to the business.
- Outside it a business may send only templates, and only to a user who opted in; marketing templates
  stop when the user stops promotions (utility and authentication continue).
- The fake network enforces this on the business side (errors 131047, 131050); whatever slips through
  is shown as a request (the unknown-sender banner), never as a normal chat, and never notified.
- A first message from a person who is not a contact, or from an account the directory flags as a scam,
  is a request too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from tui_messenger.domain.models import (
    AccountKind,
    Direction,
    MessageKind,
    TemplateCategory,
    WindowState,
)
from tui_messenger.store.ingest import Incoming, PeerFacts

WINDOW = timedelta(hours=24)
WINDOW_MS = int(WINDOW.total_seconds() * 1000)


def window_open_at(last_outbound_ms: int, at_ms: int) -> bool:
    return bool(last_outbound_ms) and 0 <= at_ms - last_outbound_ms < WINDOW_MS


def admits_message(facts: PeerFacts, message: Incoming, first_of_new_chat: bool) -> bool:
    """False when `message` (incoming) must turn its chat into a request."""
    if facts.scam:
        return False
    if facts.kind != AccountKind.BUSINESS.value:
        return facts.contact or not first_of_new_chat
    if window_open_at(facts.last_outbound_at, message.timestamp):
        return True
    if message.kind != MessageKind.TEMPLATE.value or not facts.opted_in:
        return False  # free-form outside the window, or a template to a user who never opted in
    return not (message.template_category == TemplateCategory.MARKETING.value and facts.marketing_stopped)


def admits(facts: PeerFacts, messages: Sequence[Incoming], new_chat: bool) -> bool:
    """The store's `Admit` rule for a chat's new messages (in time order): False when any of them is not
    admitted, which makes the chat a request. The user's own messages among them open the window for
    what follows."""
    if facts.kind != AccountKind.BUSINESS.value and not facts.scam:
        # People: only the first message of a new chat can make it a request (strangers).
        first = messages[0]
        return not (new_chat and first.direction == Direction.INBOUND.value and not facts.contact)
    last_out, opening = facts.last_outbound_at, new_chat
    for message in messages:
        if message.direction == Direction.OUTBOUND.value:
            last_out = max(last_out, message.timestamp)
        elif not admits_message(replace(facts, last_outbound_at=last_out), message, opening):
            return False
        opening = False
    return True


def window_state(last_outbound_at: datetime | None, now: datetime) -> WindowState:
    if last_outbound_at is None:
        return WindowState(open=False)
    closes_at = last_outbound_at + WINDOW
    return WindowState(open=now < closes_at, closes_at=closes_at)
