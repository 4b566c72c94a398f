"""The fake network's edits and deletions: the user's are acked and checked by the same rules as the
client's; its bots edit and delete their own messages from scenario steps."""

from __future__ import annotations

import pytest
from transport_helpers import connected_peer, frames_of, user_text

from tui_messenger.domain.clock import to_ms
from tui_messenger.transport import wire
from tui_messenger.transport.fake import FakePeer, load_world, parse_world
from tui_messenger.transport.fake.loader import ScenarioError
from tui_messenger.transport.fake.player import play

WORLD = """
[scenario]
name = "editing"

[[accounts]]
id = "anna"
display_name = "Anna Becker"
contact = true
bot = "silent"

[[accounts]]
id = "shop"
display_name = "Shop"
kind = "business"
opt_in = "website"

[[flows]]
id = "order"
business = "shop"
keywords = ["order"]

[[flows.steps]]
id = "ask"
text = "Your order ships Monday."
next = "fix"

[[flows.steps]]
id = "fix"
delay = 30
edit = { message = "ask", text = "Your order ships Tuesday." }
next = "late"

[[flows.steps]]
id = "late"
delay = 960
delete = "ask"
end = true
"""


def _change(frame_id: str, message_id: str, at: int, body: str | None = None, sender: str = "me") -> bytes:
    common = {"id": frame_id, "sender": sender, "to": "anna", "message_id": message_id, "timestamp": at}
    frame = wire.DeleteFrame(**common) if body is None else wire.EditFrame(body=body, **common)  # type: ignore[arg-type]
    return wire.encode(frame)


@pytest.fixture
async def peer() -> FakePeer:
    return await connected_peer(parse_world(WORLD, "editing.toml"))


async def test_the_users_edits_are_acked_and_kept_within_the_window(peer: FakePeer) -> None:
    await peer.send(user_text("u1", "anna", "see you at 5"))
    now = to_ms(peer.clock.now())
    await peer.send(_change("e1", "u1", now + 60_000, "see you at 6"))
    await peer.send(_change("e1", "u1", now + 60_000, "see you at 6"))  # a retry: acked again, kept once
    await peer.send(_change("e2", "u1", now, "x", sender="mallory"))  # claims to be someone else
    await peer.send(_change("e3", "nope", now, "x"))  # no such message
    peer.clock.advance(17 * 60)  # type: ignore[attr-defined]
    await peer.send(_change("e4", "u1", to_ms(peer.clock.now()), "too late"))
    acks = [i for f in frames_of(peer, wire.AckFrame) for i in f.ids]
    assert acks.count("e1") == 2 and {"e2", "e3", "e4"} <= set(acks)  # every frame it read is acked
    assert peer.edits.edits == {"u1": "see you at 6"}
    rejected = [e.detail for e in peer.log if e.kind == "rejected"]
    assert any("claiming to be from 'mallory'" in d for d in rejected)
    assert any("e3" not in d and "no such message" in d for d in rejected)
    assert any("outside the 15-minute window" in d for d in rejected)
    await peer.send(_change("d1", "u1", to_ms(peer.clock.now()) - 15 * 60_000))  # made in time, sent late
    assert "u1" in peer.edits.deleted
    await peer.send(_change("e5", "u1", to_ms(peer.clock.now()) - 15 * 60_000, "after the delete"))
    assert peer.edits.edits == {} and any("was deleted" in e.detail for e in peer.log)


async def test_a_bot_edits_then_is_refused_after_the_window(peer: FakePeer, client_cls) -> None:
    client = client_cls(peer)
    await peer.send(user_text("u1", "shop", "where is my order"))
    await client.settle()  # acks everything, so the peer falls quiet
    (ask,) = [m for m in client.messages.values() if m.body == "Your order ships Monday."]
    assert peer.edits.edits == {ask.id: "Your order ships Tuesday."}
    assert ask.id not in peer.edits.deleted  # 16 minutes on: the delete step was refused
    assert any(e.kind == "rejected" and "window" in e.detail for e in peer.log)


async def test_bot_changes_are_re_sent_until_acked(peer: FakePeer) -> None:
    message_id = peer.push_text("anna", "meet at 5")
    assert message_id is not None
    frame_id = peer.edit_message("anna", message_id, "meet at 6")
    assert frame_id is not None
    first = frames_of(peer, wire.EditFrame)
    assert [(f.id, f.body, f.sender) for f in first] == [(frame_id, "meet at 6", "anna")]
    while not frames_of(peer, wire.EditFrame):  # not acked: the network sends it again
        assert peer.step()
    await peer.send(wire.encode(wire.AckFrame(ids=[frame_id])))
    assert peer.delete_message("shop", message_id) is None  # not the author


async def test_airline_delay_corrects_the_gate_and_deletes_a_wrong_refund() -> None:
    lines = await play(load_world("airline-delay"), ["SK 125 today 14:05"])
    gate = next(line for line in lines if line.type == "message" and "gate B18" in line.text)
    (edit,) = [line for line in lines if line.type == "edit"]
    assert edit.id == gate.id and "gate B20" in edit.text and edit.sender == "skyways"
    lines = await play(load_world("airline-delay"), ["Cancel and refund"])
    wrong = next(line for line in lines if line.type == "message" and "1,890.00" in line.text)
    (delete,) = [line for line in lines if line.type == "delete"]
    assert delete.id == wrong.id
    airline = [line.text for line in lines if line.type == "message" and line.sender == "skyways"]
    assert airline[-1].startswith("Confirmed: booking ABC123 is cancelled. EUR 189.00")


@pytest.mark.parametrize(
    ("step", "field", "problem"),
    [
        ('edit = { message = "nowhere", text = "x" }', "edit.message", "not 'nowhere'"),
        ('delete = "nowhere"', "delete", "not 'nowhere'"),
    ],
)
def test_changes_must_name_a_step_of_the_flow(step: str, field: str, problem: str) -> None:
    text = WORLD.replace('edit = { message = "ask", text = "Your order ships Tuesday." }', step)
    with pytest.raises(ScenarioError) as caught:
        parse_world(text, "bad.toml")
    assert any(field in str(issue) and problem in str(issue) for issue in caught.value.issues)
