"""Plain domain objects shared by every layer. Standard library only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from tui_messenger.domain.business import BusinessContent
from tui_messenger.domain.business import parse as parse_business
from tui_messenger.domain.clock import to_ms

SERVER_ACCOUNT = "server"  # the `from` of what the network itself says (sent, failed): no person's account


class AccountKind(StrEnum):
    PERSON = "person"
    BUSINESS = "business"


class ChatKind(StrEnum):
    PERSONAL = "personal"
    BUSINESS = "business"


class Direction(StrEnum):
    INBOUND = "in"
    OUTBOUND = "out"


class MessageKind(StrEnum):
    TEXT = "text"
    TEMPLATE = "template"
    BUTTONS = "buttons"  # interactive reply buttons
    LIST = "list"  # interactive list
    INTERACTIVE_REPLY = "interactive_reply"  # button_reply or list_reply
    SYSTEM = "system"
    DOCUMENT = "document"  # a file, with an optional caption as its body
    # An end-to-end encrypted message whose key has not arrived: LOCKED_TEXT stands in for it until the
    # key comes, then the same message takes its real content (not an edit: no window, no "edited").
    LOCKED = "locked"


LOCKED_TEXT = "🔒 Waiting for this message's key"  # the app's words, never the network's


_BUSINESS_KINDS = frozenset(
    {MessageKind.TEMPLATE, MessageKind.BUTTONS, MessageKind.LIST, MessageKind.INTERACTIVE_REPLY}
)


class TemplateCategory(StrEnum):
    UTILITY = "utility"
    MARKETING = "marketing"
    AUTHENTICATION = "authentication"


class MessageStatus(StrEnum):
    """Delivery status; the order of the members is the only direction it may move."""

    PENDING = "pending"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"

    @property
    def rank(self) -> int:
        return _STATUS_RANK[self]

    def can_move_to(self, new: MessageStatus) -> bool:
        """Status only moves forward; FAILED is final except for an explicit retry."""
        if self is MessageStatus.FAILED:
            return False
        if new is MessageStatus.FAILED:
            return self in (MessageStatus.PENDING, MessageStatus.SENT)
        return new.rank > self.rank


_STATUS_RANK = {
    MessageStatus.PENDING: 0,
    MessageStatus.SENT: 1,
    MessageStatus.DELIVERED: 2,
    MessageStatus.READ: 3,
    MessageStatus.FAILED: 4,
}


class BlockReason(StrEnum):
    NO_LONGER_NEEDED = "No longer needed"
    DIDNT_SIGN_UP = "Didn't sign up"
    SPAM = "Spam"
    OFFENSIVE = "Offensive"
    NO_REASON = "No reason"


class ReportReason(StrEnum):
    SPAM = "Spam"
    SCAM = "Scam or fraud"
    OFFENSIVE = "Offensive"
    IMPERSONATION = "Impersonation"
    OTHER = "Other"


class FeedbackKind(StrEnum):
    USEFUL = "useful"
    NOT_INTERESTED = "not_interested"
    SPAM = "spam"


class QualityRating(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class ConsentSource(StrEnum):
    """How the user opted in to a business."""

    USER_MESSAGE = "user_message"  # the user wrote first
    WEBSITE = "website"
    APP = "app"
    DEMO = "demo"  # seeded by the demo world or a scenario


@dataclass(frozen=True, slots=True)
class BusinessProfile:
    about: str = ""
    description: str = ""
    category: str = ""
    address: str = ""
    email: str = ""
    websites: tuple[str, ...] = ()
    hours: str = ""


@dataclass(frozen=True, slots=True)
class Account:
    """An account as the directory describes it. `id` is the network's key; names are untrusted."""

    id: str
    display_name: str
    kind: AccountKind = AccountKind.PERSON
    verified: bool = False
    scam: bool = False
    verified_name: str | None = None  # the name the directory confirmed; a renamed business loses its badge
    profile: BusinessProfile | None = None
    encrypted: bool = False  # the chat with them is end-to-end encrypted (the network says so)

    @property
    def is_business(self) -> bool:
        return self.kind is AccountKind.BUSINESS

    @property
    def badge(self) -> bool:
        """The verified badge: only from the directory, and only for the confirmed name."""
        return self.verified and self.verified_name == self.display_name


@dataclass(frozen=True, slots=True)
class Device:
    """One of an account's devices as the network lists them (end-to-end encryption shares keys with
    each). The name is the device owner's words: untrusted text."""

    device_id: str
    display_name: str = ""


@dataclass(frozen=True, slots=True)
class ReactionCount:
    """One emoji under a bubble: how many reacted with it and whether the user is one of them."""

    emoji: str
    count: int
    mine: bool = False


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    """What is shown of a file: never its bytes. `file_name` is as sent (clean it before showing).
    `remote`: the bytes are still on the network (fetched when the user saves the file); its size is the
    sender's claim and its sha256 may be unknown (""). `saved_to`: where the user last saved it."""

    file_name: str
    mime_type: str
    size: int
    sha256: str
    remote: bool = False
    saved_to: str | None = None


@dataclass(frozen=True, slots=True)
class ChatMessage:
    message_id: str  # globally unique
    chat_id: int
    sender_id: str
    direction: Direction
    kind: MessageKind
    body: str
    sent_at: datetime
    status: MessageStatus = MessageStatus.PENDING
    id: int | None = None  # the store's row id; with `position`, the keyset cursor
    position: int = 0  # sort key within the chat (server time in ms; ties broken by `id`)
    client_txn_id: str | None = None
    template_category: TemplateCategory | None = None
    payload: dict[str, Any] | None = None  # structured content next to the plain-text body
    reply_to: str | None = None  # message_id of the quoted message
    received_at: datetime | None = None
    error_code: int | None = None
    edited_at: datetime | None = None  # shown "edited"; only the latest text is kept
    deleted: bool = False  # deleted for everyone: "This message was deleted", no text kept
    reactions: tuple[ReactionCount, ...] = ()  # filled by history pages, most used first
    attachment: AttachmentInfo | None = None  # a file's description (its bytes stay in the store)
    # Buttons, a list, a template or a choice: the payload read once, when the message is built.
    content: BusinessContent | None = field(init=False, default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.payload is not None and self.kind in _BUSINESS_KINDS:
            object.__setattr__(self, "content", parse_business(self.kind.value, self.payload))

    @property
    def outgoing(self) -> bool:
        return self.direction is Direction.OUTBOUND


def outbound(
    *, message_id: str, chat_id: int, sender_id: str, kind: MessageKind, body: str, at: datetime,
    txn_id: str, reply_to: str | None = None, payload: dict[str, Any] | None = None,
) -> ChatMessage:  # fmt: skip
    """A message the user composes now: pending, placed at its time, with its transaction id."""
    return ChatMessage(
        message_id=message_id, chat_id=chat_id, sender_id=sender_id, direction=Direction.OUTBOUND, kind=kind,
        body=body, sent_at=at, status=MessageStatus.PENDING, position=to_ms(at), client_txn_id=txn_id,
        payload=payload, reply_to=reply_to,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Chat:
    id: int
    peer_id: str  # the account on the other side
    kind: ChatKind
    title: str
    pinned: bool = False
    muted: bool = False
    archived: bool = False
    is_request: bool = False  # first contact from a stranger or a business without opt-in
    unread_count: int = 0
    last_activity: datetime | None = None
    last_preview: str = ""
    last_message_id: str | None = None
    draft: str = ""
    muted_until: datetime | None = None  # None while muted: always


@dataclass(frozen=True, slots=True)
class ChatSummary:
    """One row of the chat list: the chat and what the directory says of its peer."""

    chat: Chat
    peer: Account
    blocked: bool = False
    looks_like: str | None = None  # name of a verified business this peer imitates


@dataclass(frozen=True, slots=True)
class Block:
    account_id: str
    reason: BlockReason
    blocked_at: datetime
    dropped_count: int = 0  # frames dropped while blocked (never shown)


@dataclass(frozen=True, slots=True)
class Report:
    id: int
    account_id: str
    reason: ReportReason
    note: str
    reported_at: datetime
    evidence: tuple[ChatMessage, ...] = ()


@dataclass(frozen=True, slots=True)
class Consent:
    business_id: str
    opted_in: bool
    source: ConsentSource | None = None
    opted_in_at: datetime | None = None
    marketing_stopped: bool = False
    marketing_changed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Feedback:
    message_id: str
    business_id: str
    kind: FeedbackKind
    given_at: datetime


@dataclass(frozen=True, slots=True)
class QualityReport:
    business_id: str
    rating: QualityRating
    delivered: int
    blocks: int
    reports: int
    negative_feedback: int
    useful_feedback: int = 0
    block_reasons: dict[str, int] = field(default_factory=dict)

    @property
    def negative_rate(self) -> float:
        return (
            (self.blocks + self.reports + self.negative_feedback) / self.delivered if self.delivered else 0.0
        )


class ChatFilter(StrEnum):
    ALL = "All"
    UNREAD = "Unread"
    PERSONAL = "Personal"
    BUSINESS = "Business"


@dataclass(frozen=True, slots=True)
class WindowState:
    """The 24-hour customer service window, opened by the user's own last message."""

    open: bool
    closes_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    message: ChatMessage
    chat_title: str


@dataclass(frozen=True, slots=True)
class PageCursor:
    """Keyset cursor into a chat's history: (position, row id)."""

    position: int
    id: int
