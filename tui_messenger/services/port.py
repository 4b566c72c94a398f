"""The port: `Messenger`, the one facade the screens talk to (the service behind it: `service.py`).

Every method is async and never blocks the UI loop: store work runs in a thread, network work on the
transport's tasks.

The screens call methods and subscribe to events (tui_messenger.domain.events); they never see the
store, the transport or a database session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

from tui_messenger.domain.edits import Allowed
from tui_messenger.domain.events import MessengerEvent
from tui_messenger.domain.models import (
    Account,
    Block,
    BlockReason,
    ChatFilter,
    ChatMessage,
    ChatSummary,
    Consent,
    Device,
    FeedbackKind,
    PageCursor,
    QualityReport,
    ReactionCount,
    Report,
    ReportReason,
    SearchHit,
    WindowState,
)

Listener = Callable[[MessengerEvent], None]


class Messenger(Protocol):
    """What the TUI may ask of the services. `MessengerService` implements it."""

    user_id: str

    # life cycle ------------------------------------------------------------------------------
    async def start(self) -> None:
        """Connect the transport and start receiving, acking and draining the outbox."""

    async def stop(self) -> None:
        """Stop background tasks and close the transport. Nothing composed is lost."""

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` on the event loop for every event; returns an unsubscribe function."""
        ...

    # chat list ---------------------------------------------------------------------------------
    async def chat_list(
        self, *, filter: ChatFilter = ChatFilter.ALL, query: str = "", archived: bool = False
    ) -> list[ChatSummary]:
        """Rows sorted by pinned, then last activity; `query` filters by name (case-insensitive)."""
        ...

    async def filter_counts(self) -> dict[ChatFilter, int]:
        """Chats per filter tab (Unread counts chats with unread messages); archived excluded."""
        ...

    async def summary(self, chat_id: int) -> ChatSummary: ...

    async def chat_for_account(self, account_id: str) -> ChatSummary | None: ...

    async def open_chat(self, account_id: str) -> ChatSummary:
        """The chat with `account_id`, created (as a normal chat: the user opens it) if there is none."""
        ...

    async def contact_list(self) -> list[Account]:
        """The user's contacts as the directory describes them, with or without a chat."""
        ...

    # history -----------------------------------------------------------------------------------
    async def latest_page(self, chat_id: int, *, limit: int = 50) -> list[ChatMessage]:
        """The newest `limit` messages, oldest first."""
        ...

    async def page_before(self, chat_id: int, cursor: PageCursor, *, limit: int = 50) -> list[ChatMessage]:
        """The `limit` messages just older than `cursor`, oldest first (keyset page). Past the oldest
        message the database holds, older history is read from the network first where it keeps any
        (Matrix); fewer than `limit`: nothing older anywhere."""
        ...

    async def page_around(self, chat_id: int, message_id: str, *, limit: int = 50) -> list[ChatMessage]:
        """A page that holds `message_id` (for search hits and reply jumps), oldest first."""
        ...

    async def message(self, message_id: str) -> ChatMessage | None: ...

    async def search_in_chat(self, chat_id: int, query: str, *, limit: int = 200) -> list[ChatMessage]:
        """The open chat's messages with every word of `query`, oldest first. The query is data."""
        ...

    async def first_unread(self, chat_id: int) -> str | None:
        """The id of the oldest unread message of the chat, or None."""
        ...

    async def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        """Full-text search over all chats, newest hits first. The query is data, never FTS syntax."""
        ...

    # sending -----------------------------------------------------------------------------------
    async def send_text(self, chat_id: int, body: str, *, reply_to: str | None = None) -> ChatMessage:
        """Store the message (pending) and put it in the outbox in one transaction, then send."""
        ...

    async def send_choice(self, chat_id: int, answered: ChatMessage, choice_id: str) -> ChatMessage:
        """Answer an interactive message (button or list row `choice_id`) with an interactive reply."""
        ...

    async def retry(self, message_id: str) -> None:
        """Send a failed message again (the retry action)."""

    # edits and deletions (rules: domain/edits.py) ----------------------------------------------------
    async def allowed_actions(self, message_id: str) -> Allowed:
        """What the user may do with a message now: edit, delete for everyone; delete for me always."""
        ...

    async def edit_message(self, message_id: str, body: str) -> ChatMessage:
        """Replace the text of the user's own message within 15 minutes of sending; shown "edited" on
        both sides. Raises `services.edits.RefusedError` (an InvalidMessageError) with the reason."""
        ...

    async def delete_for_everyone(self, message_id: str) -> ChatMessage:
        """Delete the user's own message on both sides within the same window; returns the tombstone."""
        ...

    async def delete_for_me(self, message_id: str) -> None:
        """Remove any message from this device only; `MessageRemoved` tells the screen."""

    # files -------------------------------------------------------------------------------------
    async def send_file(
        self, chat_id: int, path: str | Path, caption: str = "", *, reply_to: str | None = None
    ) -> ChatMessage:
        """Read a file (off the UI loop) and send it through the outbox like text. Raises
        `domain.files.FileRefused` (missing, not a file, empty, over the cap) with a line to show."""
        ...

    async def save_attachment(self, message_id: str, folder: str | Path | None = None) -> Path:
        """Write a message's file into `folder` (default: the downloads folder) under a safe name,
        never overwriting (`name (1).pdf`), atomically; returns the path. Raises FileRefused."""
        ...

    async def downloads_folder(self) -> Path:
        """Where files are saved when no folder is given."""
        ...

    async def save_draft(self, chat_id: int, text: str) -> None: ...

    # reactions ---------------------------------------------------------------------------------
    async def react(self, message_id: str, emoji: str) -> tuple[ReactionCount, ...]:
        """React to a message with one emoji (or a `:shortcode:`), replacing the user's earlier reaction;
        stored and sent reliably. Returns the message's chips; ReactionsChanged tells the screen too."""
        ...

    async def unreact(self, message_id: str) -> tuple[ReactionCount, ...]:
        """Take the user's reaction back."""
        ...

    # reading and chat flags --------------------------------------------------------------------
    async def mark_read(self, chat_id: int) -> None:
        """Zero the unread count and send read receipts (never to a blocked account)."""

    async def set_typing(self, chat_id: int, typing: bool) -> None:
        """The user started or stopped typing in the chat (best effort: never to a blocked account or a
        request not accepted yet)."""

    def reading(self, chat_id: int | None) -> None:
        """The chat the user has on screen (None: none). Its new messages are stored read as they
        arrive: never counted unread, a read receipt instead of a delivered one."""

    async def set_unread(self, chat_id: int) -> None: ...
    async def set_pinned(self, chat_id: int, pinned: bool) -> None: ...
    async def set_muted(self, chat_id: int, muted: bool, *, until: datetime | None = None) -> None:
        """Mute until `until` (always when None), or unmute. A mute whose time has passed reads as
        unmuted."""

    async def set_archived(self, chat_id: int, archived: bool) -> None: ...

    async def accept_request(self, chat_id: int, *, add_contact: bool = False) -> None:
        """'Accept' / 'Add contact' on the unknown-sender banner."""

    # trust and safety --------------------------------------------------------------------------
    async def account(self, account_id: str) -> Account | None: ...

    async def looks_like(self, account_id: str) -> str | None:
        """The verified business name this account's display name imitates, if any."""
        ...

    async def block(
        self,
        account_id: str,
        reason: BlockReason,
        *,
        report_reason: ReportReason | None = None,
        note: str = "",
    ) -> None:
        """Block (and report when `report_reason` is given). Nothing from the account shows again."""

    async def unblock(self, account_id: str) -> None: ...

    async def blocked(self) -> list[tuple[Block, Account]]: ...

    async def is_blocked(self, account_id: str) -> bool: ...

    async def report_evidence(self, account_id: str) -> list[ChatMessage]:
        """Exactly what a report would send: the last 5 messages from that account."""
        ...

    async def report(
        self, account_id: str, reason: ReportReason, *, note: str = "", also_block: bool = False
    ) -> Report: ...

    # business rules ----------------------------------------------------------------------------
    async def consent(self, business_id: str) -> Consent: ...

    async def set_marketing_stopped(self, business_id: str, stopped: bool) -> None:
        """Stop or resume promotions: stored with a line in the chat ("You stopped promotions from …"),
        and sent to the business as user_preferences."""

    async def stop_promotions(self, chat_id: int) -> Consent:
        """The "Stop promotions" control or quick reply of a business chat (also: typing STOP,
        UNSUBSCRIBE or STOPP alone, which `send_text` recognises). Not a reply, not an opt-in."""
        ...

    async def resume_promotions(self, chat_id: int) -> Consent: ...

    async def pilot_report(self) -> dict[str, object]:
        """Do users feel disturbed? Figures per business and per category (docs/report.md)."""
        ...

    async def window(self, business_id: str) -> WindowState: ...

    async def give_feedback(self, message_id: str, kind: FeedbackKind) -> None: ...

    async def feedback_for(self, message_ids: Sequence[str]) -> dict[str, FeedbackKind]: ...

    async def quality(self) -> list[QualityReport]:
        """Quality rating of every business over the last 7 days, with the figures behind it."""
        ...

    # the network account ------------------------------------------------------------------------
    async def devices(self, account_id: str) -> list[Device] | None:
        """The account's devices as the network knows them (not verified); None where the network has
        no devices (the demo world)."""
        ...

    async def signed_in_as(self) -> tuple[str, str] | None:
        """(homeserver, user id) of the network account; None for the demo world."""
        ...

    async def sign_in_again(self, password: str) -> None:
        """After the network ended the session: sign the same account in on a new device and reconnect.
        Raises MessengerError (one line: wrong password, server down) and then nothing changed."""
        ...

    # tester tools ------------------------------------------------------------------------------
    async def jump_ahead(self, seconds: float) -> None:
        """Move the fake network's clock (and ours) ahead, e.g. 24 h to close the service window."""
