"""Matrix events as frames (transport/matrix/events.py), from hostile events built as a server sends them:
the body is what is read (never `formatted_body`, which is HTML), a reply's quoted fallback is dropped,
out-of-limit ids are left out, and receipts mark own messages read up to the receipt."""

from __future__ import annotations

from typing import Any

from nio import ReceiptEvent, RoomMemberEvent, RoomMessageText

from tui_messenger.transport import wire
from tui_messenger.transport.matrix.events import Ids, ephemeral_frames, strip_reply_fallback, timeline_frame

ME, ANNA, ROOM = "@me:example.org", "@anna:example.org", "!room:example.org"


def text_event(body: str, *, event_id: str = "$e1", sender: str = ANNA, **content: Any) -> Any:
    source = {
        "type": "m.room.message", "event_id": event_id, "sender": sender, "origin_server_ts": 1000,
        "content": {"msgtype": "m.text", "body": body, **content},
    }  # fmt: skip
    return RoomMessageText.from_dict(source)


def test_the_body_is_read_never_the_formatted_html() -> None:
    event = text_event(
        "plain [b]words[/b] \x1b[31m",
        format="org.matrix.custom.html",
        formatted_body="<a href='https://evil.example'>click</a><script>x</script>",
    )
    frame = timeline_frame(event, ROOM, ME, ANNA, Ids())
    assert isinstance(frame, wire.MessageFrame)
    assert frame.body == "plain [b]words[/b] \x1b[31m"  # data as sent; the store's safe-text path cleans it
    assert "evil" not in frame.model_dump_json()


def test_a_reply_keeps_only_its_own_text_and_points_at_our_message() -> None:
    ids = Ids()
    ids.sent(ROOM, "local-1", "$mine", 500)
    reply = text_event(
        "> <@me:example.org> hello\n> more\n\nhi back",
        **{"m.relates_to": {"m.in_reply_to": {"event_id": "$mine"}}},
    )
    frame = timeline_frame(reply, ROOM, ME, ANNA, ids)
    assert isinstance(frame, wire.MessageFrame)
    assert frame.body == "hi back" and frame.context is not None and frame.context.message_id == "local-1"
    assert strip_reply_fallback("> not a reply quote? no: no blank line\nbody") == "body"
    assert strip_reply_fallback("no quote") == "no quote"


def test_an_id_beyond_the_wire_limits_is_left_out() -> None:
    assert timeline_frame(text_event("x", event_id="$" + "e" * 300), ROOM, ME, ANNA, Ids()) is None
    assert timeline_frame(text_event("x", sender="@" + "a" * 300 + ":x"), ROOM, ME, ANNA, Ids()) is None


def test_our_own_echo_is_not_a_second_message() -> None:
    ids = Ids()
    echo = text_event("mine", event_id="$echo", sender=ME, unsigned={"transaction_id": "local-9"})
    echo.transaction_id = "local-9"
    assert timeline_frame(echo, ROOM, ME, ANNA, ids) is None
    assert ids.local("$echo") == "local-9" and ids.event("local-9") == "$echo"


def test_a_read_receipt_marks_every_own_message_up_to_it_once() -> None:
    ids = Ids()
    for n, at in enumerate((100, 200, 300)):
        ids.sent(ROOM, f"m{n}", f"$m{n}", at)
    receipt = ReceiptEvent.from_dict(
        {"type": "m.receipt", "content": {"$m1": {"m.read": {ANNA: {"ts": 250}}}}}
    )
    frames = ephemeral_frames(receipt, ROOM, ME, ANNA, ids)
    assert [(f.message_id, f.status, f.sender) for f in frames] == [
        ("m0", "read", ANNA),
        ("m1", "read", ANNA),
    ]
    assert ephemeral_frames(receipt, ROOM, ME, ANNA, ids) == []  # told once
    stranger = ReceiptEvent.from_dict(
        {"type": "m.receipt", "content": {"$m2": {"m.read": {"@eve:example.org": {"ts": 1}}}}}
    )
    assert ephemeral_frames(stranger, ROOM, ME, ANNA, ids) == []  # only the other person's receipts count


def test_the_users_own_receipt_reads_up_to_that_message_here_too() -> None:
    """What the user read on another device (or before this login): their own receipt, public or private,
    names the message (an own message by its local id); the services read the chat up to it."""
    ids = Ids()
    ids.sent(ROOM, "m0", "$own", 100)
    for kind in ("m.read", "m.read.private"):
        for event_id, local in (("$in", "$in"), ("$own", "m0")):
            receipt = ReceiptEvent.from_dict(
                {"type": "m.receipt", "content": {event_id: {kind: {ME: {"ts": 7}}}}}
            )
            frames = ephemeral_frames(receipt, ROOM, ME, ANNA, ids)
            assert [(f.message_id, f.status, f.sender, f.to) for f in frames] == [(local, "read", ME, ANNA)]


def test_a_hostile_m_direct_list_keeps_only_real_ids() -> None:
    from nio import UnknownAccountDataEvent

    from tui_messenger.transport.matrix.direct import DirectRooms

    direct = DirectRooms()
    direct.update([UnknownAccountDataEvent("m.direct", {"x": 1})])
    content: dict[str, Any] = {
        "@anna:localhost": ["!a:localhost", 5, None, "not a room", "!" + "x" * 300],
        "not a user": ["!b:localhost"],
        "@ben:localhost": "!c:localhost",  # not a list
        "@" + "y" * 250 + ":localhost": ["!d:localhost"],
    }
    direct.update([UnknownAccountDataEvent("m.direct", content)])
    assert direct.peers == {"@anna:localhost": ["!a:localhost"]}
    assert direct.peer("!a:localhost") == "@anna:localhost" and direct.peer("!b:localhost") is None
    assert direct.add("@anna:localhost", "!a:localhost") is None  # known: nothing to store
    assert direct.add("@cleo:localhost", "!e:localhost") == {
        "@anna:localhost": ["!a:localhost"],
        "@cleo:localhost": ["!e:localhost"],
    }
    direct.update([UnknownAccountDataEvent("m.direct", "garbage")])
    assert direct.peers == {} and direct.peer("!a:localhost") is None


def test_a_notice_and_an_emote_are_text_too() -> None:
    from nio import RoomMessageEmote, RoomMessageNotice

    def event(kind: type, msgtype: str, body: str, event_id: str) -> Any:
        source = {
            "type": "m.room.message", "event_id": event_id, "sender": ANNA, "origin_server_ts": 1000,
            "content": {"msgtype": msgtype, "body": body},
        }  # fmt: skip
        parsed = kind.from_dict(source)
        assert isinstance(parsed, kind)
        return parsed

    notice = timeline_frame(event(RoomMessageNotice, "m.notice", "Build passed", "$n"), ROOM, ME, ANNA, Ids())
    emote = timeline_frame(event(RoomMessageEmote, "m.emote", "waves", "$m"), ROOM, ME, ANNA, Ids())
    assert isinstance(notice, wire.MessageFrame) and notice.body == "Build passed"
    assert isinstance(emote, wire.MessageFrame) and emote.body == "* waves"


def test_a_message_of_a_kind_not_known_here_shows_its_body_and_one_without_a_body_nothing() -> None:
    """A location, a poll or another client's own kind of message carries a `body` for clients that do
    not know it (the spec's fallback): shown, as text; a reply of that kind still points at its message."""
    from nio import Event, RoomMessageUnknown

    def event(content: dict[str, Any], event_id: str) -> Any:
        source = {"type": "m.room.message", "event_id": event_id, "sender": ANNA, "origin_server_ts": 1000,
                  "content": content}  # fmt: skip
        parsed = Event.parse_event(source)
        assert isinstance(parsed, RoomMessageUnknown)
        return parsed

    ids = Ids()
    ids.sent(ROOM, "local-1", "$mine", 500)
    location = event({"msgtype": "m.location", "body": "Meet here [b]now[/b]", "geo_uri": "geo:1,2"}, "$l")
    shown = timeline_frame(location, ROOM, ME, ANNA, ids)
    assert isinstance(shown, wire.MessageFrame) and shown.body == "Meet here [b]now[/b]"
    replied = event({"msgtype": "org.example.poll", "body": "> <@me:example.org> hi\n\nvote: yes",
                     "m.relates_to": {"m.in_reply_to": {"event_id": "$mine"}}}, "$p")  # fmt: skip
    reply = timeline_frame(replied, ROOM, ME, ANNA, ids)
    assert isinstance(reply, wire.MessageFrame) and reply.body == "vote: yes"
    assert reply.context is not None and reply.context.message_id == "local-1"
    for content in ({"msgtype": "m.weird"}, {"msgtype": "m.weird", "body": 5}):
        assert timeline_frame(event(content, "$w"), ROOM, ME, ANNA, Ids()) is None
    # malformed elsewhere (nio's BadEvent): its text still shows; an edit that is malformed does not
    source = {"type": "m.room.message", "event_id": "$b", "sender": ANNA, "origin_server_ts": 1,
              "content": {"msgtype": "m.text", "body": "hi", "format": 5}}  # fmt: skip
    bad = Event.parse_event(source)
    assert type(bad).__name__ == "BadEvent"
    shown = timeline_frame(bad, ROOM, ME, ANNA, Ids())
    assert isinstance(shown, wire.MessageFrame) and shown.body == "hi"
    edit = {"msgtype": "m.text", "body": "* x", "m.new_content": {"body": 5},
            "m.relates_to": {"rel_type": "m.replace", "event_id": "$l"}}  # fmt: skip
    assert timeline_frame(event(dict(edit, msgtype="m.weird"), "$e"), ROOM, ME, ANNA, Ids()) is None


def test_the_users_own_receipt_on_another_event_reads_up_to_the_message_before_it() -> None:
    """Another client may put the user's receipt on an event that is not a message (a reaction, an edit,
    a change of the room): it reads up to the newest message before that event. An event of older history
    paged in later is not taken for newer than the messages already seen."""
    from nio import ReactionEvent

    ids = Ids()
    for event_id, at in (("$m1", 1000), ("$m2", 2000)):
        source = {
            "type": "m.room.message", "event_id": event_id, "sender": ANNA, "origin_server_ts": at,
            "content": {"msgtype": "m.text", "body": "hi"},
        }  # fmt: skip
        timeline_frame(RoomMessageText.from_dict(source), ROOM, ME, ANNA, ids)

    def reaction(event_id: str, at: int) -> Any:
        return ReactionEvent.from_dict({
            "type": "m.reaction", "event_id": event_id, "sender": ME, "origin_server_ts": at,
            "content": {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$m1", "key": "👍"}},
        })  # fmt: skip

    timeline_frame(reaction("$r-new", 3000), ROOM, ME, ANNA, ids)
    timeline_frame(reaction("$r-old", 500), ROOM, ME, ANNA, ids)  # older history, paged in later
    edit = text_event(
        "* hi", event_id="$edit", **{"m.relates_to": {"rel_type": "m.replace", "event_id": "$m2"}}
    )
    edit.server_timestamp = 4000
    timeline_frame(edit, ROOM, ME, ANNA, ids)

    def read(event_id: str) -> list[str]:
        receipt = ReceiptEvent.from_dict(
            {"type": "m.receipt", "content": {event_id: {"m.read": {ME: {"ts": 9}}}}}
        )
        return [f.message_id for f in ephemeral_frames(receipt, ROOM, ME, ANNA, ids)]

    assert read("$r-new") == ["$m2"]
    assert read("$edit") == ["$m2"]  # an edit is not a message of its own
    assert read("$r-old") == ["$r-old"]  # nothing older noted: as before, it names no message here
    assert read("$m1") == ["$m1"]


def member_event(who: str, membership: str, *, prev: str | None = None, name: str | None = None) -> Any:
    content: dict[str, Any] = {"membership": membership} | ({"displayname": name} if name else {})
    source: dict[str, Any] = {
        "type": "m.room.member", "event_id": f"$m-{who}-{membership}", "sender": ANNA, "state_key": who,
        "origin_server_ts": 2000, "content": content,
    }  # fmt: skip
    if prev is not None:
        source["unsigned"] = {"prev_content": {"membership": prev}}
    return RoomMemberEvent.from_dict(source)


def test_a_third_person_in_the_room_is_a_line_in_the_chat_the_two_are_not() -> None:
    carl = "@carl:example.org"
    ids = Ids()
    joined = timeline_frame(member_event(carl, "join", prev="leave", name="Carl"), ROOM, ME, ANNA, ids)
    assert isinstance(joined, wire.MessageFrame) and joined.kind == "system"
    assert (joined.sender, joined.to) == (ANNA, ME)  # in the chat with Anna
    assert joined.body.startswith(f"Carl ({carl}) joined the room this chat used.")
    invited = timeline_frame(member_event(carl, "invite"), ROOM, ME, ANNA, ids)
    assert isinstance(invited, wire.MessageFrame) and invited.body.startswith(f"{carl} was invited to")
    for quiet in (
        member_event(ANNA, "join", prev="invite"),  # the other person accepting
        member_event(ME, "join"),  # the user
        member_event(carl, "join", prev="join", name="Carlos"),  # a new display name
        member_event(carl, "join", prev="invite"),  # told when invited
        member_event(carl, "leave", prev="join"),
    ):
        assert timeline_frame(quiet, ROOM, ME, ANNA, ids) is None


def test_a_message_sent_long_after_it_was_written_is_read_by_the_receipt_on_it() -> None:
    """Written offline at 100 and sent at 900 (its retry, or the outbox after a reconnect), after the other
    person had read up to 500: the send's answer has no time, so the message counted at 100, before the
    mark, and the receipt on it (server time 900) never made it read. Its echo brings the server's time."""
    ids = Ids()
    ids.sent(ROOM, "early", "$early", 500)
    assert [f.message_id for f in _read_on(ids, "$early")] == ["early"]  # read up to 500
    ids.sent(ROOM, "late", "$late", 100)  # the send's answer: the time it was written
    echo = text_event("late", event_id="$late", sender=ME)
    echo.server_timestamp, echo.transaction_id = 900, "late"
    assert timeline_frame(echo, ROOM, ME, ANNA, ids) is None  # no second message
    assert [f.message_id for f in _read_on(ids, "$late")] == ["late"]
    assert ids.take_changes().own[-1].at == 900  # kept with the server's time for a restart


def _read_on(ids: Ids, event_id: str) -> list[Any]:
    receipt = ReceiptEvent.from_dict(
        {"type": "m.receipt", "content": {event_id: {"m.read": {ANNA: {"ts": 1}}}}}
    )
    return ephemeral_frames(receipt, ROOM, ME, ANNA, ids)
