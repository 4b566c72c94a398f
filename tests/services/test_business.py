"""Consent (window, opt-in, marketing stop/resume), feedback and the quality rating."""

from __future__ import annotations

from datetime import timedelta

import pytest
from service_helpers import START, T0, business, directory, settle, template, text

from tui_messenger.domain.models import BlockReason, FeedbackKind, QualityRating, ReportReason
from tui_messenger.services import quality
from tui_messenger.services.errors import MessengerError
from tui_messenger.store.quality import BusinessFigures
from tui_messenger.transport import wire

HOUR = 3_600_000


async def test_window_opens_with_the_users_message_and_closes_after_24h(messenger, transport, clock) -> None:
    transport.push(directory(business("bank")))
    await settle(messenger, transport)
    assert not (await messenger.window("bank")).open
    chat = await messenger.open_chat("bank")
    await messenger.send_text(chat.chat.id, "help please")
    window = await messenger.window("bank")
    assert window.open and window.closes_at == START + timedelta(hours=24)
    clock.advance(23 * 3600)
    assert (await messenger.window("bank")).open
    clock.advance(3600)
    assert not (await messenger.window("bank")).open


async def test_free_form_outside_the_window_is_shown_as_a_request(messenger, transport) -> None:
    transport.push(directory(business("bank")))
    await settle(messenger, transport)
    chat = await messenger.open_chat("bank")
    await messenger.send_text(chat.chat.id, "hi")
    transport.push(text("b1", "bank", "inside the window", at=T0 + HOUR))
    await settle(messenger, transport)
    assert not (await messenger.summary(chat.chat.id)).chat.is_request
    transport.push(template("b2", "bank", "Your statement", category="utility", at=T0 + 30 * HOUR))
    await settle(messenger, transport)
    assert not (await messenger.summary(chat.chat.id)).chat.is_request  # opted-in utility template
    transport.push(text("b3", "bank", "free-form, window closed", at=T0 + 31 * HOUR))
    await settle(messenger, transport)
    assert (await messenger.summary(chat.chat.id)).chat.is_request


async def test_marketing_stop_and_resume(messenger, transport, clock) -> None:
    transport.push(directory(business("shop")), template("t1", "shop", "Welcome", category="utility"))
    await settle(messenger, transport)
    chat = await messenger.chat_for_account("shop")
    assert not chat.chat.is_request
    await messenger.set_marketing_stopped("shop", True)
    consent = await messenger.consent("shop")
    assert consent.marketing_stopped and consent.marketing_changed_at == START
    (prefs,) = transport.sent_of(wire.UserPreferencesFrame)
    assert (prefs.to, prefs.marketing) == ("shop", "stop")
    transport.push(template("t2", "shop", "Your code 123", category="authentication", at=T0 + 1))
    await settle(messenger, transport)
    assert not (await messenger.summary(chat.chat.id)).chat.is_request  # authentication continues
    transport.push(template("t3", "shop", "SALE", category="marketing", at=T0 + 2))
    await settle(messenger, transport)
    assert (await messenger.summary(chat.chat.id)).chat.is_request  # slipped through: a request
    await messenger.accept_request(chat.chat.id)
    clock.advance(60)
    await messenger.set_marketing_stopped("shop", False)
    consent = await messenger.consent("shop")
    assert not consent.marketing_stopped and consent.marketing_changed_at == START + timedelta(seconds=60)
    assert [f.marketing for f in transport.sent_of(wire.UserPreferencesFrame)] == ["stop", "resume"]
    transport.push(template("t4", "shop", "SALE again", category="marketing", at=T0 + 3))
    await settle(messenger, transport)
    assert not (await messenger.summary(chat.chat.id)).chat.is_request


async def test_preference_made_offline_is_sent_on_reconnect(messenger, transport) -> None:
    from service_helpers import until

    transport.push(directory(business("shop")))
    await settle(messenger, transport)
    transport.refuse_connect = 1
    transport.disconnect()
    await until(messenger, lambda: transport.refuse_connect == 0 and messenger.clock.sleeping == 1)
    await messenger.set_marketing_stopped("shop", True)
    assert transport.sent_of(wire.UserPreferencesFrame) == []
    messenger.clock.advance(1)  # the reconnect backoff
    await until(messenger, lambda: len(transport.sent_of(wire.UserPreferencesFrame)) == 1)


async def test_template_from_business_without_opt_in_is_a_request(messenger, transport) -> None:
    transport.push(
        directory(business("ads", opt_in=False)), template("a1", "ads", "Hi!", category="marketing")
    )
    await settle(messenger, transport)
    assert (await messenger.chat_for_account("ads")).chat.is_request


async def test_feedback_and_quality(messenger, transport) -> None:
    transport.push(
        directory(business("bank"), business("ads", verified=False)),
        *[template(f"b{i}", "bank", "statement", at=T0 + i) for i in range(20)],
        *[template(f"a{i}", "ads", "promo", category="marketing", at=T0 + i) for i in range(4)],
    )
    await settle(messenger, transport)
    await messenger.give_feedback("b0", FeedbackKind.USEFUL)
    await messenger.give_feedback("a0", FeedbackKind.SPAM)
    assert await messenger.feedback_for(["b0", "a0", "zz"]) == {
        "b0": FeedbackKind.USEFUL,
        "a0": FeedbackKind.SPAM,
    }
    await messenger.report("ads", ReportReason.SPAM, also_block=True)
    reports = {r.business_id: r for r in await messenger.quality()}
    assert reports["bank"].rating is QualityRating.GREEN and reports["bank"].useful_feedback == 1
    ads = reports["ads"]
    assert (ads.delivered, ads.blocks, ads.reports, ads.negative_feedback) == (4, 1, 1, 1)
    assert ads.rating is QualityRating.RED and ads.block_reasons == {BlockReason.SPAM.value: 1}
    with pytest.raises(MessengerError):
        await messenger.give_feedback("nope", FeedbackKind.SPAM)


@pytest.mark.parametrize(
    ("negative", "delivered", "rating"),
    [(0, 0, "green"), (0, 100, "green"), (4, 100, "green"), (5, 100, "yellow"), (14, 100, "yellow"),
     (15, 100, "red"), (1, 0, "red"), (1, 5, "red")],
)  # fmt: skip
def test_quality_thresholds(negative: int, delivered: int, rating: str) -> None:
    assert quality.rate(negative, delivered) is QualityRating(rating)
    figures = BusinessFigures("b", delivered, blocks=negative, reports=0, not_interested=0, spam=0, useful=0)
    assert quality.report(figures).rating is QualityRating(rating)


async def test_jump_ahead_moves_the_clock_without_a_network_jump(messenger, clock) -> None:
    await messenger.jump_ahead(3600)
    assert clock.now() == START + timedelta(hours=1)
