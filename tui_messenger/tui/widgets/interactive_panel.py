"""Real, focusable widgets for the latest unanswered interactive message (buttons or a list), and the
feedback prompt under business-initiated messages."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from tui_messenger.domain.business import ChoiceList
from tui_messenger.domain.models import ChatMessage, FeedbackKind
from tui_messenger.domain.safe_text import clean_name
from tui_messenger.tui.safe import safe_label
from tui_messenger.tui.widgets import interactive_model as im


class InteractivePanel(Vertical):
    """Up to three reply buttons or a list of up to ten rows; one choice, then everything is disabled."""

    class Chosen(Message):
        def __init__(self, message: ChatMessage, choice_id: str, title: str) -> None:
            super().__init__()
            self.message = message
            self.choice_id = choice_id
            self.title = title

    def __init__(self, message: ChatMessage, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.message = message
        self._choices = im.choices(message)

    def compose(self) -> ComposeResult:
        if isinstance(content := self.message.content, ChoiceList):
            label = clean_name(content.button_label or "Choose an option", 40)
            yield Static(Content.assemble(("☰ ", "bold"), (label, "bold")), classes="panel-title")
            options = []
            for index, choice in enumerate(self._choices):
                prompt = safe_label(choice.title).stylize("bold")
                if choice.description:
                    prompt = Content.assemble(
                        prompt, "\n", (clean_name(choice.description, 72), "$text-muted")
                    )
                options.append(Option(prompt, id=f"choice-{index}"))
            yield OptionList(*options, id="choice-list")
        else:
            with Horizontal(id="choice-buttons"):
                for index, choice in enumerate(self._choices):
                    yield Button(safe_label(choice.title), id=f"choice-{index}", compact=True)

    def disable(self) -> None:
        for widget in self.query("Button, OptionList"):
            widget.disabled = True

    def _choose(self, widget_id: str | None) -> None:
        if not widget_id or self.disabled:
            return
        index = int(widget_id.removeprefix("choice-"))
        choice = self._choices[index]
        self.disable()
        self.post_message(self.Chosen(self.message, choice.id, choice.title))

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        event.stop()
        self._choose(event.button.id)

    @on(OptionList.OptionSelected)
    def _row(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option.id)


class FeedbackPrompt(Horizontal):
    """ "Useful" / "Not interested" / "Spam" under a message the business sent on its own."""

    class Given(Message):
        def __init__(self, message: ChatMessage, kind: FeedbackKind) -> None:
            super().__init__()
            self.message = message
            self.kind = kind

    def __init__(self, message: ChatMessage, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.message = message

    def compose(self) -> ComposeResult:
        yield Static(Content("Was this message useful?"), id="feedback-text")
        yield Button(Content("Useful"), id="feedback-useful", compact=True)
        yield Button(Content("Not interested"), id="feedback-not_interested", compact=True)
        yield Button(Content("Spam"), id="feedback-spam", variant="error", compact=True)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        kind = FeedbackKind((event.button.id or "").removeprefix("feedback-"))
        for button in self.query(Button):
            button.disabled = True
        self.post_message(self.Given(self.message, kind))
