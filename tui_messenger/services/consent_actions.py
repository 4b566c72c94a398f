"""Consent as users mean it (DESIGN.md section 3, rule 4): `Promotions` and `Preferences`, feature objects
owned by `MessengerService`.

- STOP, UNSUBSCRIBE or STOPP alone in a message to a business, or the "Stop promotions" quick reply,
  stops marketing from that business: the message is sent as written, the stop is stored and sent to the
  network (user_preferences), and a system line in the chat says so. Such a message is no reply: it
  accepts no request and opts the user in to nothing (store/outbox.py `opt_out`).
- Stopping or resuming from the header, the palette or the profile says so in the chat too.
- Refusals the network tells testers about become dimmed lines in the business's chat (store/refusals.py);
  `show_refusals` decides whether the screen sees them.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from tui_messenger.domain.events import MessageAdded
from tui_messenger.domain.models import Consent, MessageKind
from tui_messenger.domain.stop_words import is_stop_reply, preference_line, refusal_line
from tui_messenger.services.errors import InvalidMessageError
from tui_messenger.store.refusals import RefusalItem
from tui_messenger.transport import wire
from tui_messenger.transport.base import TransportClosed

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from tui_messenger.domain.clock import Clock
    from tui_messenger.domain.models import ChatSummary, QualityReport
    from tui_messenger.services.hub import EventHub
    from tui_messenger.services.receive import Receiver
    from tui_messenger.store.consent import ConsentRepository
    from tui_messenger.store.database import Database
    from tui_messenger.store.ingest import BatchItem
    from tui_messenger.store.messages import MessageRepository
    from tui_messenger.store.settings import SettingsRepository
    from tui_messenger.transport.base import Transport

PENDING_PREFERENCES = "pending_preferences"  # settings key: marketing stop/resume not yet sent


def is_opt_out(summary: ChatSummary, kind: MessageKind, body: str) -> bool:
    """A message to a business that stops its promotions (and so is no reply)."""
    if not summary.peer.is_business:
        return False
    # Typed or chosen: a stop word alone, or the "Stop promotions" quick reply's text.
    return kind in (MessageKind.TEXT, MessageKind.INTERACTIVE_REPLY) and is_stop_reply(body)


def refusal_item(frame: wire.RefusalFrame) -> RefusalItem:
    return RefusalItem(
        refusal_id=frame.id, business_id=frame.business, code=frame.code, category=frame.category,
        body=refusal_line(frame.code, frame.title, frame.text), timestamp=frame.timestamp,
    )  # fmt: skip


def refusal_converters(*, user_id: str) -> dict[type, Callable[[Any], BatchItem | None]]:
    """Refusal frames to the user become batch items (others are dropped, acked)."""

    def convert(frame: wire.RefusalFrame) -> BatchItem | None:
        return refusal_item(frame) if frame.to == user_id else None

    return {wire.RefusalFrame: convert}


class Preferences:
    """The user's marketing choice per business, sent to the network as user_preferences; kept in the
    settings while offline and sent on the next connect."""

    def __init__(
        self, *, user_id: str, clock: Clock, transport: Transport, settings: SettingsRepository
    ) -> None:
        self.user_id, self.clock, self.transport, self.settings = user_id, clock, transport, settings

    async def send(self, business_id: str, stopped: bool) -> bool:
        frame = wire.UserPreferencesFrame(
            sender=self.user_id, to=business_id, marketing="stop" if stopped else "resume",
            timestamp=int(self.clock.now().timestamp() * 1000),
        )  # fmt: skip
        try:
            await self.transport.send(wire.encode(frame))
            return True
        except TransportClosed:
            return False

    async def remember(self, business_id: str, stopped: bool) -> None:
        def update() -> None:
            pending = json.loads(self.settings.get(key=PENDING_PREFERENCES) or "{}")
            pending[business_id] = "stop" if stopped else "resume"
            self.settings.set(key=PENDING_PREFERENCES, value=json.dumps(pending))

        await asyncio.to_thread(update)

    async def flush(self) -> None:
        """Send the choices made while offline (after a connect)."""
        stored = await asyncio.to_thread(self.settings.get, key=PENDING_PREFERENCES)
        pending = json.loads(stored or "{}")
        if not pending:
            return
        for business_id, choice in list(pending.items()):
            if await self.send(business_id, choice == "stop"):
                del pending[business_id]
        await asyncio.to_thread(self.settings.set, key=PENDING_PREFERENCES, value=json.dumps(pending) or None)


class Promotions:
    """Stopping and resuming promotions, the refusal lines and the pilot report."""

    def __init__(
        self, *, user_id: str, db: Database, clock: Clock, hub: EventHub, consents: ConsentRepository,
        messages: MessageRepository, receiver: Receiver, new_id: Callable[[], str],
        summary: Callable[[int], Awaitable[ChatSummary]],
        quality: Callable[[], Awaitable[list[QualityReport]]], preferences: Preferences,
    ) -> None:  # fmt: skip
        self.user_id, self.db, self.clock, self.hub = user_id, db, clock, hub
        self.consents, self.messages, self.receiver, self._new_id = consents, messages, receiver, new_id
        self.summary, self.quality, self.preferences = summary, quality, preferences

    @property
    def show_refusals(self) -> bool:
        """Whether history pages and events carry the "Refused by the platform" lines (testers)."""
        return not self.messages.hide_refusals

    @show_refusals.setter
    def show_refusals(self, shown: bool) -> None:
        self.messages.hide_refusals = not shown
        self.receiver.hide_refusals = not shown

    async def set_marketing_stopped(self, business_id: str, stopped: bool) -> None:
        """Stop or resume promotions: stored with a line in the chat, and sent to the business as
        user_preferences (on the next connect if offline)."""

        def line(name: str, changed: bool) -> str:
            return preference_line(name, stopped=stopped, changed=changed)

        _, added = await asyncio.to_thread(
            self.consents.record_preference, business_id=business_id, user_id=self.user_id, stopped=stopped,
            now=self.clock.now(), line_id=self._new_id(), line=line,
        )  # fmt: skip
        if added is not None:
            self.hub.emit(MessageAdded(added.chat_id, added))
        if not await self.preferences.send(business_id, stopped):
            await self.preferences.remember(business_id, stopped)  # sent on the next connect

    async def pilot_report(self) -> dict[str, object]:
        """Do users feel disturbed? The pilot's figures per business and per category (services/pilot.py)."""
        from tui_messenger.services.pilot import pilot_report
        from tui_messenger.store.pilot import PilotRepository

        chats = await asyncio.to_thread(PilotRepository(self.db).chats)
        return pilot_report(chats, await self.quality())

    async def stop_promotions(self, chat_id: int) -> Consent:
        """The "Stop promotions" quick reply or control of a business chat."""
        return await self._set_promotions(chat_id, stopped=True)

    async def resume_promotions(self, chat_id: int) -> Consent:
        return await self._set_promotions(chat_id, stopped=False)

    async def _set_promotions(self, chat_id: int, *, stopped: bool) -> Consent:
        summary = await self.summary(chat_id)
        if not summary.peer.is_business:
            raise InvalidMessageError("promotions come only from businesses")
        await self.set_marketing_stopped(summary.peer.id, stopped)
        return await asyncio.to_thread(self.consents.get, business_id=summary.peer.id)
