"""The window of history a `MessageView` holds, and how it changes while the reader's view stays still.

At most MAX_MESSAGES messages with their laid-out blocks: a fresh window (`set_messages`), the page before it
fetched ahead and put on top when the reader reaches the top, new messages at the end (a burst shows only
its newest part), updates and removals in place. The view's scroll position is kept by an anchor: the
first message line in view and its row on screen.

The middle of `HistoryView` -> `HistoryWindow` -> `MessageView`: state and layout are in `history_view`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from textual import events
from textual.strip import Strip

from tui_messenger.domain.models import ChatMessage, ReactionCount
from tui_messenger.tui.widgets import interactive_model as im
from tui_messenger.tui.widgets.history_view import HistoryView
from tui_messenger.tui.widgets.message_layout import Palette, layout_message

MAX_MESSAGES = 500
BURST_WINDOW = 100  # this many or more arriving at once at the end being followed is a burst
BURST_SHOWN_MIN = 20  # a burst shows its newest max(this, screen rows) messages: at least a screenful


class HistoryWindow(HistoryView):
    """Window bookkeeping for `MessageView` (see the module docstring)."""

    def set_messages(
        self,
        messages: Sequence[ChatMessage],
        *,
        has_older: bool,
        has_newer: bool = False,
        select_id: str | None = None,
        peer_name: str | None = None,
    ) -> None:
        """Show a fresh window of history (oldest first) and scroll to the end or to `select_id`;
        `peer_name` names the other party in quotes (untrusted: cleaned when drawn)."""
        if peer_name is not None:
            self.peer_name = peer_name
        self._messages = list(messages)[-MAX_MESSAGES:]
        self._expanded.clear()
        self.has_older, self.has_newer, self._loading_older = has_older, has_newer, False
        self._want_older = False
        self.selected = None
        self._reindex(full=True)
        if select_id is not None and select_id in self._index:
            self.select_message(select_id)
            self._follow = False  # a later resize keeps the hit in view, not the newest message
        else:
            self._jump(self.max_scroll_y)
        self._request_older()

    def receive_older(self, before_id: str, older: Sequence[ChatMessage], *, has_older: bool) -> None:
        """The page before message `before_id` arrived (an answer to `OlderRequested`): put on top now
        if the reader waits at the top or is there already, else kept until the reader gets there."""
        self._loading_older = False
        if not self._messages or self._messages[0].message_id != before_id:
            self._request_older()  # the window changed meanwhile: this page no longer fits on top
            return
        if self._want_older or self.scroll_y <= 0:  # (a window opened at its top never scrolls there)
            self.prepend(older, has_older=has_older)
        else:
            self._staged = (before_id, list(older), has_older)
            self._staged_layout = self._prelayout(self._staged[1])

    def _prelayout(
        self, older: list[ChatMessage]
    ) -> tuple[int, Palette, list[tuple[list[Strip], int]], set[str]] | None:
        """Lay out a staged page while the reader is elsewhere, exactly as `prepend` would (the page on top
        of the window), so reaching the top costs no layout: (width, palette, blocks, answered ids)."""
        if not self.is_mounted or not older or self.scrollable_content_region.width <= 1:
            return None  # not on screen yet: laid out when it gets its size (on_resize)
        width, palette, now = self._content_width(), self._resolve_palette(), self._now()
        saved = self._messages, self._index, self._answered
        try:
            self._messages = [*older, *self._messages]
            self._index = {m.message_id: i for i, m in enumerate(self._messages)}
            self._answered = im.answered_ids(self._messages)
            context = self._layout_context
            blocks = [layout_message(m, context(i, now), width, palette) for i, m in enumerate(older)]
            return width, palette, blocks, {m.message_id for m in older if m.message_id in self._answered}
        finally:
            self._messages, self._index, self._answered = saved

    def _request_older(self) -> None:
        """Ask for the page before the first message unless it is here or on its way."""
        if not (self.has_older and self._messages and self.is_mounted) or self._loading_older:
            return
        first = self._messages[0]
        if self._staged is not None and self._staged[0] == first.message_id:
            return
        self._staged = self._staged_layout = None
        self._loading_older = True
        self.post_message(self.OlderRequested(first))

    def _take_older(self) -> None:
        """The reader reached the top: the staged page goes on top now, else it is asked for."""
        staged = self._staged
        if staged is not None and self._messages and staged[0] == self._messages[0].message_id:
            self._staged, layout, self._staged_layout = None, self._staged_layout, None
            self.prepend(staged[1], has_older=staged[2], layout=layout)
        else:
            self._want_older = True
            self._request_older()

    def prepend(
        self,
        older: Sequence[ChatMessage],
        *,
        has_older: bool,
        layout: tuple[int, Palette, list[tuple[list[Strip], int]], set[str]] | None = None,
    ) -> None:
        """Older messages arrived: put them on top without moving what the reader sees. `layout` is the
        page laid out ahead by `_prelayout`, used if still valid (same width and theme, no duplicates)."""
        self._loading_older = self._want_older = False
        self.has_older = has_older
        given = len(older)
        older = [m for m in older if m.message_id not in self._index]
        if not older:
            return
        anchor, selected_id = self._anchor(), self._selected_id()
        self._messages[:0] = older
        blocks: list[tuple[list[Strip], int] | None] = [None] * len(older)
        fits = layout is not None and (layout[0], layout[1]) == (self._width, self._palette)
        if layout is not None and fits and len(older) == given:
            blocks = list(layout[2])
        self._blocks[:0] = blocks
        self._blocks[len(older)] = None  # its date separator may have changed
        if layout is not None:  # a reply that came in since may have answered a staged message's buttons
            answered = im.answered_ids(self._messages)
            for index, message in enumerate(older):
                if (message.message_id in answered) != (message.message_id in layout[3]):
                    self._blocks[index] = None
        if len(self._messages) > MAX_MESSAGES:  # drop the far (newest) end
            del self._messages[MAX_MESSAGES:]
            del self._blocks[MAX_MESSAGES:]
            self.has_newer = True
        self._reindex()
        self.selected = self._index.get(selected_id) if selected_id else None
        self._restore(anchor)
        self._request_older()  # the next page, before the reader gets to the top again

    def append(self, message: ChatMessage) -> None:
        """A new message: added at the end, and followed if the reader was at the end."""
        self.append_many([message])

    def append_many(self, messages: Sequence[ChatMessage]) -> None:
        """New messages (a burst): added at the end with one layout and one scroll, followed if the
        reader was at the end. Messages already shown are updated in place."""
        fresh: list[ChatMessage] = []
        seen: set[str] = set()
        for message in messages:
            if message.message_id in self._index:
                self.update(message)
            elif message.message_id not in seen:
                seen.add(message.message_id)
                fresh.append(message)
        if not fresh or self.has_newer:
            return  # a window that does not reach the end loads the newest page when scrolled there
        at_end = self._follow or self.scroll_y >= self.max_scroll_y - 1
        if at_end and len(fresh) >= BURST_WINDOW:
            # A burst while the reader follows the end: show its newest part as a fresh window (older
            # ones load on scrolling up), so one turn of the loop lays out a screenful (every message
            # takes a row at least), not 500: during a burst of thousands this is most of the loop's work.
            selected_id = self._selected_id()
            shown = max(BURST_SHOWN_MIN, self.scrollable_content_region.height)
            self._messages = [*self._messages, *fresh][-shown:]
            self.has_older = True
            self._reindex(full=True)
            self.selected = self._index.get(selected_id) if selected_id else None
            self._jump(self.max_scroll_y)
            return
        anchor = None if at_end else self._anchor()
        fresh = fresh[-MAX_MESSAGES:]
        base = len(self._messages)
        self._messages.extend(fresh)
        self._blocks.extend([None] * len(fresh))
        added = {m.message_id: base + i for i, m in enumerate(fresh)}
        for message in fresh:
            if (answered := im.answered_id(message)) is not None:
                target = self._index.get(answered, added.get(answered))
                if target is not None:
                    self._blocks[target] = None  # its buttons now show the answer
        if len(self._messages) > MAX_MESSAGES:
            drop = len(self._messages) - MAX_MESSAGES
            del self._messages[:drop]
            del self._blocks[:drop]
            if self._blocks:
                self._blocks[0] = None  # its date separator may have changed
            self.has_older = True
            if self.selected is not None:
                self.selected = self.selected - drop if self.selected >= drop else None
            self._reindex()
        else:  # nothing dropped: only the new ones join the index
            self._index.update(added)
            self._answered |= im.answered_ids(fresh)
            self._relayout()
        if at_end:
            self._jump(self.max_scroll_y)
        else:
            self._restore(anchor)

    def update(self, message: ChatMessage) -> None:
        """A message already shown changed (ticks, content)."""
        index = self._index.get(message.message_id)
        if index is None:
            return
        if not message.reactions and self._messages[index].reactions:
            # Chips change only by `set_reactions`; a status or edit event does not carry them.
            message = replace(message, reactions=self._messages[index].reactions)
        if message.attachment is None and self._messages[index].attachment is not None:
            message = replace(message, attachment=self._messages[index].attachment)  # nor a file's card
        self._put(index, message)

    def set_reactions(self, message_id: str, reactions: tuple[ReactionCount, ...]) -> None:
        """The chips under a message shown changed."""
        index = self._index.get(message_id)
        if index is not None and self._messages[index].reactions != reactions:
            self._put(index, replace(self._messages[index], reactions=reactions))

    def _put(self, index: int, message: ChatMessage) -> None:
        anchor = None if self._follow else self._anchor()
        self._messages[index] = message
        self._blocks[index] = None
        self._reindex()
        if anchor is None:
            self._jump(self.max_scroll_y)
        else:
            self._restore(anchor)

    def remove_message(self, message_id: str) -> None:
        """A message deleted for me leaves the window; the selection moves to its neighbour."""
        index = self._index.get(message_id)
        if index is None:
            return
        anchor = None if self._follow else self._anchor()
        selected_id = self._selected_id()
        del self._messages[index]
        del self._blocks[index]
        if index < len(self._blocks):
            self._blocks[index] = None  # its date separator may have changed
        self._reindex()
        if selected_id == message_id:
            self.selected = min(index, len(self._messages) - 1) if self._messages else None
        else:
            self.selected = self._index.get(selected_id) if selected_id else None
        if anchor is None or anchor[0] == message_id:
            self._jump(self.max_scroll_y if anchor is None else self.scroll_y)
        else:
            self._restore(anchor)

    def on_resize(self, event: events.Resize) -> None:
        # Not "is scroll_y at the end now": the size has already changed (a panel docked below).
        at_end = self._follow
        anchor = None if at_end else self._anchor()
        self._relayout()
        if at_end:
            self._jump(self.max_scroll_y)
        else:
            self._restore(anchor)
        staged = self._staged
        if staged is not None and (self._staged_layout is None or self._staged_layout[0] != self._width):
            self._staged_layout = self._prelayout(staged[1])  # the page fetched ahead, for the new width

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._follow = new >= self.max_scroll_y - 1
        if new <= 0 and self.has_older and self._messages:
            self._take_older()
        elif self.has_newer and not self._jumping and new >= self.max_scroll_y and old < new:
            self.post_message(self.NewestRequested())

    def _selected_id(self) -> str | None:
        return None if self.selected is None else self._messages[self.selected].message_id

    def _anchor(self) -> tuple[str, int, int] | None:
        """The first message line in view: (message id, its line from the bubble start, its row on screen)."""
        top = int(self.scroll_y)
        for line in range(top, min(top + 200, len(self._owners))):
            if (owner := self._owners[line]) >= 0:
                block = self._blocks[owner]
                start = self._first_line[owner] + (block[1] if block else 0)
                return self._messages[owner].message_id, line - start, line - top
        return None

    def _restore(self, anchor: tuple[str, int, int] | None) -> None:
        if anchor is None:
            return
        message_id, in_block, row = anchor
        index = self._index.get(message_id)
        if index is None or (block := self._blocks[index]) is None:
            return
        line = self._first_line[index] + block[1] + in_block
        self._jump(max(line - row, 0))

    def _reindex(self, *, full: bool = False) -> None:
        self._index = {m.message_id: i for i, m in enumerate(self._messages)}
        self._answered = im.answered_ids(self._messages)
        if full or len(self._blocks) != len(self._messages):
            self._blocks = [None] * len(self._messages)
        self._relayout()
