"""Links inside a laid-out body: the note that says where a link really goes, the link style, and the
way back from a clicked cell to the link.

A link is marked in its segments' style with `Style(meta={LINK_META: n})`, where `n` is its index in
`links_in(link_source(message))`. That key is ours: Textual runs only `@click`-style meta keys as
actions, and a Rich `Style(link=...)` would become an OSC 8 hyperlink in the terminal; neither is ever
attached. A click is mapped to a link by reading that integer back (`link_index_at`), and the screen
opens the link only after asking (see `tui/conversation/links.py`).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from textual.strip import Strip

from tui_messenger.domain.files import caption_of
from tui_messenger.domain.links import Link, find_links, may_hold_links
from tui_messenger.domain.models import ChatMessage, MessageKind
from tui_messenger.domain.safe_text import clean_body

LINK_META = "tm-link"
SCAN_CHARS = 16_000  # links are looked for in this much of a body (what "Show more" can expand inline)
LINK_STYLE = Style(underline=True)

Piece = tuple[str, Style]


def link_source(message: ChatMessage) -> str:
    """The text whose links a message's bubble marks: its body, or a document's caption (the bubble
    shows the file's name on its card, not as text; `message_layout` lays out the same text)."""
    return caption_of(message.body) if message.kind is MessageKind.DOCUMENT else message.body


def _shown_head(body: str) -> str:
    """The head of a body as the bubble shows it: escape sequences gone (an OSC 8 target is not a
    link of the message), hidden characters as `⟨U+200B⟩` markers (a link holding one is refused)."""
    return clean_body(body[:SCAN_CHARS])


def links_in(body: str) -> list[Link]:
    """The links of a message body as shown, in order (the indexes the marks carry)."""
    if not may_hold_links(body[:SCAN_CHARS]):
        return []
    return find_links(_shown_head(body))


def annotate(body: str) -> tuple[str, list[Link]]:
    """The body with " (note)" after each link that needs one (`Link.annotation`), and its links.

    Links are found in the cleaned head, never in the raw text: a note must not land inside an escape
    sequence (it would split the text around it once the sequence is removed). A body with no note
    comes back as it is."""
    links = links_in(body)
    if not any(link.annotation() for link in links):
        return body, links
    head = _shown_head(body)
    parts: list[str] = []
    pos = 0
    for link in links:
        if note := link.annotation():
            parts.extend((head[pos : link.end], f" ({note})"))
            pos = link.end
    parts.extend((head[pos:], body[SCAN_CHARS:]))
    return "".join(parts), links


def mark_links(lines: list[str], links: list[Link], note_style: Style) -> list[list[Piece]]:
    """The wrapped body lines as pieces, links underlined and carrying their index.

    Wrapping only removes the spaces where it breaks, and an address holds no spaces, so a link folded
    over several lines is contiguous in the lines joined without separators: each link (as
    `clean_body` shows it) is looked up there in order, then cut back into the lines.
    """
    if not links:
        return [[(line, Style())] for line in lines]
    joined = "".join(lines)
    spans: list[tuple[int, int, Style]] = []
    cursor = 0
    for index, link in enumerate(links):
        shown = clean_body(link.text)
        at = joined.find(shown, cursor)
        if at < 0:
            break  # cut off by "Show more": the rest is not on screen
        meta = Style(meta={LINK_META: index})
        spans.append((at, at + len(shown), LINK_STYLE + meta))
        cursor = at + len(shown)
        if note := link.annotation():
            text = f"({note})"
            if joined.startswith(text, cursor) or joined.startswith(text, cursor + 1):
                start = cursor if joined.startswith(text, cursor) else cursor + 1
                spans.append((start, start + len(text), note_style + meta))
                cursor = start + len(text)
    rows: list[list[Piece]] = []
    offset = 0
    span_index = 0
    for line in lines:
        end = offset + len(line)
        pieces: list[Piece] = []
        pos = offset
        while span_index < len(spans) and spans[span_index][0] < end:
            start, stop, style = spans[span_index]
            if start > pos:
                pieces.append((joined[pos:start], Style()))
            cut = min(stop, end)
            pieces.append((joined[max(start, pos) : cut], style))
            pos = cut
            if stop > end:
                break  # continues on the next line
            span_index += 1
        if pos < end:
            pieces.append((joined[pos:end], Style()))
        rows.append(pieces or [("", Style())])
        offset = end
    return rows


def link_index_at(strip: Strip, x: int) -> int | None:
    """The link index marked at cell `x` of a laid-out line, if any."""
    cells = 0
    for segment in strip:
        width = cell_len(segment.text)
        if cells <= x < cells + width:
            style = segment.style
            if style is None or not style.meta:
                return None
            value = style.meta.get(LINK_META)
            return value if isinstance(value, int) else None
        cells += width
    return None
