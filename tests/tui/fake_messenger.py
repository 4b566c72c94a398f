"""An in-memory `Messenger` test double for the TUI's own tests: a few chats, instant replies, events.

Journey tests use the real app from `bootstrap.build_test_app`; this double covers what the fake network
does not script (hostile text everywhere, 100,000-message chats, failed sends).
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from itertools import count
from pathlib import Path
from typing import Any

from tui_messenger.domain import events as ev
from tui_messenger.domain.edits import Allowed, allowed, edit_refusal, own_refusal
from tui_messenger.domain.files import MAX_FILE_BYTES, FileRefused
from tui_messenger.domain.models import (
    Account,
    AccountKind,
    AttachmentInfo,
    Block,
    BlockReason,
    Chat,
    ChatFilter,
    ChatKind,
    ChatMessage,
    ChatSummary,
    Consent,
    ConsentSource,
    Direction,
    FeedbackKind,
    MessageKind,
    MessageStatus,
    PageCursor,
    QualityRating,
    QualityReport,
    ReactionCount,
    Report,
    ReportReason,
    SearchHit,
    TemplateCategory,
    WindowState,
)
from tui_messenger.services.edits import RefusedError
from tui_messenger.services.errors import MessengerError, NotFoundError

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, start: datetime = T0) -> None:
        self.moment = start

    def now(self) -> datetime:
        return self.moment


class FakeMessenger:
    user_id = "me"

    def __init__(self) -> None:
        self.clock = FakeClock()
        self.accounts: dict[str, Account] = {}
        self.chats: dict[int, Chat] = {}
        self.messages: dict[int, list[ChatMessage]] = {}
        self.blocks: dict[str, Block] = {}
        self.consents: dict[str, Consent] = {}
        self.feedback: dict[str, FeedbackKind] = {}
        self.reports: list[Report] = []
        self.sent: list[tuple[int, str, str | None]] = []
        self.choices: list[tuple[int, str, str]] = []
        self.drafts: dict[int, str] = {}
        self.typing_told: list[tuple[int, bool]] = []  # set_typing calls, in order
        self.looks: dict[str, str] = {}
        self.listeners: list[Callable[[ev.MessengerEvent], None]] = []
        self.auto_reply = True
        self.files: dict[str, bytes] = {}  # the bytes of files sent, by message id
        self.downloads = Path(tempfile.gettempdir()) / "tui-messenger-fake-downloads"
        self.started = self.stopped = False
        self._ids = count(1)
        self._chat_ids = count(1)

    # building the world ----------------------------------------------------------------------------
    def add_chat(self, account: Account, *, request: bool = False, **flags: Any) -> Chat:
        self.accounts[account.id] = account
        kind = ChatKind.BUSINESS if account.is_business else ChatKind.PERSONAL
        chat = Chat(next(self._chat_ids), account.id, kind, account.display_name, is_request=request, **flags)
        self.chats[chat.id] = chat
        self.messages[chat.id] = []
        return chat

    def make(
        self,
        chat_id: int,
        body: str,
        *,
        outgoing: bool = False,
        kind: MessageKind = MessageKind.TEXT,
        at: datetime | None = None,
        **extra: Any,
    ) -> ChatMessage:
        n = next(self._ids)
        chat = self.chats[chat_id]
        at = at or self.clock.now()
        return ChatMessage(
            message_id=f"m{n}",
            chat_id=chat_id,
            sender_id="me" if outgoing else chat.peer_id,
            direction=Direction.OUTBOUND if outgoing else Direction.INBOUND,
            kind=kind,
            body=body,
            sent_at=at,
            status=extra.pop("status", MessageStatus.READ if outgoing else MessageStatus.DELIVERED),
            id=n,
            position=int(at.timestamp() * 1000) * 1000 + n,
            **extra,
        )

    def put(self, message: ChatMessage, *, emit: bool = False, unread: bool = True) -> ChatMessage:
        self.messages[message.chat_id].append(message)
        chat = self.chats[message.chat_id]
        self.chats[chat.id] = replace(
            chat,
            last_activity=message.sent_at,
            last_preview=message.body,
            last_message_id=message.message_id,
            unread_count=chat.unread_count + (1 if unread and not message.outgoing else 0),
        )
        if emit:
            self.emit(ev.MessageAdded(chat.id, message))
            self.emit(ev.ChatChanged(self._summary(chat.id)))
        return message

    def bulk(self, chat_id: int, n: int, *, start: datetime | None = None) -> None:
        """`n` messages a minute apart, fast (for the 100,000-message test)."""
        start = start or self.clock.now() - timedelta(minutes=n)
        chat = self.chats[chat_id]
        batch = self.messages[chat_id]
        for i in range(n):
            at = start + timedelta(minutes=i)
            batch.append(
                self.make(chat_id, f"message {i} " + "lorem ipsum " * (i % 5), outgoing=i % 3 == 0, at=at)
            )
        self.chats[chat_id] = replace(
            chat,
            last_activity=batch[-1].sent_at,
            last_preview=batch[-1].body,
            last_message_id=batch[-1].message_id,
        )

    def emit(self, event: ev.MessengerEvent) -> None:
        for listener in list(self.listeners):
            listener(event)

    def _summary(self, chat_id: int) -> ChatSummary:
        chat = self.chats[chat_id]
        chat = replace(chat, draft=self.drafts.get(chat_id, ""))
        peer = self.accounts[chat.peer_id]
        return ChatSummary(chat, peer, blocked=peer.id in self.blocks, looks_like=self.looks.get(peer.id))

    def _visible(self, chat_id: int) -> list[ChatMessage]:
        return self.messages[chat_id]

    # life cycle ------------------------------------------------------------------------------------
    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.stopped = True

    def subscribe(self, listener: Callable[[ev.MessengerEvent], None]) -> Callable[[], None]:
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    # chat list -------------------------------------------------------------------------------------
    async def chat_list(
        self, *, filter: ChatFilter = ChatFilter.ALL, query: str = "", archived: bool = False
    ) -> list[ChatSummary]:
        rows = [self._summary(c) for c in self.chats]
        rows = [
            r for r in rows if r.chat.archived == archived and query.lower() in r.peer.display_name.lower()
        ]
        if filter is ChatFilter.UNREAD:
            rows = [r for r in rows if r.chat.unread_count]
        elif filter is ChatFilter.PERSONAL:
            rows = [r for r in rows if r.chat.kind is ChatKind.PERSONAL]
        elif filter is ChatFilter.BUSINESS:
            rows = [r for r in rows if r.chat.kind is ChatKind.BUSINESS]
        epoch = datetime.min.replace(tzinfo=UTC)
        return sorted(rows, key=lambda r: (not r.chat.pinned, -(r.chat.last_activity or epoch).timestamp()))

    async def filter_counts(self) -> dict[ChatFilter, int]:
        return {f: len(await self.chat_list(filter=f)) for f in ChatFilter}

    async def summary(self, chat_id: int) -> ChatSummary:
        return self._summary(chat_id)

    async def chat_for_account(self, account_id: str) -> ChatSummary | None:
        return next((self._summary(c.id) for c in self.chats.values() if c.peer_id == account_id), None)

    # history ---------------------------------------------------------------------------------------
    async def latest_page(self, chat_id: int, *, limit: int = 50) -> list[ChatMessage]:
        return self._visible(chat_id)[-limit:]

    async def page_before(self, chat_id: int, cursor: PageCursor, *, limit: int = 50) -> list[ChatMessage]:
        msgs = self._visible(chat_id)
        index = next((i for i, m in enumerate(msgs) if m.id == cursor.id), 0)
        return msgs[max(index - limit, 0) : index]

    async def page_around(self, chat_id: int, message_id: str, *, limit: int = 50) -> list[ChatMessage]:
        msgs = self._visible(chat_id)
        index = next((i for i, m in enumerate(msgs) if m.message_id == message_id), len(msgs) - 1)
        start = max(index - limit // 2, 0)
        return msgs[start : start + limit]

    async def message(self, message_id: str) -> ChatMessage | None:
        return next((m for ms in self.messages.values() for m in ms if m.message_id == message_id), None)

    async def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        hits = [
            SearchHit(m, self.chats[m.chat_id].title)
            for ms in self.messages.values()
            for m in ms
            if query.lower() in m.body.lower()
        ]
        return list(reversed(hits))[:limit]

    async def search_in_chat(self, chat_id: int, query: str, *, limit: int = 200) -> list[ChatMessage]:
        words = query.lower().split()
        found = [m for m in self._visible(chat_id) if words and all(w in m.body.lower() for w in words)]
        return found[-limit:]

    async def first_unread(self, chat_id: int) -> str | None:
        unread = self.chats[chat_id].unread_count
        incoming = [m for m in self._visible(chat_id) if not m.outgoing]
        return incoming[-min(unread, len(incoming))].message_id if unread and incoming else None

    # sending ---------------------------------------------------------------------------------------
    async def send_text(self, chat_id: int, body: str, *, reply_to: str | None = None) -> ChatMessage:
        self.sent.append((chat_id, body, reply_to))
        message = self.put(
            self.make(chat_id, body, outgoing=True, status=MessageStatus.PENDING, reply_to=reply_to),
            emit=True,
        )
        await asyncio.sleep(0)
        sent = replace(message, status=MessageStatus.DELIVERED)
        self._replace(sent)
        self.emit(ev.MessageChanged(chat_id, sent))
        if self.auto_reply and self.chats[chat_id].peer_id not in self.blocks:
            self.emit(ev.TypingChanged(chat_id, True))
            self.put(self.make(chat_id, f"Got it: {body}"), emit=True, unread=False)
        return message

    def _replace(self, message: ChatMessage) -> None:
        msgs = self.messages[message.chat_id]
        for i, m in enumerate(msgs):
            if m.message_id == message.message_id:
                msgs[i] = message

    async def send_choice(self, chat_id: int, answered: ChatMessage, choice_id: str) -> ChatMessage:
        self.choices.append((chat_id, answered.message_id, choice_id))
        title = choice_id
        payload = {"type": "button_reply", "id": choice_id, "title": title, "context_id": answered.message_id}
        message = self.make(
            chat_id,
            title,
            outgoing=True,
            kind=MessageKind.INTERACTIVE_REPLY,
            payload=payload,
            reply_to=answered.message_id,
        )
        return self.put(message, emit=True)

    async def retry(self, message_id: str) -> None:
        message = await self.message(message_id)
        if message is not None:
            fixed = replace(message, status=MessageStatus.SENT)
            self._replace(fixed)
            self.emit(ev.MessageChanged(message.chat_id, fixed))

    async def save_draft(self, chat_id: int, text: str) -> None:
        self.drafts[chat_id] = text

    # reactions (one per person per message, as the service keeps them) -----------------------------
    async def react(self, message_id: str, emoji: str) -> tuple[ReactionCount, ...]:
        from tui_messenger.domain.reactions import resolve

        message = await self.message(message_id)
        chosen = resolve(emoji) if emoji else ""
        if message is None or chosen is None:
            raise ValueError("not a reaction")
        others = [r if not r.mine else ReactionCount(r.emoji, r.count - 1) for r in message.reactions]
        others = [r for r in others if r.count > 0]
        if chosen:
            same = next((r for r in others if r.emoji == chosen), None)
            others = [r for r in others if r is not same]
            others.append(ReactionCount(chosen, (same.count if same else 0) + 1, mine=True))
        reactions = tuple(others)
        self._replace(replace(message, reactions=reactions))
        self.emit(ev.ReactionsChanged(message.chat_id, message_id, reactions))
        return reactions

    async def unreact(self, message_id: str) -> tuple[ReactionCount, ...]:
        return await self.react(message_id, "")

    # flags -----------------------------------------------------------------------------------------
    def _flag(self, chat_id: int, **changes: Any) -> None:
        self.chats[chat_id] = replace(self.chats[chat_id], **changes)
        self.emit(ev.ChatChanged(self._summary(chat_id)))

    async def mark_read(self, chat_id: int) -> None:
        self._flag(chat_id, unread_count=0)

    async def set_typing(self, chat_id: int, typing: bool) -> None:
        self.typing_told.append((chat_id, typing))

    def reading(self, chat_id: int | None) -> None:
        self.reading_chat = chat_id

    async def set_unread(self, chat_id: int) -> None:
        self._flag(chat_id, unread_count=max(self.chats[chat_id].unread_count, 1))

    async def set_pinned(self, chat_id: int, pinned: bool) -> None:
        self._flag(chat_id, pinned=pinned)

    async def set_muted(self, chat_id: int, muted: bool, *, until: datetime | None = None) -> None:
        self._flag(chat_id, muted=muted, muted_until=until if muted else None)

    async def set_archived(self, chat_id: int, archived: bool) -> None:
        self._flag(chat_id, archived=archived)

    async def accept_request(self, chat_id: int, *, add_contact: bool = False) -> None:
        self._flag(chat_id, is_request=False)

    # the network account (the demo world has none) ------------------------------------------------
    async def devices(self, account_id: str) -> list[Any] | None:
        return None

    async def signed_in_as(self) -> tuple[str, str] | None:
        return None

    async def sign_in_again(self, password: str) -> None:
        raise MessengerError("the demo world has no account to sign in to")

    # trust and safety ------------------------------------------------------------------------------
    async def account(self, account_id: str) -> Account | None:
        return self.accounts.get(account_id)

    async def looks_like(self, account_id: str) -> str | None:
        return self.looks.get(account_id)

    async def block(
        self,
        account_id: str,
        reason: BlockReason,
        *,
        report_reason: ReportReason | None = None,
        note: str = "",
    ) -> None:
        self.blocks[account_id] = Block(account_id, reason, self.clock.now())
        if report_reason is not None:
            await self.report(account_id, report_reason, note=note)
        for chat in self.chats.values():
            if chat.peer_id == account_id:
                self.emit(ev.ChatChanged(self._summary(chat.id)))

    async def unblock(self, account_id: str) -> None:
        self.blocks.pop(account_id, None)
        for chat in self.chats.values():
            if chat.peer_id == account_id:
                self.emit(ev.ChatChanged(self._summary(chat.id)))

    async def blocked(self) -> list[tuple[Block, Account]]:
        return [(b, self.accounts[a]) for a, b in self.blocks.items()]

    async def is_blocked(self, account_id: str) -> bool:
        return account_id in self.blocks

    async def report_evidence(self, account_id: str) -> list[ChatMessage]:
        return [m for ms in self.messages.values() for m in ms if m.sender_id == account_id][-5:]

    async def report(
        self, account_id: str, reason: ReportReason, *, note: str = "", also_block: bool = False
    ) -> Report:
        report = Report(
            len(self.reports) + 1,
            account_id,
            reason,
            note,
            self.clock.now(),
            tuple(await self.report_evidence(account_id)),
        )
        self.reports.append(report)
        if also_block:
            await self.block(account_id, BlockReason.SPAM)
        return report

    # business --------------------------------------------------------------------------------------
    async def consent(self, business_id: str) -> Consent:
        return self.consents.get(business_id, Consent(business_id, opted_in=False))

    async def set_marketing_stopped(self, business_id: str, stopped: bool) -> None:
        self.consents[business_id] = replace(
            await self.consent(business_id), marketing_stopped=stopped, marketing_changed_at=self.clock.now()
        )

    async def window(self, business_id: str) -> WindowState:
        mine = [
            m
            for c in self.chats.values()
            if c.peer_id == business_id
            for m in self.messages[c.id]
            if m.outgoing
        ]
        if not mine:
            return WindowState(open=False)
        closes = mine[-1].sent_at + timedelta(hours=24)
        return WindowState(open=self.clock.now() < closes, closes_at=closes)

    async def give_feedback(self, message_id: str, kind: FeedbackKind) -> None:
        self.feedback[message_id] = kind

    async def feedback_for(self, message_ids: Sequence[str]) -> dict[str, FeedbackKind]:
        return {i: self.feedback[i] for i in message_ids if i in self.feedback}

    async def quality(self) -> list[QualityReport]:
        return [
            QualityReport(a.id, QualityRating.GREEN, 10, 0, 0, 0)
            for a in self.accounts.values()
            if a.is_business
        ]

    async def jump_ahead(self, seconds: float) -> None:
        self.clock.moment += timedelta(seconds=seconds)

    async def stop_promotions(self, chat_id: int) -> Consent:
        await self.set_marketing_stopped(self.chats[chat_id].peer_id, True)
        return await self.consent(self.chats[chat_id].peer_id)

    async def resume_promotions(self, chat_id: int) -> Consent:
        await self.set_marketing_stopped(self.chats[chat_id].peer_id, False)
        return await self.consent(self.chats[chat_id].peer_id)

    async def pilot_report(self) -> dict[str, object]:
        """Per business: what was delivered, and the user's reports and feedback on it."""
        rows = []
        for account in (a for a in self.accounts.values() if a.is_business):
            chats = [c for c in self.chats.values() if c.peer_id == account.id]
            delivered = [m for c in chats for m in self.messages[c.id]]
            kinds = [self.feedback[m.message_id] for m in delivered if m.message_id in self.feedback]
            rows.append({
                "id": account.id, "name": account.display_name,
                "delivered": sum(1 for m in delivered if not m.outgoing),
                "reports": sum(1 for r in self.reports if r.account_id == account.id),
                "feedback": {kind.value: kinds.count(kind) for kind in set(kinds)},
            })  # fmt: skip
        return {"businesses": rows}

    # contacts ----------------------------------------------------------------------------------------
    async def open_chat(self, account_id: str) -> ChatSummary:
        found = await self.chat_for_account(account_id)
        if found is not None:
            return found
        return self._summary(self.add_chat(self.accounts[account_id]).id)

    async def contact_list(self) -> list[Account]:
        return sorted((a for a in self.accounts.values() if not a.is_business), key=lambda a: a.display_name)

    # edits and deletions (the rules are the domain's, as in the service) -------------------------------
    async def allowed_actions(self, message_id: str) -> Allowed:
        return allowed(self._own(message_id), self.user_id, self.clock.now())

    async def edit_message(self, message_id: str, body: str) -> ChatMessage:
        message = self._own(message_id)
        if (refusal := edit_refusal(message, body, self.user_id, self.clock.now())) is not None:
            raise RefusedError(refusal.value)
        return self._change(replace(message, body=body, edited_at=self.clock.now()))

    async def delete_for_everyone(self, message_id: str) -> ChatMessage:
        message = self._own(message_id)
        if (refusal := own_refusal(message, self.user_id, self.clock.now(), edit=False)) is not None:
            raise RefusedError(refusal.value)
        return self._change(replace(message, body="", deleted=True))

    async def delete_for_me(self, message_id: str) -> None:
        message = self._own(message_id)
        self.messages[message.chat_id].remove(message)
        self.emit(ev.MessageRemoved(message.chat_id, message_id))

    def _own(self, message_id: str) -> ChatMessage:
        found = next((m for ms in self.messages.values() for m in ms if m.message_id == message_id), None)
        if found is None:
            raise NotFoundError(f"no message {message_id}")
        return found

    def _change(self, message: ChatMessage) -> ChatMessage:
        self._replace(message)
        self.emit(ev.MessageChanged(message.chat_id, message))
        return message

    # files: the bytes of a sent file are kept in memory, by message id --------------------------------
    async def send_file(
        self, chat_id: int, path: str | Path, caption: str = "", *, reply_to: str | None = None
    ) -> ChatMessage:
        data = await asyncio.to_thread(Path(path).read_bytes)
        if len(data) > MAX_FILE_BYTES:
            raise FileRefused("the file is larger than 1 MiB")
        digest = sha256(data).hexdigest()
        info = AttachmentInfo(Path(path).name, "application/octet-stream", len(data), digest)
        message = self.make(
            chat_id, caption, outgoing=True, kind=MessageKind.DOCUMENT, attachment=info, reply_to=reply_to
        )
        self.files[message.message_id] = data
        return self.put(message, emit=True)

    async def downloads_folder(self) -> Path:
        return self.downloads

    async def save_attachment(self, message_id: str, folder: str | Path | None = None) -> Path:
        message = self._own(message_id)
        if message.attachment is None or message_id not in self.files:
            raise FileRefused("this message has no file")
        target = Path(folder) if folder is not None else self.downloads
        target.mkdir(parents=True, exist_ok=True)
        path = target / Path(message.attachment.file_name).name
        await asyncio.to_thread(path.write_bytes, self.files[message_id])
        return path


def demo_world() -> FakeMessenger:
    """Anna, a verified bank with a button and a list message, a marketer, an impersonator, a request."""
    m = FakeMessenger()
    now = m.clock.now()
    anna = m.add_chat(Account("anna", "Anna Becker"))
    m.put(m.make(anna.id, "Hi! Are we still on for lunch?", at=now - timedelta(minutes=30)), unread=True)
    bank = m.add_chat(
        Account("nordbank", "Nordbank", AccountKind.BUSINESS, verified=True, verified_name="Nordbank")
    )
    m.consents["nordbank"] = Consent("nordbank", True, ConsentSource.WEBSITE, now - timedelta(days=3))
    m.put(
        m.make(
            bank.id,
            "Your card ending 4242 was used for 12.00 EUR.",
            kind=MessageKind.TEMPLATE,
            template_category=TemplateCategory.UTILITY,
            at=now - timedelta(hours=2),
        )
    )
    buttons = {
        "type": "button",
        "body": "Was this you?",
        "buttons": [{"id": "yes", "title": "Yes, it was me"}, {"id": "no", "title": "No, block card"}],
    }
    m.put(
        m.make(
            bank.id, "Was this you?", kind=MessageKind.BUTTONS, payload=buttons, at=now - timedelta(hours=2)
        )
    )
    air = m.add_chat(
        Account(
            "skyways",
            "SkyWays Airlines",
            AccountKind.BUSINESS,
            verified=True,
            verified_name="SkyWays Airlines",
        )
    )
    m.consents["skyways"] = Consent("skyways", True, ConsentSource.APP, now - timedelta(days=10))
    rows = {
        "type": "list",
        "body": "Pick a seat",
        "button_label": "Seats",
        "sections": [
            {
                "title": "Seats",
                "rows": [
                    {"id": "12A", "title": "12A", "description": "Window"},
                    {"id": "12C", "title": "12C", "description": "Aisle"},
                ],
            }
        ],
    }
    m.put(m.make(air.id, "Pick a seat", kind=MessageKind.LIST, payload=rows, at=now - timedelta(days=2)))
    deals = m.add_chat(Account("megadeals", "MegaDeals 24", AccountKind.BUSINESS))
    m.consents["megadeals"] = Consent("megadeals", True, ConsentSource.DEMO, now - timedelta(days=20))
    m.put(
        m.make(
            deals.id,
            "50% off everything today!",
            kind=MessageKind.TEMPLATE,
            template_category=TemplateCategory.MARKETING,
            at=now - timedelta(hours=1),
        )
    )
    fake = m.add_chat(Account("n0rdbank", "Nordbank ✓", AccountKind.BUSINESS), request=True)
    m.looks["n0rdbank"] = "Nordbank"
    m.put(m.make(fake.id, "Your account is locked. Confirm your PIN here.", at=now - timedelta(minutes=5)))
    return m
