"""Global message search: results as you type, Enter or a click opens the chat at the hit.

The query is data: it goes to `search()` as typed (the service makes it safe for FTS), and a failing
search shows a line in the dialog instead of raising.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui_messenger.domain.models import SearchHit
from tui_messenger.tui.modals.base import DialogModal, SafeInput, as_content
from tui_messenger.tui.safe import safe_name, safe_preview

# The chat list's own time format, so a hit reads like the row it opens.
from tui_messenger.tui.widgets.timefmt import list_time
from tui_messenger.tui.workers import worker

SNIPPET_WIDTH = 76
QUERY_MAX_LENGTH = 200


class SearchSource(Protocol):
    """The part of `Messenger` this dialog needs (tests pass a stub)."""

    async def search(self, query: str, *, limit: int = 50) -> list[SearchHit]: ...


@dataclass(frozen=True, slots=True)
class SearchResult:
    chat_id: int
    message_id: str


def hit_prompt(hit: SearchHit, now: datetime) -> Content:
    title = safe_name(hit.chat_title)
    header = Content.assemble((title.plain, "bold"), "  ", (list_time(hit.message.sent_at, now), "dim"))
    snippet = safe_preview(hit.message.body, SNIPPET_WIDTH)
    return Content.assemble(header, "\n", snippet)


class SearchModal(DialogModal[SearchResult]):
    """Search all chats. Dismisses with the chosen hit's (chat_id, message_id), or None on Escape."""

    BINDINGS = [Binding("down", "focus_results", "Results", show=False, id="search-results")]

    DEFAULT_CSS = """
    SearchModal > #dialog {
        width: 88;
    }
    SearchModal #search-results {
        height: auto;
        max-height: 24;
        margin-top: 1;
    }
    SearchModal #search-status {
        margin-top: 1;
    }
    """

    class ResultsReady(Message):
        """A search finished (posted by the worker; the handler updates the list)."""

        def __init__(self, query: str, hits: Sequence[SearchHit], error: str | None = None) -> None:
            super().__init__()
            self.query = query
            self.hits = list(hits)
            self.error = error

    def __init__(
        self,
        source: SearchSource,
        *,
        debounce: float = 0.25,
        limit: int = 50,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self._source = source
        self._debounce = debounce
        self._limit = limit
        self._now = now or (lambda: datetime.now().astimezone())
        self._hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(as_content("Search messages"), id="dialog-title")
            yield SafeInput(placeholder="Search all chats", max_length=QUERY_MAX_LENGTH, id="search-query")
            yield Static(as_content("Type to search all chats."), classes="hint", id="search-status")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one("#search-results", OptionList).display = False
        self.query_one("#search-query", Input).focus()

    @on(Input.Changed, "#search-query")
    def _query_changed(self, event: Input.Changed) -> None:
        query = event.value.strip()
        if not query:
            self.workers.cancel_group(self, "search")
            self._show([], "Type to search all chats.")
            return
        self.query_one("#search-status", Static).update(as_content("Searching…"))
        self._search(query)

    @worker(group="search", exclusive=True)
    async def _search(self, query: str) -> None:
        # Exclusive: each keystroke cancels the previous worker while it sleeps, so only a pause in
        # typing reaches the store.
        if self._debounce > 0:
            await asyncio.sleep(self._debounce)
        try:
            hits = await self._source.search(query, limit=self._limit)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # any failure of the service is shown, never raised into the UI
            self.post_message(self.ResultsReady(query, [], error=f"Search failed: {error}"))
            return
        self.post_message(self.ResultsReady(query, hits))

    @on(ResultsReady)
    def _results_ready(self, event: ResultsReady) -> None:
        if event.query != self.query_one("#search-query", Input).value.strip():
            return  # an answer to an older query that finished late
        if event.error:
            self._show([], event.error)
            return
        count = len(event.hits)
        status = "No messages found." if not count else f"{count} message{'s' if count != 1 else ''}"
        self._show(event.hits, status)

    def _show(self, hits: list[SearchHit], status: str) -> None:
        self._hits = hits
        now = self._now()
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        results.add_options(Option(hit_prompt(hit, now)) for hit in hits)
        results.display = bool(hits)
        if hits:
            results.highlighted = 0
        self.query_one("#search-status", Static).update(as_content(status))

    def action_focus_results(self) -> None:
        if self._hits:
            self.query_one("#search-results", OptionList).focus()

    @on(Input.Submitted, "#search-query")
    def _submitted(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if self._hits:
            self._choose(results.highlighted or 0)

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, index: int) -> None:
        if 0 <= index < len(self._hits):
            message = self._hits[index].message
            self.dismiss(SearchResult(chat_id=message.chat_id, message_id=message.message_id))
