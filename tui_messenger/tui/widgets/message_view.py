"""What the reader's keys and clicks do in a `MessageView`: move the selection, page, and ask the screen
for an action on the selected or clicked message (reply or retry, jump to the quote, open a link, react,
edit, delete, save a file, show more); a click is mapped to the link, reaction chip, show-more control,
quote or document card under it.

The last of `HistoryView` -> `HistoryWindow` -> `MessageView`; the messages it posts are defined on
`HistoryView` (named `MessageView.*`, with their handler names `on_message_view_*`).
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.reactive import var

from tui_messenger.domain.models import ChatMessage, MessageKind, MessageStatus
from tui_messenger.tui.widgets import interactive_model as im
from tui_messenger.tui.widgets.history_window import HistoryWindow
from tui_messenger.tui.widgets.link_marks import link_index_at, link_source, links_in
from tui_messenger.tui.widgets.message_layout import Context, layout_message
from tui_messenger.tui.widgets.typeahead import Typeahead


class MessageView(HistoryWindow, can_focus=True):
    """Bubbles, date separators, ticks, quotes and interactive choices, drawn line by line; what the reader's
    keys and clicks do to them."""

    BINDINGS = [
        Binding("up", "select(-1)", "Previous", show=False, id="history-previous"),
        Binding("down", "select(1)", "Next", show=False, id="history-next"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="history-page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="history-page-down"),
        Binding("home", "first", "Oldest", show=False, id="history-oldest"),
        Binding("end", "last", "Newest", show=False, id="history-newest"),
        # One key, named for what it does to the selected message (check_action picks the one that applies).
        Binding("enter,space", "activate('reply')", "Reply", id="history-activate"),
        Binding("enter,space", "activate('retry')", "Retry", id="history-retry"),
        Binding("enter,space", "activate('choose')", "Choose", id="history-choose"),
        Binding("j", "jump_quoted", "Jump to quoted", id="history-jump"),
        Binding("o", "open_link", "Open link", id="history-open-link"),
        Binding("m", "more", "Show more / less", show=False, id="history-more"),
        Binding("plus", "react", "React", id="history-react"),
        Binding("e", "edit", "Edit", show=False, id="history-edit"),
        Binding("x,delete", "delete", "Delete", show=False, id="history-delete"),
        Binding("s", "save_file", "Save file", show=False, id="history-save-file"),
    ]

    read_only = var(False, bindings=True)
    """A blocked chat's history: nothing goes out from it, so Enter (reply, retry, choose) and React are
    not offered (set by the conversation)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """'Open link' (and its key) only on a selected message that has a link, 'Jump to quoted' only on
        one that quotes another, 'React' only on a selected message: the footer shows what the key would
        do here (`watch_selected` refreshes it)."""
        if action == "jump_quoted":
            message = self.selected_message
            return message is not None and bool(message.reply_to)
        if action == "open_link":
            message = self.selected_message
            return message is not None and bool(links_in(link_source(message)))
        if action == "react":
            return self.selected_message is not None and not self.read_only
        if action == "activate":
            return bool(parameters) and not self.read_only and parameters[0] == self._enter_does()
        return super().check_action(action, parameters)

    def _enter_does(self) -> str | None:
        """What Enter does to the selected message: "choose" (its buttons, offered), "retry" (a failed
        one of ours) or "reply"; None without one, or on a line of the app's own."""
        message = self.selected_message
        if message is None or message.kind is MessageKind.SYSTEM:
            return None
        if self._has_open_choices(message):
            return "choose"
        return "retry" if message.outgoing and message.status is MessageStatus.FAILED else "reply"

    def action_select(self, step: int) -> None:
        if not self._messages:
            return
        if self.selected is None:
            self.selected = len(self._messages) - 1
        else:
            target = self.selected + step
            if target < 0 and self.has_older:
                self._jump(0)
            self.selected = min(max(target, 0), len(self._messages) - 1)
        self._scroll_to_selected()

    def action_page(self, direction: int) -> None:
        height = self.scrollable_content_region.height
        self._jump(self.scroll_y + direction * max(height - 2, 1))
        top = int(self.scroll_y)
        if direction > 0 and self.has_newer and self.scroll_y >= self.max_scroll_y:
            self.post_message(self.NewestRequested())
        visible = [o for o in self._owners[top : top + height] if o >= 0]
        if visible:
            self.selected = visible[0] if direction < 0 else visible[-1]

    def action_first(self) -> None:
        if self._messages:
            self.selected = 0
        self._jump(0)

    def action_last(self) -> None:
        if self._messages:
            self.selected = len(self._messages) - 1
        self._jump(self.max_scroll_y)
        if self.has_newer:
            self.post_message(self.NewestRequested())

    def action_activate(self, _does: str = "") -> None:  # (`_does` names it in the footer)
        if self.selected is None:
            return
        message = self._messages[self.selected]
        if self._has_open_choices(message):
            self.post_message(self.ChoicesOffered(message))
        else:
            self.post_message(self.MessageActivated(message))

    def _has_open_choices(self, message: ChatMessage) -> bool:
        """Buttons or list rows from the other side that nothing answered yet."""
        return (
            not message.outgoing
            and not message.deleted
            and message.message_id not in self._answered
            and bool(im.choices(message))
        )

    def action_more(self) -> None:
        if self.selected is not None:
            self._show_more(self.selected)

    def action_edit(self) -> None:
        if (message := self.selected_message) is not None:
            self.post_message(self.EditRequested(message))

    def action_delete(self) -> None:
        if (message := self.selected_message) is not None:
            self.post_message(self.DeleteRequested(message))

    def action_react(self) -> None:
        if (message := self.selected_message) is not None:
            self._typeahead = Typeahead()
            self.post_message(self.ReactRequested(message, self._typeahead))

    def on_key(self, event: events.Key) -> None:
        """Keys typed right after React go to the picker, not to this view's bindings. React itself runs
        here, as its key arrives: a binding runs only once the key has gone up to the app, after the
        keys typed behind it were already delivered here (and `e` of `:heart:` would edit)."""
        typeahead = self._typeahead
        if typeahead is not None and typeahead.open:
            event.stop()
            event.prevent_default()
            typeahead.feed((event.key, event.character))
            return
        self._typeahead = None
        bound = self.screen.active_bindings.get(event.key)  # with the user's [keys] remapping
        if bound is not None and bound.node is self and bound.binding.action == "react" and bound.enabled:
            event.stop()
            event.prevent_default()
            self.action_react()

    def on_paste(self, event: events.Paste) -> None:
        typeahead = self._typeahead
        if typeahead is not None and typeahead.open:
            event.stop()
            typeahead.feed(("paste", event.text))

    def _laid_out(self, index: int) -> Context:
        """Where a message's controls are (show more and what it does, a document's card, reaction chips),
        as the layout decided: laid out again, one bounded message. Not judged here: the layout shows a
        caption, annotated links."""
        ctx = self._layout_context(index, self._now())
        layout_message(self._messages[index], ctx, self._width, self._resolve_palette())
        return ctx

    def action_save_file(self) -> None:
        message = self.selected_message
        if message is not None and message.attachment is not None:
            self.post_message(self.FileRequested(message, ask=False))

    def _show_more(self, index: int) -> None:
        """Expand a long body in place, collapse it again, or ask for the reader for a huge one."""
        message = self._messages[index]
        more = self._laid_out(index)
        if more.more_row is None:
            return
        if message.message_id in self._expanded:
            self._expanded.discard(message.message_id)
        elif more.more_inline:
            self._expanded.add(message.message_id)
        else:
            self.post_message(self.FullTextRequested(message))
            return
        anchor = self._anchor()
        self._blocks[index] = None
        self._reindex()
        self._restore(anchor)
        self.selected = index
        self._scroll_to_selected()

    def action_jump_quoted(self) -> None:
        message = self.selected_message
        if message is not None and message.reply_to:
            self.post_message(self.QuoteActivated(message, message.reply_to))

    def action_open_link(self) -> None:
        if (message := self.selected_message) is not None:
            self.post_message(self.LinkRequested(message, None))

    def _bubble_start(self, line: int) -> int:
        """The first line of the bubble that `line` is in, read from the lines on screen (not from the
        blocks, which a restyle or an update may be laying out again)."""
        owner, start = self._owners[line], line
        while start > 0 and self._owners[start - 1] == owner:
            start -= 1
        return start

    def on_click(self, event: events.Click) -> None:
        line = event.y + int(self.scroll_y)
        if not 0 <= line < min(len(self._owners), len(self._lines)) or self._owners[line] < 0:
            return
        index = self._owners[line]
        if index >= len(self._messages):
            return
        message = self._messages[index]
        was_selected = self.selected == index
        self.selected = index
        if event.button == 3:  # right click: the message's actions
            self.post_message(self.MenuRequested(message))
            return
        x = event.x - 1 + int(self.scroll_x)  # 1: the cursor gutter
        if (link := link_index_at(self._lines[line], x)) is not None:
            self.post_message(self.LinkRequested(message, link))
            return
        bubble_row = line - self._bubble_start(line)
        ctx = self._laid_out(index)
        chip = next(
            (c for c in ctx.chips if bubble_row == ctx.chip_row + c.row and c.start <= x < c.end), None
        )
        choice = next((c for c in ctx.choices if bubble_row == c.row and c.start <= x < c.end), None)
        if chip is not None:
            self.post_message(self.ReactionToggled(message, chip.emoji))
        elif choice is not None and self._has_open_choices(message):
            self.post_message(self.ChoiceRequested(message, choice.choice_id))
        elif bubble_row == ctx.more_row:
            self._show_more(index)
        elif message.reply_to and bubble_row == (1 if message.kind.value == "template" else 0):
            self.post_message(self.QuoteActivated(message, message.reply_to))
        elif message.status is MessageStatus.FAILED and message.outgoing:
            self.post_message(self.MessageActivated(message))
        elif message.attachment is not None and bubble_row in (ctx.card_rows or range(0)):
            self.post_message(self.FileRequested(message, ask=True))
        elif was_selected and event.chain >= 2:
            self.post_message(self.MessageActivated(message))
