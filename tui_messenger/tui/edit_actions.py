"""Editing and deleting from the history (mixed into MainScreen): `e` edits the selected message in the
composer, `x` / Delete asks "Delete for me / Delete for everyone / Cancel" (the second only while the
rules allow it), and a right click on a message opens its menu for the mouse: Reply, React, Copy text,
Edit and both deletions. The same actions are in the palette. The service decides; a refusal is shown as
a one-line toast."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_messenger.domain.models import MessageKind
from tui_messenger.domain.safe_text import clean_body
from tui_messenger.services.errors import MessengerError
from tui_messenger.tui import messages as msg
from tui_messenger.tui.main_screen_mixin import MainScreenMixin
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.domain.models import ChatMessage
    from tui_messenger.tui.widgets.message_view import MessageView  # annotations only: not at startup

CANNOT_EDIT = "Only your own text messages can be edited, for 15 minutes after sending."


class EditActions(MainScreenMixin):
    def on_message_view_edit_requested(self, event: MessageView.EditRequested) -> None:
        event.stop()
        self.begin_edit(event.message)

    def on_message_view_delete_requested(self, event: MessageView.DeleteRequested) -> None:
        event.stop()
        self.message_actions(event.message, offer_edit=False)

    def on_message_view_menu_requested(self, event: MessageView.MenuRequested) -> None:
        event.stop()
        self.message_actions(event.message, offer_edit=True)

    def on_chat_message_removed(self, event: msg.ChatMessageRemoved) -> None:
        if event.chat_id == self.conversation.chat_id:
            self.conversation.message_removed(event.message_id)

    def action_edit_message(self) -> None:
        if (message := self._target()) is not None:
            self.begin_edit(message)

    def action_delete_message(self) -> None:
        if (message := self._target()) is not None:
            self.message_actions(message, offer_edit=False)

    @worker(group="dialog", exclusive=True)
    async def begin_edit(self, message: ChatMessage) -> None:
        if message.kind is MessageKind.SYSTEM or (self.current is not None and self.current.blocked):
            self._warn(CANNOT_EDIT)
            return
        try:
            allowed = await self.messenger.allowed_actions(message.message_id)
        except MessengerError as exc:
            self._warn(str(exc))
            return
        if not allowed.edit:
            self._warn(CANNOT_EDIT)
            return
        self.conversation.set_editing(self._fresh(message))

    @worker(group="dialog", exclusive=True)
    async def message_actions(self, message: ChatMessage, *, offer_edit: bool) -> None:
        from tui_messenger.tui.modals.message_actions import MessageActionsModal  # loads on first use

        if message.kind is MessageKind.SYSTEM:
            return
        try:
            allowed = await self.messenger.allowed_actions(message.message_id)
            if self.current is not None and self.current.blocked:
                allowed = type(allowed)(edit=False, delete_for_everyone=False)
            choice = await self.app.push_screen_wait(
                MessageActionsModal(message, allowed, offer_edit=offer_edit)
            )
            if choice == "reply" and self.current is not None and self.current.blocked:
                self._warn("This contact is blocked; unblock to reply.")
            elif choice == "reply":
                self.conversation.set_reply_to(self._fresh(message))
            elif choice == "react":
                self.call_later(self.pick_reaction, message)  # its own dialog, once this one is gone
            elif choice == "copy":
                self.app.copy_to_clipboard(clean_body(self._fresh(message).body))
                self.notify("Message text copied.", markup=False)
            elif choice == "edit":
                self.conversation.set_editing(self._fresh(message))
            elif choice == "delete-me":
                await self.messenger.delete_for_me(message.message_id)  # MessageRemoved drops it
            elif choice == "delete-everyone":
                await self.messenger.delete_for_everyone(message.message_id)  # MessageChanged repaints
        except MessengerError as exc:
            self._warn(str(exc))
