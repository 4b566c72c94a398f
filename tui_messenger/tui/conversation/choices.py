"""Answering buttons and list rows, by keyboard and by mouse.

The newest open interactive message has real buttons in the panel under the history (`InteractivePanel`).
Any message whose buttons or rows nothing answered yet (templates too: MegaDeals' "Shop now" and "Stop
promotions", a bank's "Verify now") also answers a click on a button drawn in its bubble, and Enter (or
space) on it offers its choices in a dialog of focusable buttons, with "Reply with a message" to answer in
words. A choice is sent as an interactive reply. A stop choice ("Stop promotions", "Stop", "Unsubscribe")
on a business's message also stops its promotions, as the header's button does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_messenger.services.errors import MessengerError
from tui_messenger.tui.conversation.controller import Controller
from tui_messenger.tui.widgets import interactive_model as im
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.domain.models import ChatMessage, ChatSummary

STOP_TITLES = frozenset({"stop promotions", "stop", "unsubscribe", "stopp", "opt out"})


def is_stop_choice(message: ChatMessage, choice_id: str) -> bool:
    """Whether answering `message` with `choice_id` asks the business to stop its promotions."""
    return any(
        c.id == choice_id and " ".join(c.title.split()).casefold() in STOP_TITLES for c in im.choices(message)
    )


class Choices(Controller):
    @worker(group="dialog", exclusive=True)
    async def offer(self, message: ChatMessage) -> None:
        """Enter on a message with buttons: its choices in a dialog, or "Reply with a message"."""
        from tui_messenger.tui.modals.choices import REPLY, ChoicesModal  # loads on first use

        picked = await self.app.push_screen_wait(ChoicesModal(message))
        if picked == REPLY:
            self.pane.set_reply_to(message)
        elif picked is not None:
            self.answer(message, picked)

    def answer(self, message: ChatMessage, choice_id: str) -> None:
        summary = self.current
        if summary is not None and not summary.blocked and message.chat_id == summary.chat.id:
            self._send(summary, message, choice_id)

    @worker(group="send", failed="Choice not sent")
    async def _send(self, summary: ChatSummary, answered: ChatMessage, choice_id: str) -> None:
        chat_id, pane = summary.chat.id, self.pane
        try:
            message = await self.messenger.send_choice(chat_id, answered, choice_id)
        except MessengerError as exc:
            self.warn(str(exc))
            return
        except Exception:
            pane.refresh_panels_later()  # the panel disabled itself on the click: offer it again
            raise
        if pane.chat_id == chat_id:
            pane.view.append(message)
            await pane.chrome.refresh_panels()
        if summary.peer.is_business and is_stop_choice(answered, choice_id):
            await self._stop_promotions(summary)

    async def _stop_promotions(self, summary: ChatSummary) -> None:
        """The stop button of a business's message: promotions stop (unless the reply already did)."""
        consent = await self.messenger.consent(summary.peer.id)
        if not consent.marketing_stopped:
            await self.messenger.set_marketing_stopped(summary.peer.id, True)
        self.notify("Promotions stopped.")
        if self.pane.chat_id == summary.chat.id:
            self.pane.refresh_state()
