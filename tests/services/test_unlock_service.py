"""A message whose key has not come (end-to-end encryption): stored locked, in its place, with the app's
words "🔒 Waiting for this message's key"; opened IN PLACE when its key comes: the same row gets its
text, not a second message, never marked edited, whatever the edit window says; the chat list follows."""

from __future__ import annotations

from service_helpers import T0, directory, person, settle, text

from tui_messenger.domain.events import MessageAdded, MessageChanged
from tui_messenger.domain.models import LOCKED_TEXT, MessageKind
from tui_messenger.transport import wire

HOUR_MS = 3_600_000


def _locked(mid: str, sender: str, *, at: int, body: str = "ciphertext") -> wire.MessageFrame:
    """What the transport says of a message it cannot read yet (any text in it is never shown)."""
    return wire.MessageFrame(  # type: ignore[call-arg]
        id=mid, sender=sender, to="me", timestamp=at, kind="locked", text=wire.TextContent(body=body)
    )


async def test_a_locked_message_shows_the_waiting_line_then_its_text_in_place(
    messenger, transport, clock
) -> None:
    transport.push(directory(person("anna")))
    transport.push(text("a1", "anna", "before", at=T0))
    transport.push(_locked("a2", "anna", at=T0 + 1000, body="[red]not shown[/]"))
    transport.push(text("a3", "anna", "after", at=T0 + 2000))
    await settle(messenger, transport)
    chat = await messenger.open_chat("anna")
    page = await messenger.latest_page(chat.chat.id)
    assert [(m.message_id, m.body) for m in page] == [("a1", "before"), ("a2", LOCKED_TEXT), ("a3", "after")]
    assert page[1].kind is MessageKind.LOCKED

    events: list = []
    messenger.subscribe(events.append)
    clock.advance(HOUR_MS / 1000)  # long past any edit window: the key came an hour later
    opened = text("a2", "anna", "the secret", at=T0 + 1000)
    transport.push(wire.UnlockFrame(message=opened))
    await settle(messenger, transport)

    page = await messenger.latest_page(chat.chat.id)
    assert [(m.message_id, m.body) for m in page] == [("a1", "before"), ("a2", "the secret"), ("a3", "after")]
    assert page[1].kind is MessageKind.TEXT and page[1].edited_at is None  # not "edited"
    changed = [e.message for e in events if isinstance(e, MessageChanged)]
    assert [(m.message_id, m.body) for m in changed] == [("a2", "the secret")]
    assert not [e for e in events if isinstance(e, MessageAdded)]  # the same message, not a second one
    assert "unlock:a2" in {i for f in transport.sent_of(wire.AckFrame) for i in f.ids}

    transport.push(wire.UnlockFrame(message=text("a2", "anna", "again", at=T0 + 1000)))  # a re-send
    await settle(messenger, transport)
    assert (await messenger.message("a2")).body == "the secret"  # type: ignore[union-attr]


async def test_the_chat_list_preview_follows_and_only_the_sender_opens_it(messenger, transport) -> None:
    transport.push(directory(person("anna"), person("eve")))
    transport.push(_locked("a1", "anna", at=T0))
    await settle(messenger, transport)
    chat = await messenger.open_chat("anna")
    assert (await messenger.summary(chat.chat.id)).chat.last_preview == LOCKED_TEXT
    transport.push(wire.UnlockFrame(message=text("a1", "eve", "forged", at=T0)))  # not her message
    await settle(messenger, transport)
    assert (await messenger.message("a1")).body == LOCKED_TEXT  # type: ignore[union-attr]
    transport.push(wire.UnlockFrame(message=text("a1", "anna", "see you at 8", at=T0)))
    await settle(messenger, transport)
    assert (await messenger.summary(chat.chat.id)).chat.last_preview == "see you at 8"


async def test_an_unlock_before_its_message_waits_for_it(messenger, transport) -> None:
    transport.push(directory(person("anna")))
    transport.push(wire.UnlockFrame(message=text("a1", "anna", "overtook", at=T0)))
    await settle(messenger, transport)
    transport.push(_locked("a1", "anna", at=T0))
    await settle(messenger, transport)
    assert (await messenger.message("a1")).body == "overtook"  # type: ignore[union-attr]


async def test_a_locked_file_opens_as_the_file_with_its_card(messenger, transport) -> None:
    """An encrypted file whose key came late: the same message becomes the file (kind, card, caption)."""
    transport.push(directory(person("anna")))
    transport.push(_locked("f1", "anna", at=T0))
    await settle(messenger, transport)
    doc = wire.Document(
        file_name="boarding-pass.pdf", mime_type="application/pdf", size=2048, source="mxc://localhost/abc",
        caption="your pass",
    )  # fmt: skip
    opened = wire.MessageFrame(  # type: ignore[call-arg]
        id="f1", sender="anna", to="me", timestamp=T0, kind="document", document=doc
    )
    transport.push(wire.UnlockFrame(message=opened))
    await settle(messenger, transport)
    message = await messenger.message("f1")
    assert message is not None and message.kind is MessageKind.DOCUMENT and message.edited_at is None
    assert message.attachment is not None and message.attachment.file_name == "boarding-pass.pdf"
    assert "your pass" in message.body


async def test_an_edit_of_a_locked_message_waits_until_it_opens(messenger, transport) -> None:
    """The edit's key came, the message's not yet: the edit is not lost, it applies once the message
    opens (and that one is a real edit: "edited")."""
    transport.push(directory(person("anna")))
    transport.push(_locked("a1", "anna", at=T0))
    await settle(messenger, transport)
    edit = wire.EditFrame(  # type: ignore[call-arg]
        id="e1", sender="anna", to="me", message_id="a1", body="see you at 9", timestamp=T0 + 60_000
    )
    transport.push(edit)
    await settle(messenger, transport)
    assert (await messenger.message("a1")).body == LOCKED_TEXT  # type: ignore[union-attr]
    transport.push(wire.UnlockFrame(message=text("a1", "anna", "see you at 8", at=T0)))
    await settle(messenger, transport)
    message = await messenger.message("a1")
    assert message is not None and message.body == "see you at 9" and message.edited_at is not None


async def test_the_toast_waits_for_the_key_and_then_shows_the_text(messenger, transport, clock) -> None:
    """A locked message raises no toast ("🔒 Waiting for this message's key" tells nothing); its unlock
    does, with the text, while the message is unread and recent. One that opens an hour later, or that
    was read meanwhile, raises none."""
    from tui_messenger.domain.events import Notified

    transport.push(directory(person("anna")))
    await settle(messenger, transport)
    events: list = []
    messenger.subscribe(events.append)
    now = int(clock.now().timestamp() * 1000)
    transport.push(_locked("a1", "anna", at=now))
    await settle(messenger, transport)
    assert not [e for e in events if isinstance(e, Notified)]
    transport.push(wire.UnlockFrame(message=text("a1", "anna", "the gate moved to B12", at=now)))
    await settle(messenger, transport)
    assert [e.body for e in events if isinstance(e, Notified)] == ["the gate moved to B12"]

    transport.push(_locked("a2", "anna", at=now + 1), _locked("a3", "anna", at=now + 2))
    await settle(messenger, transport)
    await messenger.mark_read((await messenger.open_chat("anna")).chat.id)
    transport.push(wire.UnlockFrame(message=text("a2", "anna", "read meanwhile", at=now + 1)))
    await settle(messenger, transport)
    clock.advance(HOUR_MS / 1000)
    transport.push(wire.UnlockFrame(message=text("a3", "anna", "an hour late", at=now + 2)))
    await settle(messenger, transport)
    assert [e.body for e in events if isinstance(e, Notified)] == ["the gate moved to B12"]
