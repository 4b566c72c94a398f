"""The business side of consent: 131047 outside the window, 131050 after stop, opt-in, the tier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tui_messenger.transport import wire
from tui_messenger.transport.fake.consent import ConsentLedger
from tui_messenger.transport.fake.world import MessageSpec

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def ledger() -> ConsentLedger:
    book = ConsentLedger()
    book.register("shop", tier_limit=250)
    book.opt_in("shop", "me")
    return book


def test_free_form_only_inside_the_window() -> None:
    book = ledger()
    assert book.check("shop", "me", template_category=None, now=T0) == wire.ERROR_OUTSIDE_WINDOW
    book.user_messaged("shop", "me", T0)
    assert book.check("shop", "me", template_category=None, now=T0 + timedelta(hours=23, minutes=59)) is None
    assert book.check("shop", "me", template_category=None, now=T0 + timedelta(hours=24)) == 131047
    assert book.check("shop", "me", template_category="utility", now=T0 + timedelta(hours=24)) is None


def test_marketing_stop_and_resume() -> None:
    book = ledger()
    book.user_messaged("shop", "me", T0)
    book.set_marketing("shop", "me", stopped=True)
    assert book.check("shop", "me", template_category="marketing", now=T0) == wire.ERROR_MARKETING_STOPPED
    assert book.check("shop", "me", template_category="utility", now=T0) is None
    assert book.check("shop", "me", template_category="authentication", now=T0) is None
    book.set_marketing("shop", "me", stopped=False)
    assert book.check("shop", "me", template_category="marketing", now=T0) is None


def test_business_initiated_templates_need_an_opt_in() -> None:
    book = ConsentLedger()
    book.register("spam")
    assert book.check("spam", "me", template_category="marketing", now=T0) == wire.ERROR_NO_OPT_IN
    book.user_messaged("spam", "me", T0)  # inside the window the user opened, no opt-in is needed
    assert book.check("spam", "me", template_category="marketing", now=T0) is None


def test_tier_limits_distinct_users_reached_outside_the_window_per_day() -> None:
    book = ConsentLedger()
    book.register("shop", tier_limit=250)
    users = [f"user{n}" for n in range(251)]
    for user in users:
        book.opt_in("shop", user)
    for user in users[:250]:
        assert book.check("shop", user, template_category="utility", now=T0) is None
    assert book.check("shop", users[250], template_category="utility", now=T0) == wire.ERROR_TIER_LIMIT
    assert book.check("shop", users[0], template_category="utility", now=T0) is None  # already reached
    book.user_messaged("shop", users[250], T0)  # a user's own message is not limited by the tier
    assert book.check("shop", users[250], template_category=None, now=T0) is None
    two_days_later = T0 + timedelta(hours=48)  # the window is closed again and the tier period is over
    assert book.check("shop", users[250], template_category="utility", now=two_days_later) is None


async def test_peer_refuses_and_logs_but_never_delivers(tiny, peer_for, client_cls) -> None:
    peer = peer_for(tiny)
    client = client_cls(peer)
    await peer.connect("me")
    await client.settle()
    assert peer.push_text("shop", "Free-form, outside the window") is None  # 131047
    await client.settle()
    assert client.bodies("shop") == []
    assert [e.code for e in peer.failures()] == [131047]


async def test_window_opened_by_the_user_then_closed_by_a_jump(tiny, peer_for, client_cls) -> None:
    peer = peer_for(tiny)
    client = client_cls(peer)
    await peer.connect("me")
    await client.settle()
    hello = wire.MessageFrame(
        id="c.1", sender="me", to="shop", timestamp=0, kind="text",
        text=wire.TextContent(body="hello?"), client_txn_id="t.1",
    )  # fmt: skip
    await peer.send(wire.encode(hello))
    await client.settle()
    assert client.bodies("shop") == ["Thanks, we will get back to you."]  # the auto-reply, inside the window
    await peer.jump(24 * 3600)
    assert peer.push_text("shop", "Are you still there?") is None
    assert peer.failures()[-1].code == wire.ERROR_OUTSIDE_WINDOW
    await client.settle()
    assert client.bodies("shop") == ["Thanks, we will get back to you."]


async def test_marketing_stop_from_the_client(tiny, peer_for, client_cls) -> None:
    peer = peer_for(tiny)
    client = client_cls(peer)
    await peer.connect("me")
    stop = wire.UserPreferencesFrame(sender="me", to="ads", marketing="stop", timestamp=0)
    await peer.send(wire.encode(stop))
    spec = MessageSpec(text="SALE", template="sale", category="marketing")
    assert peer.post("ads", spec) is None
    assert peer.failures()[-1].code == wire.ERROR_MARKETING_STOPPED
    resume = wire.UserPreferencesFrame(sender="me", to="ads", marketing="resume", timestamp=0)
    await peer.send(wire.encode(resume))
    assert peer.post("ads", spec) is not None
    await client.settle()
    assert client.bodies("ads") == ["SALE"]
