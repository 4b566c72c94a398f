"""The facade's request methods (the `Messenger` protocol): the base of `MessengerService`, which builds
the repositories, the transport, the clock, the feature objects and the background loops."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from tui_messenger.domain.clock import to_ms
from tui_messenger.domain.events import ChatChanged, MessageAdded, MessageChanged
from tui_messenger.domain.models import (
    Account,
    Block,
    BlockReason,
    ChatFilter,
    ChatMessage,
    ChatSummary,
    Consent,
    Direction,
    FeedbackKind,
    MessageKind,
    PageCursor,
    QualityReport,
    ReactionCount,
    Report,
    ReportReason,
    SearchHit,
    WindowState,
    outbound,
)
from tui_messenger.services import frames, quality
from tui_messenger.services.blocklist import BlockList
from tui_messenger.services.consent import window_state
from tui_messenger.services.consent_actions import is_opt_out
from tui_messenger.services.errors import BlockedError, InvalidMessageError, MessengerError, NotFoundError
from tui_messenger.store.chats import ChatNotFound
from tui_messenger.store.convert import clean_name
from tui_messenger.transport import wire

if TYPE_CHECKING:
    from collections.abc import Callable

    from tui_messenger.domain.clock import Clock
    from tui_messenger.services.history import NetworkHistory
    from tui_messenger.services.hub import EventHub
    from tui_messenger.services.outbox import Outbox
    from tui_messenger.services.reactions import ReactionService
    from tui_messenger.services.safety import Safety
    from tui_messenger.services.signals import Signals
    from tui_messenger.store.accounts import AccountRepository, ContactRepository
    from tui_messenger.store.chats import ChatRepository
    from tui_messenger.store.consent import ConsentRepository, FeedbackRepository
    from tui_messenger.store.messages import MessageRepository
    from tui_messenger.store.outbox import OutboxRepository
    from tui_messenger.store.quality import QualityRepository
    from tui_messenger.store.reactions import ReactionRepository
    from tui_messenger.transport.base import Transport

# Read receipts a request accepted (or answered) late sends at most, for its newest read messages; on Matrix
# the newest alone says "read up to here".
LATE_RECEIPTS = 20


class LooksLike(Protocol):
    def looks_like(self, account_id: str, display_name: str) -> str | None: ...


class MessengerApi:
    """Needs the attributes below, which `MessengerService.__init__` sets."""

    user_id: str
    transport: Transport
    clock: Clock
    hub: EventHub
    accounts: AccountRepository
    contacts: ContactRepository
    chats: ChatRepository
    messages: MessageRepository
    outbox_repo: OutboxRepository
    consents: ConsentRepository
    feedback: FeedbackRepository
    quality_repo: QualityRepository
    reaction_repo: ReactionRepository
    reacting: ReactionService
    outbox: Outbox
    history: NetworkHistory
    safety: Safety
    blocked_ids: BlockList
    signals: Signals
    _check: LooksLike
    _make_check: Callable[[Mapping[str, str]], LooksLike]
    _new_id: Callable[[], str]

    async def refresh_verified(self) -> None:
        verified = await asyncio.to_thread(self.accounts.verified_names)
        self._check = self._make_check(verified)

    def decorate(self, summary: ChatSummary) -> ChatSummary:
        """Add the "looks like <verified name>" warning to a chat-list row, and lift a timed mute whose
        time has passed (on the service clock: no timer has to run for it)."""
        peer = summary.peer
        looks = self._check.looks_like(peer.id, peer.display_name)
        chat = summary.chat
        if chat.muted and chat.muted_until is not None and chat.muted_until <= self.clock.now():
            chat = replace(chat, muted=False, muted_until=None)  # a timed mute that ran out
        if looks == summary.looks_like and chat is summary.chat:
            return summary
        return ChatSummary(chat=chat, peer=peer, blocked=summary.blocked, looks_like=looks)

    # chat list -------------------------------------------------------------------------------------
    async def chat_list(
        self, *, filter: ChatFilter = ChatFilter.ALL, query: str = "", archived: bool = False
    ) -> list[ChatSummary]:
        rows = await asyncio.to_thread(self.chats.list, filter=filter, archived=archived)
        needle = clean_name(query).casefold()
        return [self.decorate(s) for s in rows if not needle or needle in clean_name(s.chat.title).casefold()]

    async def filter_counts(self) -> dict[ChatFilter, int]:
        return await asyncio.to_thread(self.chats.counts)

    async def summary(self, chat_id: int) -> ChatSummary:
        try:
            return self.decorate(await asyncio.to_thread(self.chats.get, chat_id=chat_id))
        except ChatNotFound as exc:
            raise NotFoundError(str(exc)) from exc

    async def chat_for_account(self, account_id: str) -> ChatSummary | None:
        found = await asyncio.to_thread(self.chats.for_peer, account_id=account_id)
        return self.decorate(found) if found is not None else None

    async def open_chat(self, account_id: str) -> ChatSummary:
        """The chat with `account_id`, created (as a normal chat: the user opens it) if there is none. Someone
        not known here yet is first asked of the network: an ID it has no account for (a typo) makes no
        chat (NotFoundError), where a message would wait forever for nobody; nor does the user's own."""
        if account_id == self.user_id:  # (Matrix refuses the room: the message would fail)
            raise MessengerError("that is your own account: a chat is with someone else")
        known = await asyncio.to_thread(self.accounts.get, account_id=account_id)
        if known is None and await self.transport.account_exists(account_id) is False:
            raise NotFoundError(f"there is no account {clean_name(account_id)}: check the ID")
        summary = await asyncio.to_thread(self.chats.open_with, account_id=account_id, now=self.clock.now())
        return self.decorate(summary)

    async def contact_list(self) -> list[Account]:
        def read() -> list[Account]:
            found = (self.accounts.get(account_id=account_id) for account_id in self.contacts.all())
            return [account for account in found if account is not None]

        return await asyncio.to_thread(read)

    # history ---------------------------------------------------------------------------------------
    # Every page gets its reaction chips with one more query (never one per message), in the same thread.
    async def _page(self, read: Callable[..., list[ChatMessage]], **where: Any) -> list[ChatMessage]:
        def page() -> list[ChatMessage]:
            return self.reaction_repo.fill(messages=read(**where), user_id=self.user_id)

        return await asyncio.to_thread(page)

    async def latest_page(self, chat_id: int, *, limit: int = 50) -> list[ChatMessage]:
        return await self._page(self.messages.latest_page, chat_id=chat_id, limit=limit)

    async def page_before(self, chat_id: int, cursor: PageCursor, *, limit: int = 50) -> list[ChatMessage]:
        """From the database; past its oldest message, from the network's history (services/history.py)."""
        read = partial(self._page, self.messages.page_before, chat_id=chat_id, cursor=cursor, limit=limit)
        return await self.history.page(chat_id, read, limit=limit)

    async def page_after(self, chat_id: int, cursor: PageCursor, *, limit: int = 50) -> list[ChatMessage]:
        """The `limit` messages just newer than `cursor`, oldest first (scrolling down after a jump)."""
        return await self._page(self.messages.page_after, chat_id=chat_id, cursor=cursor, limit=limit)

    async def page_around(self, chat_id: int, message_id: str, *, limit: int = 50) -> list[ChatMessage]:
        read = self.messages.page_around
        return await self._page(read, chat_id=chat_id, message_id=message_id, limit=limit)

    async def message(self, message_id: str) -> ChatMessage | None:
        found = await self._page(lambda: [m] if (m := self.messages.get(message_id=message_id)) else [])
        return found[0] if found else None

    async def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        return await asyncio.to_thread(self.messages.search, query=query, limit=limit)

    async def search_in_chat(self, chat_id: int, query: str, *, limit: int = 200) -> list[ChatMessage]:
        find = self.messages.search_in_chat
        return await asyncio.to_thread(find, chat_id=chat_id, query=query, limit=limit)

    async def first_unread(self, chat_id: int) -> str | None:
        return await asyncio.to_thread(self.messages.first_unread, chat_id=chat_id)

    # sending ---------------------------------------------------------------------------------------
    async def send_text(self, chat_id: int, body: str, *, reply_to: str | None = None) -> ChatMessage:
        if not body.strip():
            raise InvalidMessageError("an empty message is not sent")
        return await self._compose(chat_id, MessageKind.TEXT, body, reply_to=reply_to)

    async def send_choice(self, chat_id: int, answered: ChatMessage, choice_id: str) -> ChatMessage:
        found = frames.choice_title(answered, choice_id)
        if found is None:
            raise InvalidMessageError("that choice is not offered by the message")
        reply_type, title = found
        payload = {"interactive_reply": {"type": reply_type, "id": choice_id, "title": title,
                                         "context_id": answered.message_id}}  # fmt: skip
        return await self._compose(
            chat_id, MessageKind.INTERACTIVE_REPLY, title, reply_to=answered.message_id, payload=payload
        )

    async def _compose(
        self, chat_id: int, kind: MessageKind, body: str, *, reply_to: str | None, payload: Any = None
    ) -> ChatMessage:
        now = self.clock.now()
        message = outbound(
            message_id=self._new_id(),
            chat_id=chat_id,
            sender_id=self.user_id,
            kind=kind,
            body=body,
            at=now,
            txn_id=self._new_id(),
            reply_to=reply_to,
            payload=payload,
        )

        made: list[tuple[bytes, bool]] = []
        answered: list[bool] = []  # the message answers a request (and so accepts it)

        def checked(summary: ChatSummary) -> tuple[bytes, bool]:
            """The frame and whether it is a STOP, for the chat as it is when the message is written."""
            if summary.blocked:
                raise BlockedError(f"{clean_name(summary.chat.title)} is blocked; unblock to send messages")
            raw = wire.encode(frames.outgoing_frame(message, to=summary.peer.id))
            if len(raw) > wire.MAX_FRAME_BYTES:
                raise InvalidMessageError("the message is too long to send")
            made.append((raw, is_opt_out(summary, kind, body)))  # STOP: no reply, no opt-in; ads stop
            answered.append(summary.chat.is_request and not made[-1][1])
            return made[-1]

        compose = partial(
            self.outbox_repo.compose, message=message, frame=checked, now=now,
            retry_at=self.outbox.retry_at(now),
        )  # fmt: skip
        # One write at a time, in the order sent (`Outbox.writing`); no await from here to `send_new`.
        async with self.outbox.writing:
            try:  # the chat read and the message written in one trip to a store thread (each cost ~1 ms)
                stored, summary = await asyncio.to_thread(compose)
            except ChatNotFound as exc:
                raise NotFoundError(str(exc)) from exc
        raw, opt_out = made[-1]
        peer = summary.peer.id
        self.hub.emit(MessageAdded(chat_id, stored))
        self.hub.emit(ChatChanged(self.decorate(summary)))
        await self.outbox.send_new(stored.message_id, raw)
        if opt_out:
            await self.set_marketing_stopped(peer, True)  # type: ignore[attr-defined]  # consent_actions
        elif answered[-1]:
            await self._accepted(summary)
        return stored

    async def retry(self, message_id: str) -> None:
        message = await asyncio.to_thread(self.outbox_repo.retry, message_id=message_id, now=self.clock.now())
        if message is not None:
            self.hub.emit(MessageChanged(message.chat_id, message))
            self.outbox.wake()

    async def save_draft(self, chat_id: int, text: str) -> None:
        await self._update(chat_id, draft=text)

    # reactions -------------------------------------------------------------------------------------
    async def react(self, message_id: str, emoji: str) -> tuple[ReactionCount, ...]:
        return await self.reacting.react(message_id, emoji)

    async def unreact(self, message_id: str) -> tuple[ReactionCount, ...]:
        return await self.reacting.react(message_id, "")

    # reading and chat flags ------------------------------------------------------------------------
    async def mark_read(self, chat_id: int) -> None:
        summary = await self.summary(chat_id)
        read = await asyncio.to_thread(self.messages.mark_read, chat_id=chat_id)
        if not read:
            return
        self.hub.emit(ChatChanged(self.decorate(await self.summary(chat_id))))
        await self.signals.read(summary, read)

    async def set_typing(self, chat_id: int, typing: bool) -> None:
        await self.signals.typing(chat_id, typing)

    async def set_unread(self, chat_id: int) -> None:
        summary = await self.summary(chat_id)
        if summary.blocked:
            return  # nothing of a blocked account is counted, not even a mark the user sets
        await self._update(chat_id, unread_count=max(summary.chat.unread_count, 1))

    async def set_pinned(self, chat_id: int, pinned: bool) -> None:
        await self._update(chat_id, pinned=pinned)

    async def set_muted(self, chat_id: int, muted: bool, *, until: datetime | None = None) -> None:
        """Mute (until `until`, or always when None) or unmute."""
        muted_until = to_ms(until) if muted and until is not None else None
        await self._update(chat_id, muted=muted, muted_until=muted_until)

    async def set_archived(self, chat_id: int, archived: bool) -> None:
        await self._update(chat_id, archived=archived)

    async def accept_request(self, chat_id: int, *, add_contact: bool = False) -> None:
        was_request = (await self.summary(chat_id)).chat.is_request
        summary = await self._update(chat_id, is_request=False)
        if add_contact:
            await asyncio.to_thread(self.contacts.add, account_id=summary.peer.id, now=self.clock.now())
        if was_request:
            await self._accepted(summary)

    async def _accepted(self, summary: ChatSummary) -> None:
        """A request became a chat (accepted, or answered): the read receipts it was not sent."""
        chat_id = summary.chat.id
        read = await asyncio.to_thread(self.messages.newest_read, chat_id=chat_id, limit=LATE_RECEIPTS)
        await self.signals.read(summary, read)

    async def _update(self, chat_id: int, **flags: Any) -> ChatSummary:
        try:
            summary = self.decorate(await asyncio.to_thread(self.chats.update, chat_id=chat_id, **flags))
        except ChatNotFound as exc:
            raise NotFoundError(str(exc)) from exc
        self.hub.emit(ChatChanged(summary))
        return summary

    # trust and safety ------------------------------------------------------------------------------
    async def account(self, account_id: str) -> Account | None:
        return await asyncio.to_thread(self.accounts.get, account_id=account_id)

    async def looks_like(self, account_id: str) -> str | None:
        account = await self.account(account_id)
        return self._check.looks_like(account_id, account.display_name) if account is not None else None

    async def block(
        self,
        account_id: str,
        reason: BlockReason,
        *,
        report_reason: ReportReason | None = None,
        note: str = "",
    ) -> None:
        await self.safety.block(account_id, reason, report_reason=report_reason, note=note)

    async def unblock(self, account_id: str) -> None:
        await self.safety.unblock(account_id)

    async def blocked(self) -> list[tuple[Block, Account]]:
        return await self.safety.blocked_list()

    async def is_blocked(self, account_id: str) -> bool:
        return account_id in self.blocked_ids

    async def report_evidence(self, account_id: str) -> list[ChatMessage]:
        return await self.safety.evidence(account_id)

    async def report(
        self, account_id: str, reason: ReportReason, *, note: str = "", also_block: bool = False
    ) -> Report:
        return await self.safety.report(account_id, reason, note=note, also_block=also_block)

    # business rules --------------------------------------------------------------------------------
    async def consent(self, business_id: str) -> Consent:
        return await asyncio.to_thread(self.consents.get, business_id=business_id)

    async def window(self, business_id: str) -> WindowState:
        summary = await asyncio.to_thread(self.chats.for_peer, account_id=business_id)
        if summary is None:
            return WindowState(open=False)
        last = await asyncio.to_thread(self.chats.last_outbound_at, chat_id=summary.chat.id)
        return window_state(last, self.clock.now())

    async def give_feedback(self, message_id: str, kind: FeedbackKind) -> None:
        message = await self.message(message_id)
        if message is None or message.direction is not Direction.INBOUND:
            raise NotFoundError("feedback is for messages a business sent you")
        sender = await self.account(message.sender_id)
        if sender is None or not sender.is_business:
            raise InvalidMessageError("feedback is for business messages")
        await asyncio.to_thread(
            self.feedback.give, message_id=message_id, business_id=sender.id, kind=kind, now=self.clock.now()
        )

    async def feedback_for(self, message_ids: Sequence[str]) -> dict[str, FeedbackKind]:
        return await asyncio.to_thread(self.feedback.for_messages, message_ids=list(message_ids))

    async def quality(self) -> list[QualityReport]:
        since = self.clock.now() - timedelta(days=quality.DAYS)
        figures = await asyncio.to_thread(self.quality_repo.figures, since=since)
        return [quality.report(f) for f in figures]
