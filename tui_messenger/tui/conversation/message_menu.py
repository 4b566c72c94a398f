"""A message's menu: `x` / Delete asks "Delete for me / Delete for everyone / Cancel" (the second only
while the rules allow it), and a right click on a message opens its full menu for the mouse: Reply,
React, Copy text, Edit and both deletions. The service decides; a refusal is one toast."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_messenger.domain.models import MessageKind
from tui_messenger.domain.safe_text import clean_body
from tui_messenger.services.errors import MessengerError
from tui_messenger.tui.conversation.controller import Controller
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.domain.models import ChatMessage


class MessageMenu(Controller):
    def delete_selected(self) -> None:
        """The palette's "Delete message…": the deletions of the selected message."""
        if (message := self.target()) is not None:
            self.open(message, offer_edit=False)

    @worker(group="dialog", exclusive=True)
    async def open(self, message: ChatMessage, *, offer_edit: bool) -> None:
        from tui_messenger.tui.modals.message_actions import MessageActionsModal  # loads on first use

        if message.kind is MessageKind.SYSTEM:
            return
        pane = self.pane
        blocked = self.current is not None and self.current.blocked
        try:
            allowed = await self.messenger.allowed_actions(message.message_id)
            if blocked:
                allowed = type(allowed)(edit=False, delete_for_everyone=False)
            modal = MessageActionsModal(message, allowed, offer_edit=offer_edit)
            choice = await self.app.push_screen_wait(modal)
            if choice == "reply" and blocked:
                self.warn("This contact is blocked; unblock to reply.")
            elif choice == "reply":
                pane.set_reply_to(self.fresh(message))
            elif choice == "react":
                pane.call_later(pane.reactions.pick, message)  # its own dialog, once this one is gone
            elif choice == "copy":
                self.app.copy_to_clipboard(clean_body(self.fresh(message).body))
                self.notify("Message text copied.")
            elif choice == "edit":
                pane.editing.set(self.fresh(message))
            elif choice == "delete-me":
                await self.messenger.delete_for_me(message.message_id)  # MessageRemoved drops it
            elif choice == "delete-everyone":
                await self.messenger.delete_for_everyone(message.message_id)  # MessageChanged repaints
        except MessengerError as exc:
            self.warn(str(exc))
