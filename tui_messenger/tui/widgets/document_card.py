"""The card a document message shows in its bubble: the file's name (shown safely), its true type and
size, a warning when the name or mime type lies about the bytes, and how to save it.

    📄 boarding-pass.pdf · PDF document · 84 KB
    ⤓ Save · s or click

A file still on the network (Matrix: fetched only when saved) shows the type its sender claims instead,
and "Download and save"; once saved, the type its bytes turned out to be. A file the user saved says
where ("✓ Saved to …") and offers "Save again".

Every piece is plain text from the safe path (`display_name` shows bidi controls as `⟨U+202E⟩`), so a
hostile name can neither reorder the card nor reach the terminal as a control sequence.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from textual.content import Content

from tui_messenger.domain.files import display_name, file_facts, message_file
from tui_messenger.domain.models import ChatMessage
from tui_messenger.domain.safe_text import clean_name

Piece = tuple[str, Style]
SAVE_HINT = "⤓ Save · s or click"
FETCH_HINT = "⤓ Download and save · s or click"  # a file still on the network
SAVED = "✓ Saved to {path}"
AGAIN_HINT = "⤓ Save again · s or click"


def _fit(text: str, inner: int) -> str:
    return text if cell_len(text) <= inner else Content(text).truncate(inner, ellipsis=True).plain


def card_rows(
    message: ChatMessage, inner: int, *, name: Style, meta: Style, warning: Style, button: Style
) -> list[list[Piece]]:
    """The card's rows (each at most `inner` cells). A document whose file is not here says so."""
    checked = message_file(message)
    info = message.attachment
    if checked is None or info is None:
        return [[(_fit("📄 file not available", inner), meta)]]
    facts = file_facts(info, checked.true_type)
    shown = display_name(info.file_name, max_len=max(inner - 3, 12))
    one_line = f"📄 {shown} · {facts}"
    if cell_len(one_line) <= inner:
        rows = [[("📄 ", Style()), (shown, name), (f" · {facts}", meta)]]
    else:
        rows = [[(_fit(f"📄 {shown}", inner), name)], [(_fit(facts, inner), meta)]]
    if checked.warning:
        rows.extend([[(line.plain.rstrip(), warning)] for line in Content(checked.warning).wrap(inner)])
    if info.saved_to is not None:
        rows.append([(_fit(SAVED.format(path=clean_name(info.saved_to, 240)), inner), meta)])
        rows.append([(_fit(AGAIN_HINT, inner), button)])
    else:
        rows.append([(_fit(FETCH_HINT if info.remote else SAVE_HINT, inner), button)])
    return rows
