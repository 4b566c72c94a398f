"""Consent as users mean it: STOP stops promotions, says so in the chat, is no reply and no opt-in; the
network refuses the next promotion (131050) and testers see the refusal in the chat."""

from __future__ import annotations

import pytest
from service_helpers import business, directory, settle, template, until

from tui_messenger.domain.clock import ManualClock
from tui_messenger.domain.models import ConsentSource, MessageKind
from tui_messenger.domain.stop_words import is_stop_reply, is_stop_word
from tui_messenger.services.service import MessengerService
from tui_messenger.transport import wire
from tui_messenger.transport.fake import FakePeer

DAY = 86_400.0


@pytest.mark.parametrize(
    "text", ["STOP", "stop", " Stop! ", "UNSUBSCRIBE", "unsubscribe.", "STOPP", "«stop»"]
)
def test_stop_words(text: str) -> None:
    assert is_stop_word(text)


@pytest.mark.parametrize("text", ["stop it now", "don't stop", "stopped", "STOP STOP", "", "please"])
def test_not_stop_words(text: str) -> None:
    assert not is_stop_word(text)


def test_stop_promotions_quick_reply() -> None:
    assert is_stop_reply("Stop promotions") and is_stop_reply("STOP") and not is_stop_reply("Shop now")
    assert is_stop_reply(" stop  PROMOTIONS. ") and not is_stop_reply("stop promotions please")
    assert is_stop_reply("Opt out")


async def _world(db, clock: ManualClock) -> tuple[MessengerService, FakePeer]:
    peer = FakePeer.for_scenario("default", clock=clock)
    service = MessengerService(db, peer, clock=clock, user_id=peer.user_id)
    await service.start()
    await until(service, lambda: service.settings.sync_token() is not None and service.idle)
    return service, peer


async def _quiet(service: MessengerService) -> None:
    await until(service, lambda: service.outbox_repo.all() == [] and service.idle)


async def test_stop_to_megadeals_stops_promotions_and_is_no_reply(db) -> None:
    clock = ManualClock()
    service, peer = await _world(db, clock)
    await service.jump_ahead(DAY)
    await until(service, lambda: service.idle)
    chat = await service.chat_for_account("megadeals")
    assert chat is not None and chat.chat.is_request
    before = await service.consent("megadeals")

    await service.send_text(chat.chat.id, "STOP")
    await _quiet(service)

    consent = await service.consent("megadeals")
    assert consent.marketing_stopped
    assert (consent.opted_in, consent.source) == (before.opted_in, before.source)  # no "you wrote first"
    assert consent.source is not ConsentSource.USER_MESSAGE
    assert (await service.summary(chat.chat.id)).chat.is_request  # a STOP accepts no request
    page = await service.latest_page(chat.chat.id)
    stop = next(n for n, m in enumerate(page) if m.outgoing and m.body == "STOP")
    line = page[stop + 1]  # the line right after the STOP says what it did
    assert line.kind is MessageKind.SYSTEM
    assert line.body == "You stopped promotions from MegaDeals 24. They can still send you service messages."
    assert peer.consent.marketing_stopped("megadeals", peer.user_id)  # the network knows it too

    # The marketer tries again: the network refuses it (131050) and the tester sees that in the chat.
    await service.jump_ahead(60)  # (the retry loops move the manual clock too: it may be in already)
    await until(service, lambda: service.idle)
    assert [e.code for e in peer.failures()] == [wire.ERROR_MARKETING_STOPPED]
    (refusal,) = [m for m in await service.latest_page(chat.chat.id) if m.error_code]
    assert refusal.kind is MessageKind.SYSTEM and refusal.error_code == wire.ERROR_MARKETING_STOPPED
    assert refusal.body.startswith("Refused by the platform (131050):")
    assert refusal.sender_id != "megadeals"  # the network's line, never the business's message
    after = (await service.summary(chat.chat.id)).chat
    assert after.last_preview == "STOP"  # a line, not a message
    await service.stop()


async def test_refusals_hidden_when_testers_do_not_ask(db) -> None:
    clock = ManualClock()
    service, _ = await _world(db, clock)
    service.show_refusals = False
    chat = await service.chat_for_account("megadeals")
    await service.send_text(chat.chat.id, "unsubscribe")
    await service.jump_ahead(60)
    await until(service, lambda: service.idle)
    page = await service.latest_page(chat.chat.id)
    assert not any(m.error_code for m in page)
    service.show_refusals = True
    assert (await service.latest_page(chat.chat.id))[-1].error_code == wire.ERROR_MARKETING_STOPPED
    await service.stop()


async def test_answering_the_impersonator_opts_in_to_nothing(db) -> None:
    clock = ManualClock()
    service, _ = await _world(db, clock)
    chat = await service.chat_for_account("nordbank-support")
    before = await service.consent("nordbank-support")
    await service.send_text(chat.chat.id, "who is this?")
    await _quiet(service)
    after = await service.consent("nordbank-support")
    assert (after.opted_in, after.source) == (before.opted_in, before.source)
    await service.stop()


async def test_writing_first_is_an_opt_in_answering_is_not(messenger, transport) -> None:
    transport.push(
        directory(business("first", opt_in=False), business("ads", opt_in=False)),
        template("a1", "ads", "SALE", category="marketing"),
    )
    await settle(messenger, transport)
    wrote_first = await messenger.open_chat("first")
    await messenger.send_text(wrote_first.chat.id, "hello")
    assert (await messenger.consent("first")).source is ConsentSource.USER_MESSAGE
    answered = await messenger.chat_for_account("ads")
    assert answered.chat.is_request
    await messenger.send_text(answered.chat.id, "what is this?")
    assert not (await messenger.consent("ads")).opted_in  # answering a business's message opts in to nothing
    assert not (await messenger.summary(answered.chat.id)).chat.is_request  # a real answer accepts it


async def test_stop_promotions_quick_reply_stops_too(db) -> None:
    clock = ManualClock()
    service, peer = await _world(db, clock)
    await service.jump_ahead(3600)
    await until(service, lambda: service.idle)
    chat = await service.chat_for_account("megadeals")
    page = await service.latest_page(chat.chat.id)
    flash = next(
        m for m in reversed(page) if m.payload and "template" in m.payload and "Stop" in str(m.payload)
    )
    await service.send_choice(chat.chat.id, flash, "stop")
    await _quiet(service)
    assert (await service.consent("megadeals")).marketing_stopped
    lines = [m.body for m in await service.latest_page(chat.chat.id) if m.kind is MessageKind.SYSTEM]
    assert any(body.startswith("You stopped promotions from MegaDeals 24.") for body in lines)
    assert (await service.summary(chat.chat.id)).chat.is_request
    await service.stop()


async def test_typing_the_quick_reply_text_stops_too(messenger, transport) -> None:
    transport.push(directory(business("shop")), template("t1", "shop", "SALE", category="marketing"))
    await settle(messenger, transport)
    chat = await messenger.chat_for_account("shop")
    await messenger.send_text(chat.chat.id, "Stop promotions")
    assert (await messenger.consent("shop")).marketing_stopped
    (prefs,) = transport.sent_of(wire.UserPreferencesFrame)
    assert (prefs.to, prefs.marketing) == ("shop", "stop")


async def test_stop_to_a_person_is_just_a_message(messenger, transport) -> None:
    from service_helpers import person, text

    transport.push(directory(person("anna")), text("a1", "anna", "stop by later?"))
    await settle(messenger, transport)
    chat = await messenger.chat_for_account("anna")
    await messenger.send_text(chat.chat.id, "STOP")
    assert transport.sent_of(wire.UserPreferencesFrame) == []
    assert [m.kind for m in await messenger.latest_page(chat.chat.id)] == [MessageKind.TEXT, MessageKind.TEXT]


async def test_export_shows_the_stop_line_as_a_line_not_a_message(messenger, transport) -> None:
    from tui_messenger.services.export import export_frames, export_text

    transport.push(directory(business("shop")), template("t1", "shop", "SALE", category="marketing"))
    await settle(messenger, transport)
    chat = await messenger.chat_for_account("shop")
    await messenger.send_text(chat.chat.id, "stop")
    lines = [line async for line in export_text(messenger, chat.chat.id, title="Shop")]
    assert lines[-1].endswith(
        "--: You stopped promotions from Shop. They can still send you service messages."
    )
    frames = [wire.decode(f.encode()) async for f in export_frames(messenger, chat.chat.id, user_id="me",
                                                                    peer_id="shop")]  # fmt: skip
    line_id = next(f.id for f in frames if isinstance(f, wire.MessageFrame) and f.kind == "system")
    assert not any(isinstance(f, wire.StatusFrame) and f.message_id == line_id for f in frames)
