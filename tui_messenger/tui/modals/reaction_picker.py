"""The reaction picker: a row of common emoji (one press or click), and a field for a `:shortcode:` or a
pasted emoji, with suggestions as you type. Dismisses with the emoji, "" to take the user's reaction
back, or None (Escape).

Typing starts the field from anywhere in the dialog (a letter or a paste while an emoji button has the
focus), and keys typed right after `+`, before the dialog was shown, arrive here in order (`Typeahead`):
`+:heart:` Enter typed in one go reacts with ❤️."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from tui_messenger.domain.models import ChatMessage
from tui_messenger.domain.reactions import QUICK_REACTIONS, SHORTCODES, matching_shortcodes, resolve
from tui_messenger.domain.safe_text import clean_name
from tui_messenger.tui.modals.base import DialogModal, SafeInput, as_content
from tui_messenger.tui.widgets.typeahead import Typeahead, Typed


class ReactionPickerModal(DialogModal[str]):
    BINDINGS = [
        Binding("left", "app.focus_previous", "Previous", show=False, id="picker-previous"),
        Binding("right", "app.focus_next", "Next", show=False, id="picker-next"),
        Binding("colon", "shortcode", ":shortcode:", id="picker-shortcode"),
    ]

    DEFAULT_CSS = """
    ReactionPickerModal > #dialog {
        width: 60;
    }
    ReactionPickerModal #quick-reactions {
        height: auto;
        margin: 1 0;
    }
    ReactionPickerModal #quick-reactions Button {
        min-width: 6;
        width: 6;
        margin-right: 1;
    }
    ReactionPickerModal #quick-reactions Button.-mine {
        text-style: bold reverse;
    }
    ReactionPickerModal #reaction-hint {
        height: auto;
        margin-top: 1;
    }
    """

    def __init__(
        self, message: ChatMessage, *, mine: str | None = None, typeahead: Typeahead | None = None
    ) -> None:
        super().__init__()
        self._message = message
        self._mine = mine  # the user's current reaction on it, if any
        self._typeahead = typeahead

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(as_content("React to message"), id="dialog-title")
            quoted = clean_name(self._message.body.replace("\n", " "), max_len=50)
            yield Static(Content(f"“{quoted}”"), classes="hint")
            with Horizontal(id="quick-reactions"):
                for n, emoji in enumerate(QUICK_REACTIONS):
                    name = next((k for k, v in SHORTCODES.items() if v == emoji), "")
                    tip = f":{name}:" if name else None  # for the mouse: what to type next time
                    button = Button(Content(emoji), id=f"react-{n}", compact=True, tooltip=tip)
                    button.set_class(emoji == self._mine, "-mine")
                    yield button
            yield SafeInput(
                placeholder=":shortcode: or paste an emoji, then Enter",
                id="reaction-input",
                select_on_focus=False,  # `:` on a button starts the field with ":"; keep it
            )
            yield Static(as_content(self._default_hint()), id="reaction-hint", classes="hint")
            with Horizontal(classes="buttons"):
                if self._mine:
                    yield Button(as_content("Remove my reaction"), id="react-remove")
                yield Button(as_content("Cancel"), id="react-cancel")

    def _default_hint(self) -> str:
        if self._mine:
            return f"Your reaction: {self._mine}. Pick it again to take it back."
        return "Try :thumbsup:, :heart:, :joy:, :tada:, :fire: …"

    def on_mount(self) -> None:
        self.query_one("#react-0", Button).focus()
        if self._typeahead is not None:
            self._typeahead.attach(self._typed_ahead)

    def on_unmount(self) -> None:
        if self._typeahead is not None:
            self._typeahead.close()

    @property
    def _field(self) -> Input:
        return self.query_one("#reaction-input", Input)

    def _type(self, text: str) -> None:
        """Text typed or pasted while the field may not have the focus: it goes into the field."""
        field = self._field
        field.focus()
        field.insert_text_at_cursor(text)

    def _typed_ahead(self, typed: Typed) -> None:
        key, text = typed
        if key == "paste" or (text and text.isprintable() and key != "space"):
            self._type(text or "")
        elif key == "backspace" and self._field.value:
            self._field.action_delete_left()
        elif key == "enter":
            if self._field.value.strip():
                self._submit(self._field.value)
            elif isinstance(self.focused, Button):
                self.focused.press()
        elif key == "escape":
            self.dismiss(None)

    def on_key(self, event: events.Key) -> None:
        """A letter typed while an emoji button has the focus starts the field (`:` has its binding)."""
        if self._field.has_focus or event.character in (None, ":", " ") or not event.is_printable:
            return
        event.stop()
        event.prevent_default()
        self._type(event.character)

    def on_paste(self, event: events.Paste) -> None:
        if not self._field.has_focus:
            event.stop()
            self._type(event.text)

    def action_shortcode(self) -> None:
        """`:` on a button: start typing a shortcode in the field."""
        field = self.query_one("#reaction-input", Input)
        field.focus()
        if not field.value:
            field.value = ":"
            field.cursor_position = 1

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        name = event.button.id or ""
        if name == "react-remove":
            self.dismiss("")
        elif name.startswith("react-") and name.removeprefix("react-").isdigit():
            self.dismiss(QUICK_REACTIONS[int(name.removeprefix("react-"))])
        else:
            self.dismiss(None)

    @on(Input.Changed, "#reaction-input")
    def _typed(self, event: Input.Changed) -> None:
        hint = self.query_one("#reaction-hint", Static)
        value = event.value.strip()
        if not value:
            hint.update(as_content(self._default_hint()))
            return
        found = resolve(value)
        if found is not None:
            hint.update(Content(f"Enter reacts with {found}"))
            return
        matches = matching_shortcodes(value)
        if matches:
            hint.update(Content("  ".join(f"{emoji} :{name}:" for name, emoji in matches)))
        else:
            hint.update(as_content("No such shortcode: type :name: or paste one emoji."))

    @on(Input.Submitted, "#reaction-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self._submit(event.value)

    def _submit(self, value: str) -> None:
        value = value.strip()
        found = resolve(value)
        if found is None:
            matches = matching_shortcodes(value)
            if len(matches) == 1:  # an unambiguous start of a name is enough
                found = matches[0][1]
        if found is None:
            self.query_one("#reaction-hint", Static).update(
                as_content("That is not one emoji or a known :shortcode:.")
            )
            return
        self.dismiss(found)
