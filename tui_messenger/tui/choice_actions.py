"""Answering buttons and list rows (mixed into ConversationPane), by keyboard and by mouse.

The newest open interactive message has real buttons in the panel under the history (`InteractivePanel`).
Any message whose buttons or rows nothing answered yet (templates too: MegaDeals' "Shop now" and "Stop
promotions", a bank's "Verify now") also answers a click on a button drawn in its bubble, and Enter (or
space) on it offers its choices in a dialog of focusable buttons, with "Reply with a message" to answer in
words. A choice is sent as an interactive reply. A stop choice ("Stop promotions", "Stop", "Unsubscribe")
on a business's message also stops its promotions, as the header's button does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui_messenger.services.errors import MessengerError
from tui_messenger.tui.widgets import interactive_model as im
from tui_messenger.tui.widgets.interactive_panel import InteractivePanel
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.domain.models import ChatMessage, ChatSummary
    from tui_messenger.services.messenger import Messenger
    from tui_messenger.tui.widgets.message_view import MessageView

STOP_TITLES = frozenset({"stop promotions", "stop", "unsubscribe", "stopp", "opt out"})


def is_stop_choice(message: ChatMessage, choice_id: str) -> bool:
    """Whether answering `message` with `choice_id` asks the business to stop its promotions."""
    return any(
        c.id == choice_id and " ".join(c.title.split()).casefold() in STOP_TITLES for c in im.choices(message)
    )


class ChoiceActions:
    """Needs `messenger`, `summary`, `chat_id`, `view`, `set_reply_to`, `_refresh_panels`, `refresh_state`."""

    if TYPE_CHECKING:
        app: Any
        messenger: Messenger
        summary: ChatSummary | None
        view: MessageView

        @property
        def chat_id(self) -> int | None: ...

        def set_reply_to(self, message: ChatMessage | None) -> None: ...

        async def _refresh_panels(self) -> None: ...

        def _refresh_panels_later(self) -> None: ...

        def refresh_state(self) -> None: ...

    def on_interactive_panel_chosen(self, event: InteractivePanel.Chosen) -> None:
        event.stop()
        self.answer_choice(event.message, event.choice_id)

    def on_message_view_choice_requested(self, event: MessageView.ChoiceRequested) -> None:
        event.stop()
        self.answer_choice(event.message, event.choice_id)

    def on_message_view_choices_offered(self, event: MessageView.ChoicesOffered) -> None:
        event.stop()
        self._offer_choices(event.message)

    @worker(group="dialog", exclusive=True)
    async def _offer_choices(self, message: ChatMessage) -> None:
        from tui_messenger.tui.modals.choices import REPLY, ChoicesModal  # loads on first use

        picked = await self.app.push_screen_wait(ChoicesModal(message))
        if picked == REPLY:
            self.set_reply_to(message)
        elif picked is not None:
            self.answer_choice(message, picked)

    def answer_choice(self, message: ChatMessage, choice_id: str) -> None:
        summary = self.summary
        if summary is not None and not summary.blocked and message.chat_id == summary.chat.id:
            self._send_choice(summary, message, choice_id)

    @worker(group="send", failed="Choice not sent")
    async def _send_choice(self, summary: ChatSummary, answered: ChatMessage, choice_id: str) -> None:
        chat_id = summary.chat.id
        try:
            message = await self.messenger.send_choice(chat_id, answered, choice_id)
        except MessengerError as exc:
            self.app.notify(str(exc), severity="warning", markup=False)
            return
        except Exception:
            self._refresh_panels_later()  # the panel disabled itself on the click: offer it again
            raise
        if self.chat_id == chat_id:
            self.view.append(message)
            await self._refresh_panels()
        if summary.peer.is_business and is_stop_choice(answered, choice_id):
            await self._stop_promotions(summary)

    async def _stop_promotions(self, summary: ChatSummary) -> None:
        """The stop button of a business's message: promotions stop (unless the reply already did)."""
        consent = await self.messenger.consent(summary.peer.id)
        if not consent.marketing_stopped:
            await self.messenger.set_marketing_stopped(summary.peer.id, True)
        self.app.notify("Promotions stopped.", markup=False)
        if self.chat_id == summary.chat.id:
            self.refresh_state()
