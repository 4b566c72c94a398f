"""Wire frames to store items and back. The sender of a frame is the account it came from (DESIGN.md
section 3, rule 3): names inside a payload never decide anything."""

from __future__ import annotations

import json
import logging
from typing import Any

from tui_messenger.domain import business
from tui_messenger.domain.clock import from_ms, to_ms
from tui_messenger.domain.files import REMOTE, SNIFF_BYTES, document_body, document_payload, sniff
from tui_messenger.domain.models import (
    LOCKED_TEXT,
    AccountKind,
    AttachmentInfo,
    BusinessProfile,
    ChatMessage,
    ConsentSource,
    Direction,
    MessageKind,
    MessageStatus,
)
from tui_messenger.services.files import check_received, refused_notice
from tui_messenger.store.accounts import DirectoryRecord
from tui_messenger.store.attachments import StoredFile
from tui_messenger.store.ingest import Incoming
from tui_messenger.store.messages import StatusChange
from tui_messenger.transport import wire

log = logging.getLogger(__name__)

_KIND = {
    "text": MessageKind.TEXT.value,
    "template": MessageKind.TEMPLATE.value,
    "interactive_reply": MessageKind.INTERACTIVE_REPLY.value,
    "system": MessageKind.SYSTEM.value,
    "locked": MessageKind.LOCKED.value,
}


def _dump(model: Any) -> str:
    return json.dumps(model.model_dump(mode="json"), separators=(",", ":"), ensure_ascii=False)


def incoming(frame: wire.MessageFrame, user_id: str) -> Incoming | None:
    """A message frame as a store item; None when it is neither to nor from the user."""
    if frame.sender == user_id:
        direction, peer = Direction.OUTBOUND.value, frame.to
    elif frame.to == user_id:
        direction, peer = Direction.INBOUND.value, frame.sender
    else:
        return None
    payload = category = None
    reply_to = frame.context.message_id if frame.context else None
    body, attachment = frame.body, None
    if frame.kind == "interactive" and frame.interactive is not None:
        kind = MessageKind.BUTTONS.value if frame.interactive.type == "button" else MessageKind.LIST.value
        payload = '{"interactive":' + _dump(frame.interactive) + "}"
    elif frame.document is not None:
        kind, body, attachment, payload = _document(frame.document)
    else:
        kind = _KIND[frame.kind]
        if frame.kind == "locked":  # its text is not readable yet: the app says so, in its own words
            body, reply_to = LOCKED_TEXT, None
        elif frame.template is not None:
            category = frame.template.category
            payload = '{"template":' + _dump(frame.template) + "}"
        elif frame.interactive_reply is not None:
            payload = '{"interactive_reply":' + _dump(frame.interactive_reply) + "}"
            reply_to = reply_to or frame.interactive_reply.context_id
    return Incoming(
        message_id=frame.id,
        peer_id=peer,
        sender_id=frame.sender,
        direction=direction,
        kind=kind,
        body=body,
        timestamp=frame.timestamp,
        template_category=category,
        payload=payload,
        reply_to=reply_to,
        client_txn_id=frame.client_txn_id if direction == Direction.OUTBOUND.value else None,
        attachment=attachment,
    )


def _document(doc: wire.Document) -> tuple[str, str, StoredFile | None, str | None]:
    """(kind, body, file, payload) of a document: the payload names the type its bytes are; a file that
    fails its checks becomes a notice saying so. A file still on the network (a `source`) is stored as that
    reference, its type unknown until it is saved (`services/files_api.py` fetches and checks it then)."""
    if doc.source is not None:
        info = AttachmentInfo(doc.file_name, doc.mime_type, doc.size, doc.sha256, remote=True)
        payload = json.dumps(document_payload(REMOTE), separators=(",", ":"))
        return (
            MessageKind.DOCUMENT.value,
            document_body(doc.file_name, doc.caption),
            StoredFile(info, b"", doc.source),
            payload,
        )
    checked = check_received(doc)
    if isinstance(checked, str):
        log.warning("a file was refused: %s", checked)
        return MessageKind.SYSTEM.value, refused_notice(doc.file_name, checked), None, None
    payload = json.dumps(document_payload(sniff(checked.data[:SNIFF_BYTES])), separators=(",", ":"))
    return MessageKind.DOCUMENT.value, document_body(doc.file_name, doc.caption), checked, payload


def status_change(frame: wire.StatusFrame) -> StatusChange:
    return StatusChange(
        message_id=frame.message_id,
        status=MessageStatus(frame.status),
        reporter_id=frame.sender,
        client_txn_id=frame.client_txn_id,
        error_code=frame.error.code if frame.error else None,
    )


def directory_record(entry: wire.DirectoryEntry) -> DirectoryRecord:
    profile = None
    if entry.profile is not None:
        p = entry.profile
        profile = BusinessProfile(
            p.about, p.description, p.category, p.address, p.email, tuple(p.websites), p.hours
        )
    return DirectoryRecord(
        id=entry.id,
        display_name=entry.display_name,
        kind=AccountKind(entry.kind),
        verified=entry.verified,
        scam=entry.scam,
        profile=profile,
        contact=entry.contact,
        opt_in_source=ConsentSource(entry.opt_in.source) if entry.opt_in else None,
        opt_in_at=from_ms(entry.opt_in.timestamp) if entry.opt_in else None,
        encrypted=entry.encrypted,
    )


def ack_key(frame: wire.Frame) -> str | None:
    """The id the network wants back in an AckFrame once `frame` is stored."""
    return wire.ack_key(frame)


def _buttons(choices: tuple[business.Choice, ...]) -> list[wire.Button]:
    return [wire.Button(id=c.id, title=c.title) for c in choices]


def _sections(rows: tuple[business.Choice, ...]) -> list[wire.ListSection]:
    sections: list[wire.ListSection] = []
    for row in rows:
        if not sections or sections[-1].title != row.section:
            sections.append(wire.ListSection(title=row.section, rows=[]))
        sections[-1].rows.append(wire.ListRow(id=row.id, title=row.title, description=row.description))
    return sections


def content_fields(message: ChatMessage) -> dict[str, Any]:
    """A stored message's business content as the fields of its wire frame (`kind` and the content)."""
    content, body = message.content, message.body
    if isinstance(content, business.Buttons):
        interactive = wire.Interactive(
            type="button", header=content.header, body=body, footer=content.footer,
            buttons=_buttons(content.choices),
        )  # fmt: skip
        return {"kind": "interactive", "interactive": interactive}
    if isinstance(content, business.ChoiceList):
        interactive = wire.Interactive(
            type="list", header=content.header, body=body, footer=content.footer,
            button_label=content.button_label, sections=_sections(content.choices),
        )  # fmt: skip
        return {"kind": "interactive", "interactive": interactive}
    if isinstance(content, business.Template):
        category = message.template_category.value if message.template_category else content.category
        template = wire.Template.model_validate(
            {"name": content.name, "category": category, "body": body, "buttons": _buttons(content.choices)}
        )
        return {"kind": "template", "template": template}
    if isinstance(content, business.ChoiceReply):
        return {"kind": "interactive_reply", "interactive_reply": choice_reply(content)}
    return {}


def choice_reply(reply: business.ChoiceReply) -> wire.InteractiveReply:
    return wire.InteractiveReply(
        type=reply.reply_type, id=reply.choice_id, title=reply.title, context_id=reply.answered_id
    )


def envelope(message: ChatMessage, *, to: str) -> dict[str, Any]:
    """The fields every message frame of `message` has: its id, sender, recipient, time and txn id."""
    return {
        "id": message.message_id,
        "sender": message.sender_id,
        "to": to,
        "timestamp": to_ms(message.sent_at),
        "client_txn_id": message.client_txn_id,
    }


def outgoing_frame(message: ChatMessage, *, to: str) -> wire.MessageFrame:
    """The frame for a message the user composed (text or an interactive reply)."""
    common = envelope(message, to=to)
    if isinstance(reply := message.content, business.ChoiceReply):
        return wire.MessageFrame(kind="interactive_reply", interactive_reply=choice_reply(reply), **common)
    context = wire.Context(message_id=message.reply_to) if message.reply_to else None
    return wire.MessageFrame(kind="text", text=wire.TextContent(body=message.body), context=context, **common)


def choice_title(answered: ChatMessage, choice_id: str) -> tuple[str, str] | None:
    """(reply type, title) of button or list row `choice_id` in an interactive or template message."""
    found = business.find_choice(answered.content, choice_id)
    return None if found is None else (found[0], found[1].title)
