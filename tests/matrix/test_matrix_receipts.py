"""Read receipts to a Matrix server: one request for the newest per room, never one per message."""

from __future__ import annotations

import asyncio

from tui_messenger.transport.matrix.receipts import ReadMarkers

EVERY = 0.05


async def test_receipts_while_one_is_in_flight_become_one_request_for_the_newest() -> None:
    sent: list[tuple[str, str]] = []
    gate = asyncio.Event()

    async def send(room: str, event: str) -> None:
        await gate.wait()
        sent.append((room, event))

    markers = ReadMarkers(send, every=EVERY)
    markers.read("!a", "$e1", 1)
    await asyncio.sleep(0)  # its request is on its way
    for n in range(2, 201):  # then 199 more read at once
        markers.read("!a", f"$e{n}", n)
    markers.read("!b", "$b1", 5)
    gate.set()
    await asyncio.sleep(EVERY * 3)
    assert [e for r, e in sent if r == "!a"] == ["$e1", "$e200"]  # 200 receipts, 2 requests
    assert [e for r, e in sent if r == "!b"] == ["$b1"]
    markers.read("!a", "$e150", 150)  # older than what was sent: nothing
    markers.read("!a", "$e201", 201)
    await asyncio.sleep(EVERY * 3)
    assert sent[3:] == [("!a", "$e201")]
    await markers.close()


async def test_the_first_receipt_goes_at_once_the_next_no_sooner_than_every() -> None:
    loop = asyncio.get_running_loop()
    times: list[tuple[str, float]] = []

    async def send(room: str, event: str) -> None:
        times.append((event, loop.time()))

    markers = ReadMarkers(send, every=0.3)
    start = loop.time()
    markers.read("!a", "$1", 1)
    await asyncio.sleep(0.01)
    assert [e for e, _ in times] == ["$1"] and times[0][1] - start < 0.1
    for n in range(2, 6):  # messages streaming into the open chat
        markers.read("!a", f"${n}", n)
        await asyncio.sleep(0.02)
    assert [e for e, _ in times] == ["$1"]  # the rest wait for the window
    await asyncio.sleep(0.4)
    assert [e for e, _ in times] == ["$1", "$5"] and times[1][1] - times[0][1] >= 0.29
    await markers.close()


async def test_a_failed_receipt_is_logged_and_the_next_one_goes(caplog: object) -> None:
    sent: list[str] = []

    async def send(room: str, event: str) -> None:
        if event == "$bad":
            raise OSError("server gone")
        sent.append(event)

    markers = ReadMarkers(send, every=EVERY)
    markers.read("!a", "$bad", 1)
    await asyncio.sleep(0.01)
    markers.read("!a", "$good", 2)
    await asyncio.sleep(EVERY * 3)
    assert sent == ["$good"]
    assert "server gone" in caplog.text  # type: ignore[attr-defined]
    await markers.close()
