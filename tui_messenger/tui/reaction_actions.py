"""Reactions from the history (mixed into MainScreen): `+` on a message (or the palette's "React to
message") opens the picker; a click on a chip reacts with that emoji, or takes the user's own back.
The service stores and sends; `ChatReactionsChanged` repaints the message in the open chat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_messenger.domain.models import MessageKind
from tui_messenger.domain.reactions import toggled
from tui_messenger.services.errors import MessengerError
from tui_messenger.tui import messages as msg
from tui_messenger.tui.main_screen_mixin import MainScreenMixin
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.domain.models import ChatMessage
    from tui_messenger.tui.widgets.message_view import MessageView  # annotations only: not at startup
    from tui_messenger.tui.widgets.typeahead import Typeahead


class ReactionActions(MainScreenMixin):
    def on_message_view_react_requested(self, event: MessageView.ReactRequested) -> None:
        event.stop()
        self.pick_reaction(event.message, event.typeahead)

    def on_message_view_reaction_toggled(self, event: MessageView.ReactionToggled) -> None:
        event.stop()
        current = self._fresh(event.message)
        self.send_reaction(current.message_id, toggled(current.reactions, event.emoji))

    def on_chat_reactions_changed(self, event: msg.ChatReactionsChanged) -> None:
        if event.chat_id == self.conversation.chat_id:
            self.conversation.view.set_reactions(event.message_id, event.reactions)

    def action_react(self) -> None:
        """The palette's "React to message": the selected message, else the newest one."""
        if (message := self._target(or_newest=True)) is not None:
            self.pick_reaction(message)

    @worker(group="dialog", exclusive=True)
    async def pick_reaction(self, message: ChatMessage, typeahead: Typeahead | None = None) -> None:
        """The picker for `message`; `typeahead` holds the keys typed right after `+`, for the picker."""
        from tui_messenger.tui.modals.reaction_picker import ReactionPickerModal  # loads on first use

        system = message.kind is MessageKind.SYSTEM
        blocked = self.current is not None and self.current.blocked
        if (system or blocked) and typeahead is not None:
            typeahead.close()  # no picker: the keys typed after `+` go where they go
        if system:
            self.notify("Notices take no reactions.", markup=False)
            return
        if blocked:
            self._warn("This contact is blocked; unblock to react.")
            return
        message = self._fresh(message)
        mine = next((r.emoji for r in message.reactions if r.mine), None)
        picker = ReactionPickerModal(message, mine=mine, typeahead=typeahead)
        chosen = await self.app.push_screen_wait(picker)
        if chosen is None:
            return
        await self._react(message.message_id, "" if chosen == mine else chosen)

    @worker(group="reactions")
    async def send_reaction(self, message_id: str, emoji: str) -> None:
        await self._react(message_id, emoji)

    async def _react(self, message_id: str, emoji: str) -> None:
        try:
            if emoji:
                chips = await self.messenger.react(message_id, emoji)
            else:
                chips = await self.messenger.unreact(message_id)
        except MessengerError as exc:
            self._warn(str(exc))
            return
        self.conversation.view.set_reactions(message_id, chips)
