"""The chat list: filter tabs with counts, a filter box, the rows, and the archived chats entry.

It shows what it is given (`show`) and posts what the user asked for; the screen fetches and flags.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static, Tab, Tabs
from textual.widgets.option_list import Option

from tui_messenger.domain.models import ChatFilter, ChatSummary
from tui_messenger.tui.safe import safe_name
from tui_messenger.tui.widgets.chat_row import LazyRow, archived_row, back_row, row_lines
from tui_messenger.tui.widgets.textual_private import FastOptionList

ARCHIVED_ID = "archived"
IN_PLACE_MAX = 16  # rows replaced one by one at most; more are set again at once
BACK_ID = "back"


class ChatOptions(FastOptionList):
    """The rows; the flag keys live here so the footer shows them only when the list has focus."""

    BINDINGS = [
        # OptionList's own keys, here with ids and words for the help screen and `[keys]`.
        Binding("down", "cursor_down", "Next chat", show=False, id="chat-next"),
        Binding("up", "cursor_up", "Previous chat", show=False, id="chat-previous"),
        Binding("enter", "select", "Open chat", show=False, id="chat-open"),
        Binding("p", "flag('pin')", "Pin", id="chat-pin"),
        Binding("m", "flag('mute')", "Mute", id="chat-mute"),
        Binding("a", "flag('archive')", "Archive", id="chat-archive"),
        Binding("u", "flag('unread')", "Unread", id="chat-unread"),
    ]

    def action_select(self) -> None:
        if self.highlighted is None and self.option_count:  # Enter before any arrow key: the top chat
            self.highlighted = 0
        super().action_select()

    def action_flag(self, flag: str) -> None:
        option = self.highlighted_option
        if option is not None and option.id and option.id.isdigit():
            self.post_message(ChatList.FlagRequested(int(option.id), flag))


class ChatList(Vertical):
    BINDINGS = [
        Binding("escape", "clear_filter", "Clear or leave the filter", show=False, id="chat-filter-clear"),
        Binding("n", "app.new_chat", "New chat", id="chat-new"),
    ]

    class ChatChosen(Message):
        def __init__(self, chat_id: int) -> None:
            super().__init__()
            self.chat_id = chat_id

    class FlagRequested(Message):
        """Pin, mute, archive or mark unread (`flag`) toggled on a chat."""

        def __init__(self, chat_id: int, flag: str) -> None:
            super().__init__()
            self.chat_id = chat_id
            self.flag = flag

    class ViewChanged(Message):
        """The filter tab, the filter text or the archived view changed: fetch the rows again."""

        def __init__(self, filter: ChatFilter, query: str, archived: bool) -> None:
            super().__init__()
            self.filter = filter
            self.query = query
            self.archived = archived

    def __init__(self, *, now: Callable[[], datetime] | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self._now = now or (lambda: datetime.now(UTC))
        self._rows: list[ChatSummary] = []
        self._by_id: dict[int, ChatSummary] = {}
        self._archived_count = (0, 0)
        self._special: dict[tuple[str, int, int], Option] = {}  # the archived / back rows
        # The rows last shown per tab (and archived view), without a filter text: a tab switch shows them
        # at once, and the screen's refetch then corrects them in place if anything changed meanwhile.
        self._views: dict[tuple[ChatFilter, bool], tuple[list[ChatSummary], tuple[int, int]]] = {}
        self._option_cache: dict[int, tuple[tuple[ChatSummary, int, datetime], Option]] = {}
        self.filter = ChatFilter.ALL
        self.archived = False
        self._current_chat: int | None = None

    def compose(self) -> ComposeResult:
        yield Tabs(
            *[Tab(Content(f.value), id=f"filter-{f.name.lower()}") for f in ChatFilter], id="chat-filters"
        )
        yield Input(placeholder="Search chats", id="chat-filter-input")
        yield Static(id="chat-list-empty")  # shown when a view has no rows: what to do instead
        yield ChatOptions(id="chat-options")

    @property
    def filter_text(self) -> str:
        return self.query_one("#chat-filter-input", Input).value

    @property
    def summaries(self) -> Sequence[ChatSummary]:
        return self._rows

    def summary(self, chat_id: int) -> ChatSummary | None:
        return self._by_id.get(chat_id)

    @property
    def current_chat(self) -> int | None:
        """The open chat: its row is the highlighted one (opened from the palette or a search too)."""
        return self._current_chat

    @current_chat.setter
    def current_chat(self, chat_id: int | None) -> None:
        self._current_chat = chat_id
        if self.is_mounted:
            self._highlight_current(self.query_one(ChatOptions))

    def _highlight_current(self, options: ChatOptions) -> bool:
        """Highlight the open chat's row; False if it is not in this view."""
        if self._current_chat is None:
            return False
        try:
            index = options.get_option_index(str(self._current_chat))
        except Exception:  # the open chat is not in this view (archived, filtered out, not fetched yet)
            return False
        options.highlighted = index
        return True

    def _row_width(self) -> int:
        """The width the rows will be shown at: without or with a vertical scrollbar as they fit or not.
        Textual shows the scrollbar only after the rows are set; fitting them to the width before that
        built all 200 rows twice on each switch to a long tab (and their cache missed every time)."""
        options = self.query_one(ChatOptions)
        region = options.scrollable_content_region
        if region.width <= 10:
            return 34
        bar = options.styles.scrollbar_size_vertical
        full = region.width + (bar if options.show_vertical_scrollbar else 0)
        lines = sum(row_lines(r) for r in self._rows) + 1  # + the archived row
        return full - (bar if lines > region.height else 0) - 2

    def show(self, rows: Sequence[ChatSummary], *, archived_count: int = 0, archived_unread: int = 0) -> None:
        """Replace the rows, keeping the highlighted chat where it is."""
        self._rows = list(rows)
        self._by_id = {r.chat.id: r for r in self._rows}
        self._archived_count = (archived_count, archived_unread)
        if not self.filter_text:
            self._views[(self.filter, self.archived)] = (self._rows, self._archived_count)
        self._render_rows()

    def update_row(self, summary: ChatSummary) -> bool:
        """Replace one row in place; False if it is not shown (the caller refetches the order).

        Only that row's prompt changes: the other rows keep their content and measured heights."""
        chat_id = summary.chat.id
        if chat_id not in self._by_id:
            return False
        self._rows = [summary if r.chat.id == chat_id else r for r in self._rows]
        self._by_id[chat_id] = summary
        for view, (rows, counts) in list(self._views.items()):  # the other tabs show it right, too
            self._views[view] = ([summary if r.chat.id == chat_id else r for r in rows], counts)
        options = self.query_one(ChatOptions)
        option = self._option(summary, self._row_width(), self._minute())
        try:
            index = options.get_option_index(str(chat_id))
        except Exception:  # not rendered yet
            self._render_rows()
            return True
        shown = options.options[index]
        if shown is not option:
            options.replace_option_prompt_at_index(index, option.prompt)
            self._option_cache[chat_id] = (self._option_cache[chat_id][0], shown)
        return True

    def _minute(self) -> datetime:
        return self._now().replace(second=0, microsecond=0)

    def _option(self, summary: ChatSummary, width: int, minute: datetime) -> Option:
        """The row's option, built again only when the summary, the width or the minute changed (a tab
        switch shows the same rows again: no row is laid out or measured twice)."""
        key = (summary, width, minute)
        cached = self._option_cache.get(summary.chat.id)
        if cached is not None and cached[0] == key:
            return cached[1]
        option = Option(LazyRow(summary, width, minute), id=str(summary.chat.id))
        self._option_cache[summary.chat.id] = (key, option)
        return option

    def _special_row(self, option_id: str) -> Option:
        count, unread = self._archived_count if option_id == ARCHIVED_ID else (0, 0)
        key = (option_id, count, unread)
        option = self._special.get(key)
        if option is None:
            prompt = back_row() if option_id == BACK_ID else archived_row(count, unread)
            option = self._special[key] = Option(prompt, id=option_id)
            if len(self._special) > 64:
                self._special = {key: option}
        return option

    def _render_rows(self) -> None:
        options = self.query_one(ChatOptions)
        highlighted = options.highlighted_option.id if options.highlighted_option else None
        width, minute = self._row_width(), self._minute()
        items: list[Option] = []
        if self.archived:
            items.append(self._special_row(BACK_ID))
        elif self._archived_count[0]:
            items.append(self._special_row(ARCHIVED_ID))
        items.extend(self._option(s, width, minute) for s in self._rows)
        self._say_empty(not items)
        if len(self._option_cache) > 4 * max(len(self._rows), 256):
            keep = {s.chat.id for s in self._rows}
            self._option_cache = {k: v for k, v in self._option_cache.items() if k in keep}
        # The highlight shows the open chat, unless the user is moving it in the focused list: a refetch
        # (a new message, a tab switch) then leaves it where they put it.
        moving = options.has_focus and highlighted is not None
        if self._update_in_place(options, items):
            # the same chats in the same order: the rows changed in place and the scroll stays
            if not moving:
                self._highlight_current(options)
            return
        options.set_options(items)
        if not moving and self._highlight_current(options):
            return
        if highlighted is not None:
            try:
                options.highlighted = options.get_option_index(highlighted)
            except Exception:  # the chat left this view (archived, filtered out)
                options.highlighted = 0 if items else None

    def _say_empty(self, empty: bool) -> None:
        """An empty view says why (a new account has no chat yet; a filter matched none); never before
        the first rows came, so a slow first fetch does not flash "No chats yet"."""
        self.set_class(empty, "-empty")
        if not empty:
            return
        typed = self.filter_text
        if typed:
            hint = Content.assemble("No chat matches “", safe_name(typed.strip(), 40), "”.")
        elif self.archived:
            hint = Content("No archived chats.")
        elif self.filter is ChatFilter.ALL:
            hint = Content("No chats yet. Press n to start one.")
        else:
            hint = Content(f"No {self.filter.value.lower()} chats.")
        self.query_one("#chat-list-empty", Static).update(hint)

    def _update_in_place(self, options: ChatOptions, items: list[Option]) -> bool:
        """The list refetched while nothing moved (most of a burst: one chat's preview and count change):
        replace the prompts that changed instead of setting every row again, which measures them all."""
        shown = options.options
        if len(shown) != len(items) or any(a.id != b.id for a, b in zip(shown, items, strict=True)):
            return False
        if sum(1 for a, b in zip(shown, items, strict=True) if a is not b) > IN_PLACE_MAX:
            return False  # most rows changed (a new width): setting them all at once is cheaper
        for index, (old, new) in enumerate(zip(shown, items, strict=True)):
            if old is not new:
                options.replace_option_prompt_at_index(index, new.prompt)
                if old.id and old.id.isdigit():  # the row shown stays the cached option of its chat
                    key = self._option_cache[int(old.id)][0]
                    self._option_cache[int(old.id)] = (key, old)
                else:
                    self._special = {k: old if v is new else v for k, v in self._special.items()}
        return True

    def set_counts(self, counts: dict[ChatFilter, int]) -> None:
        tabs = self.query_one(Tabs)
        for f in ChatFilter:
            count = counts.get(f, 0)
            label = f"{f.value} {count}" if count and f is not ChatFilter.ALL else f.value
            tab = tabs.query_one(f"#filter-{f.name.lower()}", Tab)
            if tab.label.plain != label:  # a new label lays out the whole screen again
                tab.label = Content(label)

    def on_resize(self) -> None:
        if self._rows:
            self._render_rows()

    def _changed(self) -> None:
        kept = None if self.filter_text else self._views.get((self.filter, self.archived))
        if kept is not None:  # shown now; the refetch asked for below corrects it if it changed
            self._rows = list(kept[0])
            self._by_id = {r.chat.id: r for r in self._rows}
            self._archived_count = kept[1]
            self._render_rows()
        self.post_message(self.ViewChanged(self.filter, self.filter_text, self.archived))

    @on(Tabs.TabActivated, "#chat-filters")
    def _tab(self, event: Tabs.TabActivated) -> None:
        event.stop()
        name = (event.tab.id or "filter-all").removeprefix("filter-").upper()
        new = ChatFilter[name]
        if new is not self.filter:
            self.filter = new
            self._changed()

    @on(Input.Changed, "#chat-filter-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._changed()

    @on(Input.Submitted, "#chat-filter-input")
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(ChatOptions)
        chats = [o for o in options.options if o.id and o.id.isdigit()]
        if chats and chats[0].id:
            self.post_message(self.ChatChosen(int(chats[0].id)))

    @on(OptionList.OptionSelected, "#chat-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id in (ARCHIVED_ID, BACK_ID):
            self.archived = option_id == ARCHIVED_ID
            self._changed()
        elif option_id.isdigit():
            self.post_message(self.ChatChosen(int(option_id)))

    def action_clear_filter(self) -> None:
        """Escape in the chat list: a filter text goes first (the list shows every chat again); with
        none, Escape leaves the filter box for the rows; in the rows it is the screen's Escape."""
        field = self.query_one("#chat-filter-input", Input)
        if field.value:
            field.value = ""  # Input.Changed fetches the rows again
        elif field.has_focus:
            self.query_one(ChatOptions).focus()
        else:
            raise SkipAction()

    def show_archived(self, archived: bool) -> None:
        if archived != self.archived:
            self.archived = archived
            self._changed()

    def select_filter(self, chat_filter: ChatFilter) -> None:
        self.query_one(Tabs).active = f"filter-{chat_filter.name.lower()}"
