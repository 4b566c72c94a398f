"""Lay out one chat message as terminal lines (Strips) for the history view.

Everything drawn here is built from cleaned text (`clean_body` / `clean_name`) put into `Content`, then
into `Segment`s with plain Rich styles: no markup is parsed, no action or hyperlink metadata is attached
(a link carries only its index under our own meta key, see `link_marks`), no control character can reach
the terminal. A Line API view writes these strips as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.strip import Strip

from tui_messenger.domain.business import Buttons, ChoiceList
from tui_messenger.domain.edits import DELETED_TEXT
from tui_messenger.domain.files import caption_of
from tui_messenger.domain.models import ChatMessage, MessageKind, MessageStatus
from tui_messenger.domain.not_sent import not_sent_reason
from tui_messenger.domain.safe_text import clean_name
from tui_messenger.tui.widgets import interactive_model as im
from tui_messenger.tui.widgets.document_card import card_rows
from tui_messenger.tui.widgets.link_marks import annotate, mark_links
from tui_messenger.tui.widgets.message_body import (
    body_lines,
    body_text,
    opens_inline,
    without_blank_edges,
    wrap,
)
from tui_messenger.tui.widgets.reaction_chips import ChipSpan, chip_lines
from tui_messenger.tui.widgets.timefmt import clock_time

MAX_LINES_PER_MESSAGE = 60  # a system notice of more lines is cut

TICKS = {
    MessageStatus.PENDING: "🕓",
    MessageStatus.SENT: "✓",
    MessageStatus.DELIVERED: "✓✓",
    MessageStatus.READ: "✓✓",
    MessageStatus.FAILED: "✗",
}


@dataclass(frozen=True)
class Palette:
    """Rich styles resolved from the view's component classes (so from the theme)."""

    base: Style = field(default_factory=Style)
    incoming: Style = field(default_factory=Style)
    outgoing: Style = field(default_factory=Style)
    system: Style = field(default_factory=Style)
    meta: Style = field(default_factory=Style)
    read: Style = field(default_factory=Style)
    failed: Style = field(default_factory=Style)
    separator: Style = field(default_factory=Style)
    quote: Style = field(default_factory=Style)
    tag: Style = field(default_factory=Style)
    button: Style = field(default_factory=Style)
    answered: Style = field(default_factory=Style)
    cursor: Style = field(default_factory=Style)
    reaction: Style = field(default_factory=Style)  # a chip under the bubble
    reaction_mine: Style = field(default_factory=Style)  # ... the user's own


@dataclass(slots=True)
class Context:
    """What a message's layout needs to know beyond the message itself."""

    quoted: ChatMessage | None = None
    quoted_known: bool = False
    quoted_from: str = ""  # who wrote a quoted message that is not the user's (the chat's peer)
    answered: bool = False
    day_label: str | None = None  # a date separator goes above this message
    expanded: bool = False  # the reader asked to see all of a long body
    more_row: int | None = None  # set by `layout_message`: the bubble row of the show-more control
    more_inline: bool = False  # set by `layout_message`: Show more expands in place (else the reader)
    card_rows: range | None = None  # set by `layout_message`: the bubble rows of a document's card
    chip_row: int = 0  # set by `layout_message`: the bubble row of the first reaction chip row
    chips: list[ChipSpan] = field(default_factory=list)  # ... and where each chip is
    choices: list[ChoiceSpan] = field(default_factory=list)  # set by `layout_message`: open buttons, rows


@dataclass(frozen=True, slots=True)
class ChoiceSpan:
    """A reply button or list row drawn in a bubble that is still open (not answered): its bubble row,
    its first cell and the cell after it (in line cells, as chips), and the choice's id."""

    row: int
    start: int
    end: int
    choice_id: str


Piece = tuple[str, Style]


def _cells(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def _pieces_len(pieces: list[Piece]) -> int:
    return sum(_cells(text) for text, _ in pieces)


def _row(pieces: list[Piece], used: int, x: int, inner: int, bubble: Style, width: int, base: Style) -> Strip:
    """One bubble row: margin, padding, content, fill to the bubble's width, then the rest of the line."""
    segments = [Segment(" " * x, base), Segment(" ", bubble)]
    segments.extend(Segment(text, bubble + style) for text, style in pieces)
    segments.append(Segment(" " * (max(inner - used, 0) + 1), bubble))
    rest = width - x - inner - 2
    if rest > 0:
        segments.append(Segment(" " * rest, base))
    return Strip(segments, width)


def separator(label: str, width: int, palette: Palette) -> Strip:
    text = f" {label} "
    left = max((width - cell_len(text)) // 2, 0)
    right = max(width - left - cell_len(text), 0)
    return Strip(
        [
            Segment("─" * left, palette.separator),
            Segment(text, palette.separator),
            Segment("─" * right, palette.separator),
        ],
        width,
    )


def _footer(message: ChatMessage, palette: Palette) -> list[Piece]:
    pieces: list[Piece] = [(clock_time(message.sent_at), palette.meta)]
    if message.edited_at is not None and not message.deleted:
        pieces.insert(0, ("edited ", palette.meta))
    if message.outgoing:
        status = message.status
        style = palette.read if status is MessageStatus.READ else palette.meta
        if status is MessageStatus.FAILED:
            pieces.append(
                (f" ✗ Not sent{not_sent_reason(message.error_code)} · Enter to retry", palette.failed)
            )
        else:
            pieces.append((" " + TICKS[status], style))
    return pieces


QUOTED_NAME_MAX = 24  # characters of the peer's name before a quote's text
UNNAMED_PEER = "Them"  # a quote's writer when the chat's peer has no name to show


def _quote(ctx: Context, inner: int, palette: Palette) -> list[list[Piece]]:
    if ctx.quoted is None:
        text = "Original message" if not ctx.quoted_known else "Message not available"
        who = ""
    else:
        peer = clean_name(ctx.quoted_from, max_len=QUOTED_NAME_MAX) or UNNAMED_PEER
        who = "You" if ctx.quoted.outgoing else peer
        text = clean_name(ctx.quoted.body.replace("\n", " "), max_len=200)
        if ctx.quoted.deleted:
            text = DELETED_TEXT
    line = f"▎ {who}: {text}" if who else f"▎ {text}"
    shown = Content(line).truncate(max(inner, 4), ellipsis=True).plain
    return [[(shown, palette.quote)]]


HEADER_MAX = 60  # characters of an interactive message's header or footer (WhatsApp's own limit)


def _header_and_footer(message: ChatMessage, inner: int) -> tuple[list[str], list[str]]:
    """The lines of an interactive message's header (above its text) and footer (below it): network
    text, cleaned like a name and wrapped; none for any other message."""
    content = message.content
    if not isinstance(content, Buttons | ChoiceList):
        return [], []
    return (
        wrap(clean_name(content.header, max_len=HEADER_MAX), inner) if content.header else [],
        wrap(clean_name(content.footer, max_len=HEADER_MAX), inner) if content.footer else [],
    )


def _interactive_rows(
    message: ChatMessage, ctx: Context, inner: int, palette: Palette, spans: list[ChoiceSpan]
) -> list[list[Piece]]:
    """The buttons or list rows of a message; where each one is goes in `spans` (row among these rows,
    cells from the start of the content)."""
    choices = im.choices(message)
    if not choices:
        return []
    style = palette.answered if ctx.answered else palette.button
    rows: list[list[Piece]] = []
    if isinstance(message.content, ChoiceList):
        label = clean_name(message.content.button_label or "Choose", max_len=24)
        rows.append([(f"☰ {label}", style)])
        for choice in choices:
            text = f"• {clean_name(choice.title, 24)}"
            if choice.description:
                text += f" — {clean_name(choice.description, 72)}"
            for line in wrap(text, inner):
                spans.append(ChoiceSpan(len(rows), 0, _cells(line), choice.id))
                rows.append([(line, style)])
    else:
        current: list[Piece] = []
        for choice in choices:
            label = f"[ {clean_name(choice.title, 24)} ]"
            if current and _pieces_len(current) + 1 + cell_len(label) > inner:
                rows.append(current)
                current = []
            if current:
                current.append((" ", palette.meta))
            shown = Content(label).truncate(inner).plain
            start = _pieces_len(current)
            spans.append(ChoiceSpan(len(rows), start, start + _cells(shown), choice.id))
            current.append((shown, style))
        rows.append(current)
    if ctx.answered:
        rows.append([("answered", palette.meta)])
    return rows


def _tombstone(message: ChatMessage, width: int, max_inner: int, palette: Palette) -> list[Strip]:
    """A message deleted for everyone: "This message was deleted" (dim, italic) and its time."""
    label = Content(f"⊘ {DELETED_TEXT}").truncate(max_inner, ellipsis=True).plain
    footer = _footer(message, palette)
    inner = min(max(_cells(label), _pieces_len(footer)), max_inner)
    pad = max(inner - _pieces_len(footer), 0)
    bubble = palette.outgoing if message.outgoing else palette.incoming
    x = max(width - inner - 3, 0) if message.outgoing else 1
    rows = [([(label, palette.meta + Style(italic=True))], _cells(label)),
            ([(" " * pad, palette.meta), *footer], pad + _pieces_len(footer))]  # fmt: skip
    return [_row(pieces, used, x, inner, bubble, width, palette.base).crop(0, width) for pieces, used in rows]


def layout_message(
    message: ChatMessage, ctx: Context, width: int, palette: Palette
) -> tuple[list[Strip], int]:
    """The lines of one message at `width` cells, and the index of the first line of its bubble."""
    lines: list[Strip] = []
    if ctx.day_label:
        lines.append(Strip.blank(width, palette.base))
        lines.append(separator(ctx.day_label, width, palette))
    lines.append(Strip.blank(width, palette.base))
    start = len(lines)
    if message.kind is MessageKind.SYSTEM:
        # A refused send (testers only) is dimmed: the network's note, not part of the conversation.
        style = palette.meta + Style(dim=True, italic=True) if message.error_code else palette.system
        for text in wrap(body_text(message), max(width - 8, 8))[:MAX_LINES_PER_MESSAGE]:
            pad = max((width - cell_len(text)) // 2, 0)
            lines.append(
                Strip([Segment(" " * pad, palette.base), Segment(text, style)]).extend_cell_length(
                    width, palette.base
                )
            )
        return lines, start

    max_inner = max(min(width * 3 // 4, width - 6), 8)
    if message.deleted:  # a tombstone: no text, quote, file, choices or chips are left to show
        ctx.more_row, ctx.card_rows, ctx.chips, ctx.choices = None, None, [], []
        lines.extend(_tombstone(message, width, max_inner, palette))
        return lines, start
    rows: list[list[Piece]] = []
    if message.kind is MessageKind.TEMPLATE:
        category = message.template_category.value if message.template_category else "template"
        rows.append([(f"Template · {category}", palette.tag)])
    if message.reply_to:
        rows.extend(_quote(ctx, max_inner, palette))
    header, footnote = _header_and_footer(message, max_inner)
    rows.extend([(line, Style(bold=True))] for line in header)
    source, ctx.card_rows = without_blank_edges(message.body), None
    if message.kind is MessageKind.DOCUMENT:  # the file's card, then its caption as the body
        card = card_rows(message, max_inner, name=Style(bold=True), meta=palette.meta, warning=palette.failed,
                         button=palette.button)  # fmt: skip
        ctx.card_rows = range(len(rows), len(rows) + len(card))
        rows.extend(card)
        source = without_blank_edges(caption_of(message.body))
    text, links = annotate(source)  # " (xn--…)" after links that need it
    body, more = body_lines(text, ctx.expanded, max_inner) if source or not ctx.card_rows else ([], None)
    marked = mark_links(body, links, palette.meta)
    if message.kind is MessageKind.LOCKED:  # the app's own words while the key is missing: a quiet note
        marked = [[(piece, palette.meta + Style(italic=True)) for piece, _ in row] for row in marked]
    rows.extend(marked)
    ctx.more_row = None
    if more is not None:
        ctx.more_row, ctx.more_inline = len(rows), opens_inline(text)  # the text `body_lines` judged
        rows.append([(Content(more).truncate(max_inner, ellipsis=True).plain, palette.button)])
    rows.extend([(line, palette.meta)] for line in footnote)
    spans: list[ChoiceSpan] = []
    first_choice_row = len(rows)
    rows.extend(_interactive_rows(message, ctx, max_inner, palette, spans))
    footer = _footer(message, palette)
    footer_len = _pieces_len(footer)
    lengths = [_pieces_len(r) for r in rows]
    inner = min(max([*lengths, footer_len]), max_inner)
    footer_pad = max(inner - footer_len, 0)
    rows.append([(" " * footer_pad, palette.meta), *footer])
    lengths.append(footer_pad + footer_len)
    bubble = palette.outgoing if message.outgoing else palette.incoming
    x = max(width - inner - 3, 0) if message.outgoing else 1
    open_choices = [] if ctx.answered or message.outgoing else spans
    ctx.choices = [
        ChoiceSpan(first_choice_row + s.row, x + 1 + s.start, x + 1 + min(s.end, inner), s.choice_id)
        for s in open_choices
    ]
    for pieces, used in zip(rows, lengths, strict=True):
        strip = _row(pieces, used, x, inner, bubble, width, palette.base)
        lines.append(strip.crop(0, width) if strip.cell_length > width else strip)
    chips, ctx.chips = chip_lines(
        message.reactions, left=x, right=x + inner + 2, align_right=message.outgoing, width=width,
        base=palette.base, chip=palette.reaction, mine=palette.reaction_mine,
    )  # fmt: skip
    ctx.chip_row = len(rows)
    lines.extend(chips)
    return lines, start
