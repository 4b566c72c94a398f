"""Reactions: `+` on a message (or the palette's "React to message") opens the picker; a click on a chip
reacts with that emoji, or takes the user's own back. The service stores and sends;
`ChatReactionsChanged` repaints the message in the open chat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_messenger.domain.models import MessageKind
from tui_messenger.domain.reactions import toggled
from tui_messenger.services.errors import MessengerError
from tui_messenger.tui.conversation.controller import Controller
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.domain.models import ChatMessage
    from tui_messenger.tui.widgets.typeahead import Typeahead


class Reactions(Controller):
    def react_to_selected(self) -> None:
        """The palette's "React to message": the selected message, else the newest one."""
        if (message := self.target(or_newest=True)) is not None:
            self.pick(message)

    def toggle(self, message: ChatMessage, emoji: str) -> None:
        """A click on a chip: react with `emoji`, or take the user's own reaction back."""
        current = self.fresh(message)
        self.send(current.message_id, toggled(current.reactions, emoji))

    @worker(group="dialog", exclusive=True)
    async def pick(self, message: ChatMessage, typeahead: Typeahead | None = None) -> None:
        """The picker for `message`; `typeahead` holds the keys typed right after `+`, for the picker."""
        from tui_messenger.tui.modals.reaction_picker import ReactionPickerModal  # loads on first use

        system = message.kind is MessageKind.SYSTEM
        blocked = self.current is not None and self.current.blocked
        if (system or blocked) and typeahead is not None:
            typeahead.close()  # no picker: the keys typed after `+` go where they go
        if system:
            self.notify("Notices take no reactions.")
            return
        if blocked:
            self.warn("This contact is blocked; unblock to react.")
            return
        message = self.fresh(message)
        mine = next((r.emoji for r in message.reactions if r.mine), None)
        chosen = await self.app.push_screen_wait(ReactionPickerModal(message, mine=mine, typeahead=typeahead))
        if chosen is None:
            return
        await self._react(message.message_id, "" if chosen == mine else chosen)

    @worker(group="reactions")
    async def send(self, message_id: str, emoji: str) -> None:
        await self._react(message_id, emoji)

    async def _react(self, message_id: str, emoji: str) -> None:
        try:
            if emoji:
                chips = await self.messenger.react(message_id, emoji)
            else:
                chips = await self.messenger.unreact(message_id)
        except MessengerError as exc:
            self.warn(str(exc))
            return
        self.pane.view.set_reactions(message_id, chips)
