"""The business side of consent, as the network enforces it (DESIGN.md section 3, rule 4).

- Free-form messages only inside the customer service window: 24 h from the user's last message (131047).
- Marketing templates stop after the user's "stop" and start again after "resume" (131050).
- A business opens a conversation only with a template, and only to a user who opted in (131049).
- Outside the window a business reaches at most `tier_limit` distinct users per 24 h (131048).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tui_messenger.transport import wire

WINDOW = timedelta(hours=24)
TIER_PERIOD = timedelta(hours=24)

ERROR_TITLES = {
    wire.ERROR_OUTSIDE_WINDOW: "Re-engagement message: outside the 24-hour customer service window",
    wire.ERROR_MARKETING_STOPPED: "The user stopped marketing messages from this business",
    wire.ERROR_NO_OPT_IN: "Business-initiated message to a user who never opted in",
    wire.ERROR_TIER_LIMIT: "Messaging tier limit: too many distinct users reached in 24 hours",
    wire.ERROR_UNDELIVERABLE: "Message undeliverable: no such recipient",
}


@dataclass
class _BusinessState:
    tier_limit: int = 250
    last_user_message: dict[str, datetime] = field(default_factory=dict)
    opted_in: set[str] = field(default_factory=set)
    marketing_stopped: set[str] = field(default_factory=set)
    reached: dict[str, datetime] = field(default_factory=dict)  # user -> when first reached this period


class ConsentLedger:
    """What each business may send to each user, now."""

    def __init__(self) -> None:
        self._businesses: dict[str, _BusinessState] = {}

    def register(self, business: str, *, tier_limit: int = 250) -> None:
        self._businesses.setdefault(business, _BusinessState()).tier_limit = tier_limit

    def is_business(self, account: str) -> bool:
        return account in self._businesses

    def _state(self, business: str) -> _BusinessState:
        return self._businesses.setdefault(business, _BusinessState())

    # what users do ---------------------------------------------------------------------------------
    def user_messaged(self, business: str, user: str, at: datetime) -> None:
        """The user's own message opens (or keeps open) the customer service window."""
        state = self._state(business)
        last = state.last_user_message.get(user)
        if last is None or at > last:
            state.last_user_message[user] = at

    def opt_in(self, business: str, user: str) -> None:
        self._state(business).opted_in.add(user)

    def set_marketing(self, business: str, user: str, *, stopped: bool) -> None:
        if stopped:
            self._state(business).marketing_stopped.add(user)
        else:
            self._state(business).marketing_stopped.discard(user)

    def mark_reached(self, business: str, user: str, at: datetime) -> None:
        """Count `user` against the tier (the demo uses stand-in users to show a business at its limit)."""
        self._state(business).reached.setdefault(user, at)

    # what businesses may do ------------------------------------------------------------------------
    def window_open(self, business: str, user: str, now: datetime) -> bool:
        last = self._state(business).last_user_message.get(user)
        return last is not None and now - last < WINDOW

    def window_closes_at(self, business: str, user: str) -> datetime | None:
        last = self._state(business).last_user_message.get(user)
        return None if last is None else last + WINDOW

    def marketing_stopped(self, business: str, user: str) -> bool:
        return user in self._state(business).marketing_stopped

    def check(self, business: str, user: str, *, template_category: str | None, now: datetime) -> int | None:
        """The error code that stops this send, or None when it may go. A successful business-initiated
        send counts the user against the tier."""
        state = self._state(business)
        if template_category == "marketing" and user in state.marketing_stopped:
            return wire.ERROR_MARKETING_STOPPED
        if self.window_open(business, user, now):
            return None
        if template_category is None:
            return wire.ERROR_OUTSIDE_WINDOW
        if user not in state.opted_in:
            return wire.ERROR_NO_OPT_IN
        state.reached = {u: t for u, t in state.reached.items() if now - t < TIER_PERIOD}
        if user not in state.reached:
            if len(state.reached) >= state.tier_limit:
                return wire.ERROR_TIER_LIMIT
            state.reached[user] = now
        return None
