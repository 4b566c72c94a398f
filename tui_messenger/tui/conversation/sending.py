"""Sending from the composer, and the feedback prompt's answer. A send that cannot be stored gives its
text back (`Drafts.give_back`): nothing the user wrote is lost."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_messenger.domain.models import FeedbackKind
from tui_messenger.tui.conversation.controller import Controller
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.domain.models import ChatMessage

# Spam feedback counts against the business but stops nothing: the toast says what does.
AFTER_SPAM = " To stop their messages, block them (ctrl+b); ctrl+r reports them."


class Sending(Controller):
    @worker(group="send", failed="Not sent")
    async def send(self, chat_id: int, text: str, reply_to: str | None) -> None:
        pane = self.pane
        try:
            message = await self.messenger.send_text(chat_id, text, reply_to=reply_to)
        except Exception:
            pane.drafts.give_back(chat_id, text)
            raise
        if pane.chat_id == chat_id and pane.view.get(message.message_id) is None:
            pane.view.append(message)  # not shown yet by its MessageAdded (which may carry a newer status)
        self._sent(chat_id)

    @worker(group="send", failed="Not sent again")
    async def retry(self, message_id: str) -> None:
        await self.messenger.retry(message_id)

    @worker(group="send")
    async def _sent(self, chat_id: int) -> None:
        """After a send: the draft is gone, and a business chat's window is open again."""
        await self.messenger.save_draft(chat_id, "")
        summary = self.current
        if self.pane.chat_id == chat_id and summary is not None and summary.peer.is_business:
            await self.pane.reload_state()

    @worker(group="feedback", failed="Feedback not recorded")
    async def give_feedback(self, message: ChatMessage, kind: FeedbackKind) -> None:
        try:
            await self.messenger.give_feedback(message.message_id, kind)
        except Exception:
            self.pane.refresh_panels_later()  # the prompt disabled itself on the click: offer it again
            raise
        self.notify(
            "Thanks — your feedback was recorded." + (AFTER_SPAM if kind is FeedbackKind.SPAM else "")
        )
        await self.pane.chrome.refresh_panels()
