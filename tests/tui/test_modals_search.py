"""Global search: results as you type, Enter or click returns the hit; the query is data."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from modal_host import HOSTILE, HOSTILE_VISIBLE, T0, ModalHost, assert_no_controls, message, screen_text
from textual.pilot import Pilot
from textual.widgets import Input

from tui_messenger.domain.models import SearchHit
from tui_messenger.tui.modals import SearchModal, SearchResult

SIZE = (120, 40)
HITS = [
    SearchHit(message(7, "Your invoice is ready", chat_id=3), "Nordbank"),
    SearchHit(
        replace(message(2, "Old invoice attached", chat_id=5), sent_at=T0 - timedelta(days=30)), "Anna"
    ),
]


class StubSearch:
    """Stands in for the Messenger: records queries, answers from a fixed list, or fails."""

    def __init__(self, hits: list[SearchHit], *, fail: bool = False) -> None:
        self.hits = hits
        self.fail = fail
        self.queries: list[str] = []

    async def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        self.queries.append(query)
        if self.fail:
            raise RuntimeError('fts5: syntax error near "["')
        return [hit for hit in self.hits if query.lower() in hit.message.body.lower()][:limit]


def modal(source: StubSearch) -> SearchModal:
    # No debounce and a fixed "now": the test waits for the worker instead of sleeping.
    return SearchModal(source, debounce=0, now=lambda: T0 + timedelta(hours=1))


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_type_then_enter_returns_first_hit(utc: None) -> None:
    source = StubSearch(HITS)
    app = ModalHost(modal(source))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "search-query"
        await pilot.press(*"invoice")
        await settle(pilot)
        text = screen_text(app.screen)
        assert "2 messages" in text
        assert "Nordbank  09:07" in text and "Your invoice is ready" in text
        assert "Anna  06.12.25" in text
        assert source.queries[-1] == "invoice"
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [SearchResult(chat_id=3, message_id="wamid.0007")]


async def test_arrow_down_into_results_and_choose_second() -> None:
    app = ModalHost(modal(StubSearch(HITS)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#search-query", Input).value = "invoice"
        await settle(pilot)
        await pilot.press("down")  # from the query into the results
        assert app.focused is not None and app.focused.id == "search-results"
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.results == [SearchResult(chat_id=5, message_id="wamid.0002")]


async def test_click_on_a_hit_returns_it() -> None:
    app = ModalHost(modal(StubSearch(HITS)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#search-query")
        app.screen.query_one("#search-query", Input).value = "old"
        await settle(pilot)
        await pilot.click("#search-results", offset=(4, 1))
        await pilot.pause()
    assert app.results == [SearchResult(chat_id=5, message_id="wamid.0002")]


async def test_no_hits_and_empty_query() -> None:
    app = ModalHost(modal(StubSearch(HITS)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#search-query", Input)
        field.value = "zebra"
        await settle(pilot)
        assert "No messages found." in screen_text(app.screen)
        await pilot.press("enter")  # nothing to open: the dialog stays
        await pilot.pause()
        assert app.results == []
        field.value = ""
        await settle(pilot)
        assert "Type to search all chats." in screen_text(app.screen)
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_hostile_query_and_failing_search_never_raise() -> None:
    source = StubSearch(HITS, fail=True)
    app = ModalHost(modal(source))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#search-query", Input).value = HOSTILE
        await settle(pilot)
        text = screen_text(app.screen)
        assert "Search failed" in text
        for piece in HOSTILE_VISIBLE:
            assert piece in text
        assert_no_controls(app.screen)
        assert app.is_running
    # The query reached the service without its terminal controls, the rest as typed.
    assert source.queries and "\x1b" not in source.queries[-1]
    assert "[@click=app.quit]x[/]" in source.queries[-1]


async def test_hostile_hits_are_literal() -> None:
    hostile = [SearchHit(message(1, f"invoice {HOSTILE}\nsecond line", chat_id=9), HOSTILE)]
    app = ModalHost(modal(StubSearch(hostile)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#search-query", Input).value = "invoice"
        await settle(pilot)
        text = screen_text(app.screen)
        for piece in HOSTILE_VISIBLE:
            assert piece in text
        assert_no_controls(app.screen)
        await pilot.click("#search-results", offset=(4, 1))  # the [@click=...] in the hit is not an action
        await pilot.pause()
    assert app.results == [SearchResult(chat_id=9, message_id="wamid.0001")]
