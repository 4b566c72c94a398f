"""The report dialog by keyboard and by mouse, and its evidence preview."""

from __future__ import annotations

import pytest
from modal_host import (
    HOSTILE,
    HOSTILE_VISIBLE,
    ModalHost,
    assert_no_controls,
    message,
    screen_text,
    tab_to,
)
from textual.widgets import Input

from tui_messenger.domain.models import MessageKind, ReportReason, TemplateCategory
from tui_messenger.tui.modals import ReportModal, ReportResult

SIZE = (120, 40)


def evidence():
    return [
        message(1, "Your account is locked."),
        message(2, "Confirm here: http://nordbank.example.evil", kind=MessageKind.BUTTONS),
        message(3, "Limited offer!", kind=MessageKind.TEMPLATE, category=TemplateCategory.MARKETING),
        message(4, "Send the code now"),
        message(5, "Last warning"),
    ]


async def test_report_by_keyboard_with_note_and_block() -> None:
    app = ModalHost(ReportModal("N0rdbank", evidence()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "report-reasons"
        await pilot.press("down", "enter")  # Scam or fraud
        await tab_to(pilot, "report-note")
        await pilot.press(*"fake")
        await tab_to(pilot, "report-and-block")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [ReportResult(reason=ReportReason.SCAM, note="fake", also_block=True)]


async def test_report_by_mouse_without_block() -> None:
    app = ModalHost(ReportModal("N0rdbank", evidence()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#report-reason-3")  # Impersonation
        await pilot.click("#report-note")
        # Long text is set, not typed (a key costs ~65 ms); the click proved the field takes focus.
        assert app.focused is app.screen.query_one("#report-note")
        app.screen.query_one("#report-note", Input).value = "  pretends to be Nordbank  "
        await pilot.click("#report-confirm")
        await pilot.pause()
    assert app.results == [
        ReportResult(reason=ReportReason.IMPERSONATION, note="pretends to be Nordbank", also_block=False)
    ]


async def test_report_cancel() -> None:
    app = ModalHost(ReportModal("N0rdbank", evidence()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#report-cancel")
        await pilot.pause()
        app.push_screen(ReportModal("N0rdbank", []), app.results.append)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None, None]


async def test_report_preview_shows_exactly_the_evidence() -> None:
    app = ModalHost(ReportModal("N0rdbank", evidence()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app.screen)
        assert "Report N0rdbank" in text
        assert "N0rdbank will not be notified." in text
        assert "Sent with the report: their last 5 messages" in text
        for index in range(1, 6):  # who and when, as the user knows them: no internal message ids
            assert f"N0rdbank · 2026-01-05 09:0{index}" in text
            assert f"wamid.{index:04d}" not in text
        assert "· buttons" in text
        assert "· template (marketing)" in text
        assert "Your account is locked." in text


async def test_report_hostile_name_note_and_evidence_are_literal() -> None:
    hostile_evidence = [message(1, HOSTILE), message(2, "ok\x1b[2J\x1b]8;;http://evil\x07link\x1b]8;;\x07")]
    app = ModalHost(ReportModal(HOSTILE, hostile_evidence))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#report-note", Input).value = HOSTILE
        await pilot.pause()
        text = screen_text(app.screen)
        for piece in HOSTILE_VISIBLE:
            assert piece in text
        assert "oklink" in text  # the OSC 8 hyperlink and the clear-screen are gone, the text stays
        assert_no_controls(app.screen)
        await pilot.click("#report-confirm")
        await pilot.pause()
    # A pasted note loses its terminal controls in the field itself; the words stay as typed.
    assert "\x1b" not in app.results[0].note and "[@click=app.quit]x[/]" in app.results[0].note


@pytest.mark.parametrize(
    ("count", "title"),
    [
        (0, "Sent with the report: no messages"),
        (1, "Sent with the report: their last message"),
        (2, "Sent with the report: their last 2 messages"),
    ],
)
async def test_report_says_in_words_what_goes_with_it(count: int, title: str) -> None:
    app = ModalHost(ReportModal("MegaDeals 24", evidence()[:count]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert title in screen_text(app.screen)
