"""Business flows branch on the user's choice or text; people answer; sends are idempotent."""

from __future__ import annotations

from tui_messenger.transport import wire
from tui_messenger.transport.fake import load_world
from tui_messenger.transport.fake.player import play


def texts(lines, sender: str) -> list[str]:
    return [line.text for line in lines if line.type == "message" and line.sender == sender]


async def test_fraud_alert_yes_it_was_me() -> None:
    lines = await play(load_world("bank-fraud-alert"), ["Yes, it was me"])
    alert = next(line for line in lines if line.kind == "template/utility" and "749.00" in line.text)
    assert alert.options == ["Yes, it was me", "No, block my card"]
    assert texts(lines, "nordbank")[-1] == "Thanks for confirming. Your card stays active."


async def test_fraud_alert_no_block_my_card_then_callback() -> None:
    lines = await play(load_world("bank-fraud-alert"), ["No, block my card", "Call me back"])
    bank = texts(lines, "nordbank")
    assert "We blocked your card ending 4821 and stopped the payment. A new card is on its way." in bank
    assert bank[-1].startswith("Our fraud team will call you")
    replies = [line for line in lines if line.sender == "me" and line.kind.startswith("interactive_reply")]
    assert [r.text for r in replies] == ["No, block my card", "Call me back"]
    assert all(r.context_id for r in replies)  # each answers the message it belongs to


async def test_fraud_alert_branches_on_typed_text() -> None:
    lines = await play(load_world("bank-fraud-alert"), ["no! that was not me, block it"])
    assert any(t.startswith("We blocked your card") for t in texts(lines, "nordbank"))


async def test_airline_delay_list_choice_is_confirmed() -> None:
    lines = await play(load_world("airline-delay"), ["SK 127 tomorrow 07:30"])
    notice = next(line for line in lines if line.kind == "interactive/list")
    assert notice.sender == "skyways" and "delayed" in notice.text
    assert "SK 127 tomorrow 07:30" in notice.options and len(notice.options) == 4
    answer = next(line for line in lines if line.kind == "interactive_reply/list_reply")
    assert answer.context_id == notice.id
    assert texts(lines, "skyways")[-1].startswith("Confirmed: you are rebooked on SK 127")


async def test_airline_unclear_answer_gets_asked_again_then_text_branch() -> None:
    lines = await play(load_world("airline-delay"), ["hmm", "refund please"])
    deleted = {line.id for line in lines if line.type == "delete"}  # a wrong amount, deleted for everyone
    skyways = [line.text for line in lines if line.type == "message" and line.sender == "skyways"
               and line.id not in deleted]  # fmt: skip
    assert skyways[-2].startswith("Please pick one of the rebooking options")
    assert skyways[-1].startswith("Confirmed: booking ABC123 is cancelled")


async def test_person_types_then_answers_with_receipts(tiny, peer_for, client_cls) -> None:
    world = load_world("default")
    peer = peer_for(world, seed=2)
    client = client_cls(peer)
    await peer.connect("me")
    await client.settle()
    hello = wire.MessageFrame(
        id="c.1", sender="me", to="mia", timestamp=0, kind="text",
        text=wire.TextContent(body="Thanks for the photos!"), client_txn_id="t.1",
    )  # fmt: skip
    await peer.send(wire.encode(hello))
    await client.settle()
    statuses = [(s.status, s.sender) for s in client.statuses if s.message_id == "c.1"]
    assert statuses == [("sent", "server"), ("delivered", "mia"), ("read", "mia")]
    assert [t.typing for t in client.typing if t.sender == "mia"] == [True, False]
    assert client.bodies("mia")[-1] in ("You're welcome!", "Anytime 😊")


async def test_a_retried_send_is_processed_once_and_acked_again(tiny, peer_for, client_cls) -> None:
    peer = peer_for(tiny)
    client = client_cls(peer)
    await peer.connect("me")
    await client.settle()
    frame = wire.MessageFrame(
        id="c.1", sender="me", to="shop", timestamp=0, kind="text",
        text=wire.TextContent(body="hi"), client_txn_id="t.1",
    )  # fmt: skip
    await peer.send(wire.encode(frame))
    await client.settle()
    await peer.send(wire.encode(frame))
    raws = peer.drain()
    again = [wire.decode(r) for r in raws]
    assert any(
        isinstance(f, wire.StatusFrame) and f.status == "sent" and f.client_txn_id == "t.1" for f in again
    )
    await client.settle()
    assert [e.message_id for e in peer.log if e.kind == "user"] == ["c.1"]
    assert client.bodies("shop") == ["Thanks, we will get back to you."]  # one auto-reply, not two


async def test_sender_identity_is_the_connection(tiny, peer_for) -> None:
    peer = peer_for(tiny)
    await peer.connect("me")
    spoof = wire.MessageFrame(
        id="c.1", sender="anna", to="shop", timestamp=0, kind="text", text=wire.TextContent(body="I am Anna")
    )
    await peer.send(wire.encode(spoof))
    assert [e.kind for e in peer.log][-1] == "rejected"


async def test_first_sync_has_directory_history_and_own_messages(peer_for, client_cls) -> None:
    peer = peer_for(load_world("default"))
    client = client_cls(peer)
    await peer.connect("me")
    await client.process()
    peer.pump()
    await client.process()
    assert client.directory is not None and client.directory.version == 1
    entry = {a.id: a for a in client.directory.accounts}
    assert entry["nordbank"].verified and entry["anna"].contact
    assert entry["megadeals"].opt_in is None and entry["nordbank"].opt_in is not None
    mine = [m for m in client.messages.values() if m.sender == "me"]
    assert mine and all(m.id.startswith("h.default.") for m in mine)
    assert client.token is not None
