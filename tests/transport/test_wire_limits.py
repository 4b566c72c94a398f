"""Wire validation: limits on buttons and lists; oversize and malformed frames counted and dropped."""

from __future__ import annotations

import random

import pytest
from pydantic import ValidationError

from tui_messenger.transport import wire
from tui_messenger.transport.fake.faults import FaultDice, FaultPlan


def buttons(*titles: str) -> list[wire.Button]:
    return [wire.Button(id=f"b{n}", title=t) for n, t in enumerate(titles)]


def rows(count: int) -> list[wire.ListRow]:
    return [wire.ListRow(id=f"r{n}", title=f"Row {n}") for n in range(count)]


def test_reply_buttons_one_to_three_unique_short() -> None:
    wire.Interactive(type="button", body="Pick", buttons=buttons("a", "b", "c"))
    with pytest.raises(ValidationError, match="1 to 3"):
        wire.Interactive(type="button", body="Pick", buttons=buttons("a", "b", "c", "d"))
    with pytest.raises(ValidationError, match="unique"):
        wire.Interactive(type="button", body="Pick", buttons=buttons("a", "a"))
    with pytest.raises(ValidationError):
        wire.Button(id="x", title="x" * 21)


def test_lists_up_to_ten_rows_in_all() -> None:
    sections = [wire.ListSection(title="A", rows=rows(5)), wire.ListSection(title="B", rows=rows(5))]
    wire.Interactive(type="list", body="Pick", sections=sections)
    with pytest.raises(ValidationError, match="1 to 10"):
        wire.Interactive(type="list", body="Pick", sections=[*sections, wire.ListSection(rows=rows(1))])
    with pytest.raises(ValidationError):
        wire.ListRow(id="r", title="t" * 25)
    with pytest.raises(ValidationError):
        wire.ListRow(id="r", title="t", description="d" * 73)


def test_oversize_frames_are_counted_and_dropped_unparsed() -> None:
    stats = wire.FrameStats()
    assert wire.try_decode(b"{" + b" " * wire.MAX_FRAME_BYTES + b"}", stats) is None
    assert (stats.oversize, stats.malformed) == (1, 0)


def test_a_one_megabyte_body_still_passes() -> None:
    frame = wire.MessageFrame(
        id="m", sender="a", to="me", timestamp=1, kind="text", text=wire.TextContent(body="x" * 1_000_000)
    )
    assert wire.decode(wire.encode(frame)) == frame


@pytest.mark.parametrize(
    "raw",
    [b"", b"not json", b"\xff\xfe", b"[]", b'{"v":1}', b'{"v":2,"frame":{"type":"sync","token":"t"}}',
     b'{"v":1,"frame":{"type":"nope"}}', b'{"v":1,"frame":{"type":"sync","token":"t","extra":1}}'],
)  # fmt: skip
def test_malformed_frames_are_counted_and_dropped(raw: bytes) -> None:
    stats = wire.FrameStats()
    assert wire.try_decode(raw, stats) is None
    assert stats.malformed == 1


def test_garbled_frames_never_decode() -> None:
    dice = FaultDice(FaultPlan(garble=1.0, seed=1))
    frame = wire.encode(wire.SyncFrame(token="abc_1"))
    stats = wire.FrameStats()
    for _ in range(500):
        assert wire.try_decode(dice.garble(frame), stats) is None
    assert stats.malformed == 500


def test_ack_keys() -> None:
    message = wire.MessageFrame(
        id="m1", sender="a", to="me", timestamp=1, kind="text", text=wire.TextContent(body="x")
    )
    status = wire.StatusFrame(message_id="m1", status="read", sender="a", to="me", timestamp=1)
    directory = wire.DirectoryFrame(accounts=[], version=3)
    assert [wire.ack_key(f) for f in (message, status, directory)] == ["m1", "status:m1:read", "directory:3"]
    assert wire.ack_key(wire.SyncFrame(token="t")) is None
    assert wire.ack_key(wire.TypingFrame(sender="a", to="me", typing=True)) is None


def test_fault_dice_are_reproducible() -> None:
    a, b = FaultDice(FaultPlan(drop=0.5, seed=4)), FaultDice(FaultPlan(drop=0.5, seed=4))
    assert [a.roll("drop") for _ in range(100)] == [b.roll("drop") for _ in range(100)]
    assert not FaultDice(FaultPlan()).roll("drop")
    random.seed(0)  # the dice do not use the global generator
    assert a.counts["drop"] == b.counts["drop"] > 0
