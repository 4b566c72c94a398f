"""A restart with the same scenario on the same database sends nothing the world sends once a second time:
a `trigger = "start"` flow, a scheduled message, a marketer's promotion, a person's first words."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from service_helpers import START, until

from tui_messenger.bootstrap import build_messenger
from tui_messenger.domain.clock import ManualClock
from tui_messenger.domain.stop_words import REFUSAL_SENDER
from tui_messenger.services.service import MessengerService
from tui_messenger.store.database import open_database
from tui_messenger.transport.fake import FakePeer, parse_world

WORLD = """
[scenario]
name = "restart"

[[accounts]]
id = "power"
display_name = "City Power"
kind = "business"
verified = true
opt_in = "app"
bot = "marketer"
every = "10m"

[[accounts.promotions]]
template = "green"
category = "marketing"
text = "Switch to green power"

[[accounts]]
id = "anna"
display_name = "Anna"
contact = true
writes_first = 1.0

[[scheduled]]
from = "anna"
at = "20m"
text = "Saturday still on?"

[[accounts]]
id = "shop"
display_name = "Shop"
kind = "business"
bot = "silent"

[[scheduled]]
from = "shop"
at = "30m"
template = "sale"
category = "marketing"
text = "Big sale today"

[[flows]]
id = "bill"
business = "power"
trigger = "start"

[[flows.steps]]
id = "remind"
template = "bill_reminder"
category = "utility"
text = "Your bill of EUR 80.00 is due on Friday."
buttons = [{ id = "pay", title = "Pay now" }]
branches = [{ choice = "pay", goto = "thanks" }]

[[flows.steps]]
id = "thanks"
text = "Thank you."
end = true
"""
ONCE = ("Your bill of EUR 80.00 is due on Friday.", "Switch to green power", "Saturday still on?")


async def run_once(db_path, clock: ManualClock, *, forgetful: bool = False) -> None:
    """One run of the app: sync, an hour of virtual time, quit. A `forgetful` network is not told what the
    database holds (as after a crash between its send and the client's store): it sends all again."""
    db = open_database(db_path)
    try:
        if forgetful:
            peer = FakePeer(parse_world(WORLD), clock=clock)
            service = MessengerService(db, peer, clock=clock, user_id=peer.user_id)
        else:
            service = build_messenger(db, parse_world(WORLD), clock=clock)
        await service.start()
        await until(service, lambda: service.settings.sync_token() is not None and service.idle)
        await service.jump_ahead(3600)
        await until(service, lambda: service.idle)
        await service.stop()
    finally:
        db.close()


def rows(db_path, body: str) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT COUNT(*) FROM messages WHERE body = ?", (body,)).fetchone()[0]


def openers(db_path) -> int:
    with sqlite3.connect(db_path) as conn:
        query = "SELECT COUNT(*) FROM messages WHERE sender_id = 'anna' AND body != ?"
        return conn.execute(query, (ONCE[2],)).fetchone()[0]


def refusals(db_path) -> int:
    with sqlite3.connect(db_path) as conn:
        query = "SELECT COUNT(*) FROM messages WHERE sender_id = ? AND error_code IS NOT NULL"
        return conn.execute(query, (REFUSAL_SENDER,)).fetchone()[0]


async def test_three_runs_deliver_each_once_sent_message_once(db_path) -> None:
    for run in range(3):
        await run_once(db_path, ManualClock(START + timedelta(hours=2 * run)))
        assert [rows(db_path, body) for body in ONCE] == [1, 1, 1], f"after run {run + 1}"
        assert openers(db_path) == 1
        # the shop's template (no opt-in) is refused in every run, and stored, and counted, once
        assert refusals(db_path) == 1, f"after run {run + 1}"
        assert rows(db_path, "Big sale today") == 0


async def test_a_message_sent_again_keeps_its_id_and_is_stored_once(db_path) -> None:
    await run_once(db_path, ManualClock(START))
    await run_once(db_path, ManualClock(START + timedelta(hours=2)), forgetful=True)
    assert [rows(db_path, body) for body in ONCE] == [1, 1, 1]
    assert openers(db_path) == 1
    assert refusals(db_path) == 1  # refused again by a network started at another time: the same line


async def test_a_prompt_of_an_earlier_run_answered_after_a_restart_goes_on_with_its_flow(db_path) -> None:
    """The bill reminder came in the first run; the user taps "Pay now" in the next one. The fake network
    keeps no flow's place across runs: the step that offers the choice takes it again (before, the tap
    went unanswered, the flow lost)."""
    await run_once(db_path, ManualClock(START))
    db = open_database(db_path)
    try:
        service = build_messenger(db, parse_world(WORLD), clock=ManualClock(START + timedelta(hours=2)))
        await service.start()
        await until(service, lambda: service.idle)
        chat = await service.chat_for_account("power")
        assert chat is not None
        page = await service.latest_page(chat.chat.id, limit=50)
        reminder = next(m for m in page if m.body == ONCE[0])
        await service.send_choice(chat.chat.id, reminder, "pay")
        await service.jump_ahead(60)
        await until(service, lambda: service.idle)
        await service.stop()
    finally:
        db.close()
    assert rows(db_path, "Thank you.") == 1
