"""Which panes the main screen shows: the chat list and the conversation side by side, or one at a time.

The screen's width class comes from Textual's breakpoints (`MainScreen.HORIZONTAL_BREAKPOINTS`): below
`ONE_PANE_BELOW` columns (`-narrow`) the screen shows the chat list OR the open chat, as nchat does:
opening a chat shows it full width, Escape or ctrl+l goes back to the list. From that width up (`-wide`)
both panes show, and ctrl+l hides or shows the list. The panes themselves are hidden and shown by
`app.tcss` from two classes on the screen, set here:

- `-chat-view`: in one-pane mode, the conversation is the pane shown;
- `-list-hidden`: in two-pane mode, the user hid the chat list.

The open chat is read only while it is on screen: in one-pane mode, while the list is shown instead, what
arrives in it counts as unread (`conversation/arrivals.py` is told).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui_messenger.tui.screens.main import MainScreen

ONE_PANE_BELOW = 100  # columns
CHAT_VIEW = "-chat-view"
LIST_HIDDEN = "-list-hidden"


class PaneLayout:
    """Owned by the main screen: switches the panes and puts the focus in the one shown."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._was_one_pane: bool | None = None

    def resized(self) -> None:
        """Crossing into one-pane mode shows the pane that has the focus (the chat, if it is in it)."""
        one_pane = self.one_pane
        if one_pane == self._was_one_pane:
            return
        self._was_one_pane = one_pane
        if one_pane:
            focused = self.screen.focused
            in_chat = (
                self.screen.open_chat_id is not None and focused is not None and not self._list_has_focus()
            )
            self.screen.set_class(in_chat, CHAT_VIEW)
        self._tell()

    @property
    def one_pane(self) -> bool:
        return self.screen.has_class("-narrow")

    @property
    def list_shown(self) -> bool:
        if self.one_pane:
            return not self.screen.has_class(CHAT_VIEW)
        return not self.screen.has_class(LIST_HIDDEN)

    @property
    def chat_shown(self) -> bool:
        return not self.one_pane or self.screen.has_class(CHAT_VIEW)

    def chat_opened(self) -> None:
        """A chat was opened (from the list, the palette, a search): in one-pane mode it is shown. (Not
        told as the chat shown again: the pane is opening another one, which it reads itself.)"""
        self.screen.add_class(CHAT_VIEW)
        if self.screen.open_chat_id is not None:
            self.screen.conversation.arrivals.shown = True
        self.screen.refresh_bindings()

    def _tell(self) -> None:
        """The open chat came on screen or left it: it is read or not, its keys offered or not."""
        if self.screen.open_chat_id is not None:
            self.screen.conversation.arrivals.set_shown(self.chat_shown)
        self.screen.refresh_bindings()

    def show_list(self) -> None:
        """Back to the chat list (Escape): shown in either mode, and focused."""
        self.screen.remove_class(CHAT_VIEW, LIST_HIDDEN)
        self._tell()
        self._focus_list()

    def toggle_list(self) -> None:
        """ctrl+l. One pane: list and open chat take turns. Two panes: the list is focused first if it is
        shown but not focused; pressed in the list, it hides the list (while a chat is open)."""
        chat_open = self.screen.open_chat_id is not None
        if self.one_pane:
            if self.list_shown and chat_open:
                self.screen.add_class(CHAT_VIEW)
                self._tell()
                self._focus_chat()
            else:
                self.show_list()
            return
        if not self.list_shown:
            self.show_list()
        elif self._list_has_focus() and chat_open:
            self.screen.add_class(LIST_HIDDEN)
            self._focus_chat()
        else:
            self._focus_list()

    def _list_has_focus(self) -> bool:
        focused = self.screen.focused
        return focused is not None and self.screen.chat_list in focused.ancestors_with_self

    def _focus_list(self) -> None:
        self.screen.query_one("#chat-options").focus()

    def _focus_chat(self) -> None:
        conversation = self.screen.conversation
        if conversation.composer.display:
            conversation.composer.focus()
        else:
            conversation.view.focus()  # a blocked chat has no composer
