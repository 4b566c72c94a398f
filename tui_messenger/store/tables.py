"""Every table of the store, in one module. Times are integer milliseconds since the epoch (UTC)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, text
from sqlmodel import Field, Index, SQLModel


class AccountRow(SQLModel, table=True):
    __tablename__ = "accounts"

    id: str = Field(primary_key=True)
    display_name: str
    kind: str  # person | business
    verified: bool = False
    scam: bool = False
    verified_name: str | None = None  # the name the directory confirmed with the badge
    about: str = ""
    description: str = ""
    category: str = ""
    address: str = ""
    email: str = ""
    websites: str = ""  # newline-separated
    hours: str = ""
    updated_at: int = 0
    # The user's chat with this account is end-to-end encrypted, as the network says (directory entry).
    encrypted: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


class ContactRow(SQLModel, table=True):
    __tablename__ = "contacts"

    account_id: str = Field(primary_key=True, foreign_key="accounts.id")
    added_at: int = 0


class ChatRow(SQLModel, table=True):
    __tablename__ = "chats"
    __table_args__ = (Index("ix_chats_list", "archived", "pinned", "last_activity"),)

    id: int | None = Field(default=None, primary_key=True)
    peer_id: str = Field(foreign_key="accounts.id", unique=True)
    kind: str  # personal | business
    pinned: bool = False
    muted: bool = False
    # Muted until this time (ms); NULL while muted means always. Past it the service treats the chat
    # as unmuted (on its clock), so nothing has to wake up to lift a mute.
    muted_until: int | None = None
    archived: bool = False
    is_request: bool = False
    # Kept up to date in the same transaction as the message, so the chat list never scans history.
    unread_count: int = 0
    last_activity: int = 0
    last_preview: str = ""
    last_message_id: str | None = None
    # The user's own last message to this peer: opens the 24-hour customer service window.
    last_outbound_at: int = 0
    draft: str = ""


class MessageRow(SQLModel, table=True):
    __tablename__ = "messages"
    # History is read in keyset pages on (chat_id, position); SQLite appends the rowid to the index,
    # which breaks ties between messages with the same position.
    # client_txn_id is unique among the user's own messages only: a partial index, so incoming rows
    # (all NULL there) cost no index insert on the hot path.
    __table_args__ = (
        Index("ix_messages_chat_position", "chat_id", "position"),
        Index(
            "ux_messages_client_txn",
            "client_txn_id",
            unique=True,
            sqlite_where=text("client_txn_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(unique=True)
    client_txn_id: str | None = None
    chat_id: int = Field(foreign_key="chats.id")
    sender_id: str
    direction: str  # in | out
    kind: str
    template_category: str | None = None
    body: str = ""
    payload: str | None = None  # JSON of the structured content
    reply_to: str | None = None
    position: int
    sent_at: int
    received_at: int | None = None
    status: str
    error_code: int | None = None
    # Edits and deletions (schema 3). The store keeps only the latest text of an edited message, and a
    # message deleted for everyone keeps no text at all: a tombstone with its id, so retransmissions
    # and late edits of it are recognised and dropped. Deleted for me: hidden from every view.
    edited_at: int | None = None
    deleted_at: int | None = None
    hidden: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})  # raw inserts omit it


class ReactionRow(SQLModel, table=True):
    """One emoji per person per message, as in the big messengers; a new one replaces the old."""

    __tablename__ = "reactions"

    message_id: str = Field(primary_key=True)
    reactor_id: str = Field(primary_key=True)
    emoji: str
    reacted_at: int


class AttachmentRow(SQLModel, table=True):
    """The bytes of a file sent or received, next to its message (capped in size before it gets here), or
    the transport's reference to them (a file fetched only when the user saves it: Matrix media)."""

    __tablename__ = "attachments"

    message_id: str = Field(primary_key=True, foreign_key="messages.message_id")
    file_name: str  # as sent: shown only through the safe-text cleaner
    mime_type: str
    size: int
    sha256: str  # "" for a file still on the network whose sha256 is not known
    data: bytes  # empty while the file is still on the network (`source` set)
    source: str | None = None  # where the transport fetches the bytes from when the file is saved
    saved_to: str | None = None  # where the user last saved it (the card says so)


class OutboxRow(SQLModel, table=True):
    """Outgoing messages not yet acknowledged by the network; retried with capped backoff."""

    __tablename__ = "outbox"

    message_id: str = Field(primary_key=True, foreign_key="messages.message_id")
    frame: bytes  # the encoded frame, sent again byte for byte (idempotent by client_txn_id)
    attempts: int = 0
    next_attempt_at: int = 0


class ActionOutboxRow(SQLModel, table=True):
    """The user's reactions, edits and deletions not yet acknowledged: sent again like messages."""

    __tablename__ = "action_outbox"

    frame_id: str = Field(primary_key=True)
    kind: str  # reaction | edit | delete
    message_id: str  # the message it acts on
    frame: bytes
    attempts: int = 0
    next_attempt_at: int = 0


class BlockRow(SQLModel, table=True):
    __tablename__ = "blocks"

    account_id: str = Field(primary_key=True, foreign_key="accounts.id")
    reason: str
    blocked_at: int
    dropped_count: int = 0


class ReportRow(SQLModel, table=True):
    __tablename__ = "reports"

    id: int | None = Field(default=None, primary_key=True)
    account_id: str = Field(foreign_key="accounts.id", index=True)
    reason: str
    note: str = ""
    reported_at: int
    also_blocked: bool = False


class ReportEvidenceRow(SQLModel, table=True):
    """A copy of each evidence message: a report keeps what was shown even if the chat changes."""

    __tablename__ = "report_evidence"

    report_id: int = Field(foreign_key="reports.id", primary_key=True)
    ordinal: int = Field(primary_key=True)
    message_id: str
    sent_at: int
    kind: str
    body: str


class ConsentRow(SQLModel, table=True):
    __tablename__ = "consents"

    business_id: str = Field(primary_key=True, foreign_key="accounts.id")
    opted_in: bool = False
    source: str | None = None
    opted_in_at: int | None = None
    marketing_stopped: bool = False
    marketing_changed_at: int | None = None


class FeedbackRow(SQLModel, table=True):
    __tablename__ = "feedback"

    message_id: str = Field(primary_key=True)
    business_id: str = Field(foreign_key="accounts.id", index=True)
    kind: str
    given_at: int


class SettingRow(SQLModel, table=True):
    """Small key/value state: the sync token, the chosen theme."""

    __tablename__ = "settings"

    key: str = Field(primary_key=True)
    value: str


class MatrixAccountRow(SQLModel, table=True):
    """The Matrix account this database belongs to (none: the demo world). One row at most.

    Signed out, the row stays with the user id and homeserver (the history is theirs) and no device,
    token or key: only the same account may sign in to this database again."""

    __tablename__ = "matrix_account"
    __table_args__ = (CheckConstraint("one = 1", name="one_account"),)

    one: int = Field(default=1, primary_key=True)
    homeserver: str
    user_id: str
    device_id: str | None = None
    access_token: str | None = Field(default=None, repr=False)
    pickle_key: str | None = Field(default=None, repr=False)
    signed_in_at: int = 0


class MatrixEventRow(SQLModel, table=True):
    """Events the Matrix device must know by id across restarts (domain/matrix_memory.py): the user's own
    messages sent from this device (`message_id`: the id the services know them by) and reactions
    (`sender` put `reaction_key` on event `target`)."""

    __tablename__ = "matrix_events"

    event_id: str = Field(primary_key=True)
    room_id: str = ""
    message_id: str | None = None
    at: int = 0
    sender: str | None = None
    target: str | None = None
    reaction_key: str | None = None


class MatrixRoomRow(SQLModel, table=True):
    """A Matrix room's history position: the token older history is paged from, whether the room's start
    was read, and the server time of the other person's newest read receipt."""

    __tablename__ = "matrix_rooms"

    room_id: str = Field(primary_key=True)
    older: str | None = None
    complete: bool = False
    read_up_to: int = -1


class WaitingChangeRow(SQLModel, table=True):
    """A change that came before its message, kept until the message comes (store/waiting_changes.py):
    its frame's ack key, the id of the message it waits for, and the frame as the network sent it."""

    __tablename__ = "waiting_changes"

    ack_key: str = Field(primary_key=True)
    target: str
    frame: bytes


# Full-text search over bodies (FTS_DDL): in store/schema.py, which the checks before opening read without
# importing SQLAlchemy.
