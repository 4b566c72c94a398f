"""Before a link opens: which link (a chooser when a message holds several), and exactly where it goes.

Everything shown is network data, so it passes through the safe path into literal `Content`: the scheme,
the host in punycode and in Unicode, the full address that would be opened, and any warning. A link that
may not open (`Link.refusal`) is shown the same way with the reason, and the dialog offers only Close.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from tui_messenger.domain.links import Link
from tui_messenger.domain.safe_text import clean_body, clean_name
from tui_messenger.tui.modals.base import DialogModal, as_content

SHOWN_CHARS = 2100  # an address longer than this (it cannot open anyway) is shown cut, with its length


def _address(text: str) -> str:
    shown = clean_body(text[:SHOWN_CHARS]).replace("\n", " ")
    if len(text) > SHOWN_CHARS:
        shown += f"… ({len(text) - SHOWN_CHARS:,} more characters)"
    return shown


Fact = tuple[str, str, Content]  # (widget id, label, value)


def _row(widget_id: str, label: str, value: str | Content, style: str = "") -> Fact:
    content = value if isinstance(value, Content) else Content(value)
    return widget_id, label, content.stylize(style) if style else content


def describe(link: Link) -> list[Fact]:
    """Each fact the dialog shows, in order: scheme, host (punycode, then Unicode), port, user name, the
    address that would open (and as written when it differs), warnings, and why it will not open."""
    rows = [_row("link-scheme", "Scheme", clean_name(link.scheme, 40))]
    if link.host_ascii or link.host:
        rows.append(_row("link-host", "Host", clean_name(link.host_ascii or link.host, 300), "bold"))
        if link.is_idn:
            rows.append(_row("link-host-unicode", "", f"{clean_name(link.host, 300)} (in Unicode)"))
    if link.port is not None:
        rows.append(_row("link-port", "Port", str(link.port)))
    if link.userinfo:
        rows.append(_row("link-userinfo", "User", clean_name(link.userinfo, 120), "$warning-text"))
    address = link.url if link.opens else link.text
    rows.append(_row("link-url", "Address", _address(address)))
    if link.url and link.url != link.text and link.opens:
        rows.append(_row("link-as-written", "Written", _address(link.text), "$text-muted"))
    for n, warning in enumerate(link.warnings):
        rows.append(_row(f"link-warning-{n}", "⚠", Content(clean_name(warning, 300)), "$warning-text"))
    if link.refusal is not None:
        rows.append(
            (
                "link-refusal",
                "✗",
                Content.assemble(("Will not open. ", "bold $text-error"), clean_name(link.refusal, 400)),
            )
        )
    return rows


class LinkModal(DialogModal[bool]):
    """Where a link goes; dismisses True only when the user chose Open (never for a refused link)."""

    DEFAULT_CSS = """
    LinkModal #link-facts {
        height: auto;
        max-height: 24;
    }
    LinkModal .link-fact {
        height: auto;
    }
    LinkModal .link-label {
        width: 9;
        text-style: bold;
    }
    LinkModal .link-value {
        width: 1fr;
    }
    """

    def __init__(self, link: Link) -> None:
        super().__init__()
        self.link = link

    def compose(self) -> ComposeResult:
        title = "Open this link?" if self.link.opens else "This link will not open"
        with Vertical(id="dialog"):
            yield Static(as_content(title), id="dialog-title")
            with VerticalScroll(id="link-facts"):
                for widget_id, label, value in describe(self.link):
                    with Horizontal(classes="link-fact"):
                        yield Static(as_content(label), classes="link-label")
                        yield Static(value, id=widget_id, classes="link-value")
            if self.link.opens:
                yield Static(as_content("It opens in your web browser or e-mail program."), classes="hint")
            with Horizontal(classes="buttons"):
                if self.link.opens:
                    yield Button(as_content("Open"), variant="primary", id="link-open")
                yield Button(as_content("Cancel" if self.link.opens else "Close"), id="link-cancel")

    def on_mount(self) -> None:
        # Cancel first: a stray Enter from the history (where Enter means reply) opens nothing.
        self.query_one("#link-cancel", Button).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#link-open")
    def _open(self) -> None:
        self.dismiss(self.link.opens)

    @on(Button.Pressed, "#link-cancel")
    def _cancel(self) -> None:
        self.dismiss(False)


def choice_label(link: Link) -> Content:
    text = Content(clean_name(link.text, 100))
    if note := link.annotation():
        text = Content.assemble(text, (f" ({clean_name(note, 100)})", "$text-muted"))
    return text


class LinkChooserModal(DialogModal[int]):
    """A message with several links: pick one (its index), or None."""

    DEFAULT_CSS = """
    LinkChooserModal #link-choices {
        height: auto;
        max-height: 16;
    }
    """

    def __init__(self, links: Sequence[Link]) -> None:
        super().__init__()
        self._links = list(links)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(as_content("Which link?"), id="dialog-title")
            yield OptionList(
                *(Option(choice_label(link), id=f"link-{n}") for n, link in enumerate(self._links)),
                id="link-choices",
            )
            with Horizontal(classes="buttons"):
                yield Button(as_content("Cancel"), id="link-choices-cancel")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    @on(Button.Pressed, "#link-choices-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
