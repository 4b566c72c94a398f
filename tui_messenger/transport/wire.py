"""The wire format: JSON envelopes validated with pydantic, size-capped before parsing.

Shapes follow WhatsApp's Cloud API where one exists (text, template, interactive button and list,
button_reply/list_reply, statuses with error codes, user_preferences), plus typing, presence and directory.
Amounts travel as strings or integers, never floats. Every frame crosses `encode`/`decode`, also in-process.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from tui_messenger.domain.business import MAX_BUTTON_TITLE as MAX_BUTTON_TITLE
from tui_messenger.domain.business import MAX_BUTTONS as MAX_BUTTONS
from tui_messenger.domain.business import MAX_LIST_ROWS as MAX_LIST_ROWS
from tui_messenger.domain.business import MAX_ROW_DESCRIPTION as MAX_ROW_DESCRIPTION
from tui_messenger.domain.business import MAX_ROW_TITLE as MAX_ROW_TITLE
from tui_messenger.transport.wire_directory import (  # part of the wire format, named here too
    MAX_PROFILE_FIELD as MAX_PROFILE_FIELD,
)
from tui_messenger.transport.wire_directory import DirectoryEntry as DirectoryEntry
from tui_messenger.transport.wire_directory import DirectoryFrame as DirectoryFrame
from tui_messenger.transport.wire_directory import OptIn as OptIn
from tui_messenger.transport.wire_directory import Profile as Profile

log = logging.getLogger(__name__)

WIRE_VERSION: Literal[1] = 1
LOGGED_DROPS = 10  # malformed frames logged as warnings before only every thousandth is
MAX_FRAME_BYTES = 2 * 1024 * 1024  # a 1 MB body must still pass; anything larger is dropped unparsed
MAX_FILE_BYTES = 1024 * 1024  # a file's bytes; base64 in a frame stays under MAX_FRAME_BYTES
MAX_CLAIMED_SIZE = 2**53 - 1  # a size a referenced file may claim (Matrix: canonical JSON integers)
MAX_SOURCE_CHARS = 4096  # a file's source reference (an address and its keys)
MAX_EMOJI_CHARS = 16  # a reaction is one emoji; ZWJ sequences and flags take several code points

# WhatsApp-like error codes the business side answers with.
ERROR_OUTSIDE_WINDOW = 131047  # re-engagement message: free-form outside the 24 h window
ERROR_MARKETING_STOPPED = 131050  # the user stopped marketing messages
ERROR_TIER_LIMIT = 131048  # spam rate limit: too many distinct users reached
ERROR_BLOCKED = 131031  # the recipient blocked this sender (never told to the sender's user)
ERROR_NO_OPT_IN = 131049  # WhatsApp: "not delivered to keep the ecosystem healthy"; here: no opt-in
ERROR_UNDELIVERABLE = 131026  # no such recipient


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TextContent(_Model):
    body: str


class Button(_Model):
    id: str = Field(min_length=1, max_length=256)
    title: str = Field(min_length=1, max_length=MAX_BUTTON_TITLE)


class ListRow(_Model):
    id: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=MAX_ROW_TITLE)
    description: str = Field(default="", max_length=MAX_ROW_DESCRIPTION)


class ListSection(_Model):
    title: str = ""
    rows: list[ListRow]


class Interactive(_Model):
    """An interactive message: up to 3 reply buttons, or a list of up to 10 rows in all."""

    type: Literal["button", "list"]
    header: str = ""
    body: str
    footer: str = ""
    buttons: list[Button] = []
    button_label: str = ""  # the list's open button ("Choose")
    sections: list[ListSection] = []

    @model_validator(mode="after")
    def _check_shape(self) -> Interactive:
        if self.type == "button":
            if not 1 <= len(self.buttons) <= MAX_BUTTONS:
                raise ValueError(f"reply buttons: 1 to {MAX_BUTTONS}, got {len(self.buttons)}")
            titles = [b.title for b in self.buttons]
            if len(set(titles)) != len(titles):
                raise ValueError("reply button titles must be unique")
        else:
            rows = sum(len(s.rows) for s in self.sections)
            if not 1 <= rows <= MAX_LIST_ROWS:
                raise ValueError(f"list rows: 1 to {MAX_LIST_ROWS} in all, got {rows}")
        return self


class Template(_Model):
    name: str
    category: Literal["utility", "marketing", "authentication"]
    body: str
    buttons: list[Button] = Field(default=[], max_length=MAX_BUTTONS)


class InteractiveReply(_Model):
    type: Literal["button_reply", "list_reply"]
    id: str  # the chosen button or row id
    title: str
    context_id: str  # the message answered


class Document(_Model):
    """A file: its bytes inline (`data`, base64; the receiver checks size and sha256 against them), or a
    `source` the transport can fetch them from when the user saves the file (Matrix: the media's address and,
    in an encrypted room, its keys). A referenced file's `size` is what the sender claims: it may be over the
    cap (shown, refused at save) and is checked against the bytes fetched; its `sha256` may be unknown."""

    file_name: str = Field(min_length=1, max_length=255)
    mime_type: str = Field(min_length=1, max_length=127)
    size: int = Field(ge=0, le=MAX_CLAIMED_SIZE)
    sha256: str = Field(default="", pattern=r"^([0-9a-f]{64})?$")
    data: str | None = None
    source: str | None = Field(default=None, min_length=1, max_length=MAX_SOURCE_CHARS)
    caption: str = ""

    @model_validator(mode="after")
    def _bytes_or_source(self) -> Document:
        if (self.data is None) == (self.source is None):
            raise ValueError("a document has either its data or a source, not both or neither")
        if self.data is not None and (self.size > MAX_FILE_BYTES or not self.sha256):
            raise ValueError("a document sent inline is at most MAX_FILE_BYTES and names its sha256")
        return self


class Context(_Model):
    message_id: str  # reply-to


class MessageFrame(_Model):
    type: Literal["message"] = "message"
    id: str = Field(min_length=1, max_length=200)  # globally unique
    sender: str = Field(alias="from", min_length=1, max_length=200)
    to: str = Field(min_length=1, max_length=200)
    timestamp: int  # milliseconds since the epoch, server time
    # "locked": end to end encrypted, its key not here yet; an UnlockFrame brings its content later
    kind: Literal["text", "template", "interactive", "interactive_reply", "system", "document", "locked"]
    text: TextContent | None = None
    template: Template | None = None
    interactive: Interactive | None = None
    interactive_reply: InteractiveReply | None = None
    document: Document | None = None
    context: Context | None = None
    client_txn_id: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _content_matches_kind(self) -> MessageFrame:
        field = "text" if self.kind in ("system", "locked") else self.kind
        if getattr(self, field) is None:
            raise ValueError(f"a {self.kind} message needs its {field} content")
        return self

    @property
    def body(self) -> str:
        """The plain-text fallback that travels with any structured content."""
        if self.text is not None:
            return self.text.body
        if self.template is not None:
            return self.template.body
        if self.interactive is not None:
            return self.interactive.body
        if self.interactive_reply is not None:
            return self.interactive_reply.title
        if self.document is not None:
            return self.document.caption
        return ""


class UnlockFrame(_Model):
    """The content of a "locked" message, now that its key came: the same message (same id) takes it
    in place. Not an edit: no edit window applies, and it is not marked edited."""

    type: Literal["unlock"] = "unlock"
    message: MessageFrame


class ReactionFrame(_Model):
    """An emoji on a message, in its own frame; an empty emoji takes the sender's reaction back."""

    type: Literal["reaction"] = "reaction"
    id: str = Field(min_length=1, max_length=200)  # this frame's own id: acks and duplicates
    sender: str = Field(alias="from", min_length=1, max_length=200)
    to: str = Field(min_length=1, max_length=200)
    message_id: str = Field(min_length=1, max_length=200)
    emoji: str = Field(max_length=MAX_EMOJI_CHARS)
    timestamp: int

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class EditFrame(_Model):
    """The author's new text for one of their messages (accepted within the edit window)."""

    type: Literal["edit"] = "edit"
    id: str = Field(min_length=1, max_length=200)
    sender: str = Field(alias="from", min_length=1, max_length=200)
    to: str = Field(min_length=1, max_length=200)
    message_id: str = Field(min_length=1, max_length=200)
    body: str
    timestamp: int

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class DeleteFrame(_Model):
    """The author deletes one of their messages for everyone (within the same window as edits)."""

    type: Literal["delete"] = "delete"
    id: str = Field(min_length=1, max_length=200)
    sender: str = Field(alias="from", min_length=1, max_length=200)
    to: str = Field(min_length=1, max_length=200)
    message_id: str = Field(min_length=1, max_length=200)
    timestamp: int

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ErrorInfo(_Model):
    code: int
    title: str = ""


class StatusFrame(_Model):
    """A receipt: sent (the server accepted a send), delivered, read, or failed with an error."""

    type: Literal["status"] = "status"
    message_id: str
    status: Literal["sent", "delivered", "read", "failed"]
    sender: str = Field(alias="from")  # who reports it: the server or the recipient
    to: str
    timestamp: int
    client_txn_id: str | None = None
    error: ErrorInfo | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class TypingFrame(_Model):
    type: Literal["typing"] = "typing"
    sender: str = Field(alias="from")
    to: str
    typing: bool

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class PresenceFrame(_Model):
    type: Literal["presence"] = "presence"
    sender: str = Field(alias="from")
    online: bool
    last_seen: int | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class UserPreferencesFrame(_Model):
    """The user stops or resumes marketing from one business."""

    type: Literal["user_preferences"] = "user_preferences"
    sender: str = Field(alias="from")
    to: str
    marketing: Literal["stop", "resume"]
    timestamp: int

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RefusalFrame(_Model):
    """For testers, from the fake network only: a send by `business` it refused, with the error code."""

    type: Literal["refusal"] = "refusal"
    id: str = Field(min_length=1, max_length=200)
    business: str = Field(min_length=1, max_length=200)
    to: str
    code: int
    title: str = Field(default="", max_length=200)
    category: Literal["utility", "marketing", "authentication"] | None = None  # None: free-form
    text: str = Field(default="", max_length=200)  # the start of what was refused
    timestamp: int


class AckFrame(_Model):
    """Client to server: these frames are safely stored. Un-acked frames are sent again.

    Separate from delivered receipts, which the sender sees and a blocked sender never gets."""

    type: Literal["ack"] = "ack"
    ids: list[str] = Field(min_length=1)


class SyncFrame(_Model):
    """The server's sync token after a batch; the client stores it and resumes from it."""

    type: Literal["sync"] = "sync"
    token: str


Frame = Annotated[
    MessageFrame
    | UnlockFrame
    | ReactionFrame
    | EditFrame
    | DeleteFrame
    | StatusFrame
    | TypingFrame
    | PresenceFrame
    | UserPreferencesFrame
    | RefusalFrame
    | DirectoryFrame
    | AckFrame
    | SyncFrame,
    Field(discriminator="type"),
]


class Envelope(_Model):
    v: Literal[1] = WIRE_VERSION
    frame: Frame


_ENVELOPE = TypeAdapter(Envelope)


class FrameError(ValueError):
    """A frame that cannot be accepted: oversize, not JSON, or not a valid shape."""


class FrameStats:
    """Counts of what `decode` dropped, for logs and tests."""

    def __init__(self) -> None:
        self.oversize = 0
        self.malformed = 0

    @property
    def dropped(self) -> int:
        return self.oversize + self.malformed


def ack_key(frame: Frame) -> str | None:
    """The id a client puts in `AckFrame.ids` once it has stored `frame` (or already had it): messages,
    reactions, edits, deletions and refusals by their id, receipts by message and status, a directory by its
    version.
    Frames without a key (typing, presence, sync) are never re-sent, so they need no ack."""
    if isinstance(frame, MessageFrame | ReactionFrame | EditFrame | DeleteFrame | RefusalFrame):
        return frame.id
    if isinstance(frame, UnlockFrame):
        return f"unlock:{frame.message.id}"
    if isinstance(frame, StatusFrame):
        return f"status:{frame.message_id}:{frame.status}"
    if isinstance(frame, DirectoryFrame) and frame.version is not None:
        return f"directory:{frame.version}"
    return None


def encode(frame: Frame) -> bytes:
    envelope = Envelope(frame=frame)
    return envelope.model_dump_json(by_alias=True, exclude_none=True).encode()


def decode(raw: bytes, stats: FrameStats | None = None) -> Frame:
    """Parse one frame. Raises FrameError (and counts it) for oversize or malformed input."""
    if len(raw) > MAX_FRAME_BYTES:
        if stats:
            stats.oversize += 1
        raise FrameError(f"frame of {len(raw)} bytes is over the {MAX_FRAME_BYTES}-byte cap")
    try:
        return _ENVELOPE.validate_json(raw).frame
    except (ValidationError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        if stats:
            stats.malformed += 1
        raise FrameError(f"malformed frame: {str(exc).splitlines()[0]}") from exc


def try_decode(raw: bytes, stats: FrameStats | None = None) -> Frame | None:
    """Decode, or log the problem and return None: a bad frame is never fatal."""
    try:
        return decode(raw, stats)
    except FrameError as exc:
        # Garbage must not become a stream of log lines: the first few, then 1 in 1000 (`stats` stays exact).
        dropped = stats.dropped if stats is not None else 0
        level = logging.WARNING if dropped <= LOGGED_DROPS or dropped % 1000 == 0 else logging.DEBUG
        log.log(level, "dropped frame: %s (%d dropped so far)", exc, dropped)
        return None
