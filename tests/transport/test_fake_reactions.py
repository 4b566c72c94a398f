"""The fake network's reactions: it acks the user's, keeps them for a full sync, and its bots react
(a person now and then, a business in a flow step)."""

from __future__ import annotations

import pytest
from transport_helpers import connected_peer, frames_of, user_text

from tui_messenger.transport import wire
from tui_messenger.transport.fake import FakePeer, load_world, parse_world
from tui_messenger.transport.fake.loader import ScenarioError
from tui_messenger.transport.fake.player import play

WORLD = """
[scenario]
name = "reacting"

[[accounts]]
id = "anna"
display_name = "Anna Becker"
contact = true
reacts = 1.0
reaction_emoji = ["❤️"]
replies = ["ok"]

[[accounts]]
id = "shop"
display_name = "Shop"
kind = "business"
opt_in = "website"

[[flows]]
id = "thanks"
business = "shop"
keywords = ["order"]

[[flows.steps]]
id = "ask"
text = "Which order?"
next = "like"

[[flows.steps]]
id = "like"
delay = 1
react = { message = "user", emoji = "👍" }
next = "own"

[[flows.steps]]
id = "own"
react = { message = "ask", emoji = "🎉" }
end = true
"""


def user_reaction(frame_id: str, message_id: str, emoji: str, sender: str = "me") -> bytes:
    frame = wire.ReactionFrame(
        id=frame_id, sender=sender, to="anna", message_id=message_id, emoji=emoji, timestamp=0
    )
    return wire.encode(frame)


@pytest.fixture
async def peer() -> FakePeer:
    return await connected_peer(parse_world(WORLD, "reacting.toml"), seed=1)


async def test_the_user_s_reaction_is_acked_once_handled_and_kept_for_a_full_sync(peer) -> None:
    await peer.send(user_reaction("r1", "h.x.0", "👍"))
    await peer.send(user_reaction("r1", "h.x.0", "👍"))  # a retry: acked again, handled once
    acks = frames_of(peer, wire.AckFrame)
    assert [a.ids for a in acks] == [["r1"], ["r1"]]
    assert [e.detail for e in peer.log if e.kind == "reaction"] == ["👍"]
    assert peer.reactions.given[("h.x.0", "me")] == "👍"
    await peer.connect("me")  # a new device: full sync brings the user's own reaction back
    peer.pump()
    synced = frames_of(peer, wire.ReactionFrame)
    assert [(f.sender, f.message_id, f.emoji) for f in synced] == [("me", "h.x.0", "👍")]


async def test_a_reaction_claiming_another_sender_or_not_an_emoji_is_refused(peer) -> None:
    await peer.send(user_reaction("r1", "m", "👍", sender="anna"))
    await peer.send(user_reaction("r2", "m", "lol"))
    assert peer.reactions.given == {}
    assert [a.ids for a in frames_of(peer, wire.AckFrame)] == [["r1"], ["r2"]]  # the client stops resending


async def test_a_person_reacts_to_the_user_s_message_until_acked(peer) -> None:
    await peer.send(user_text("u1", "anna", "hello"))
    peer.drain()
    while peer.step():
        if peer.reactions.given:
            break
    assert peer.reactions.given == {("u1", "anna"): "❤️"}
    (first,) = frames_of(peer, wire.ReactionFrame)
    assert (first.sender, first.to, first.message_id, first.emoji) == ("anna", "me", "u1", "❤️")
    again: list = []
    for _ in range(20):  # no ack yet: the network sends it again after its ack timeout
        peer.step()
        again += frames_of(peer, wire.ReactionFrame)
    assert first.id in [f.id for f in again]
    await peer.send(wire.encode(wire.AckFrame(ids=[first.id])))
    for _ in range(20):
        peer.step()
    assert first.id not in [f.id for f in frames_of(peer, wire.ReactionFrame)]


async def test_flow_steps_react_to_the_user_and_to_their_own_message(peer) -> None:
    await peer.send(user_text("u1", "shop", "about my order"))
    for _ in range(20):
        peer.step()
    given = peer.reactions.given
    assert given[("u1", "shop")] == "👍"
    asked = next(key for key in given if key[1] == "shop" and key[0] != "u1")
    assert given[asked] == "🎉"


async def test_the_bank_flow_likes_the_user_s_confirmation() -> None:
    lines = await play(load_world("bank-fraud-alert"), ["Yes, it was me"])
    reactions = [line for line in lines if line.type == "reaction"]
    (like,) = reactions
    confirm = next(line for line in lines if line.sender == "me" and line.text == "Yes, it was me")
    assert (like.sender, like.text, like.id) == ("nordbank", "👍", confirm.id)


@pytest.mark.parametrize(
    ("step", "where"),
    [
        ('react = { message = "nowhere", emoji = "👍" }', "message"),
        ('react = { message = "user", emoji = "[b]x" }', "emoji"),
        ("delay = 1", "text"),
    ],
)
def test_bad_react_steps_are_named_with_their_field(step: str, where: str) -> None:
    text = WORLD.replace('react = { message = "ask", emoji = "🎉" }', step)
    with pytest.raises(ScenarioError) as caught:
        parse_world(text, "bad.toml")
    assert where in str(caught.value)
