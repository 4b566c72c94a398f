"""The reaction chips under a bubble: ` ❤️ 2 ` ` 👍 1 `, the user's own in its own style.

Chips are laid out by rich's `cell_len` (emoji are two cells, ZWJ sequences and flags included) and
wrap onto more rows rather than run past the view: no chip ever reaches the last column. Every emoji
here passed `domain.reactions.is_emoji` in the store, and is drawn as a plain segment (no markup).
Where each chip lands is returned too, so a click on one can toggle the user's own reaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui_messenger.domain.models import ReactionCount
from tui_messenger.domain.reactions import is_emoji

MAX_COUNT = 999


@dataclass(frozen=True, slots=True)
class ChipSpan:
    """A chip on screen: its row among the chip rows, its first cell and the cell after it."""

    row: int
    start: int
    end: int
    emoji: str


def chip_label(reaction: ReactionCount) -> str:
    count = f"{reaction.count}" if reaction.count <= MAX_COUNT else f"{MAX_COUNT}+"
    return f" {reaction.emoji} {count} "


def chip_lines(
    reactions: tuple[ReactionCount, ...],
    *,
    left: int,
    right: int,
    align_right: bool,
    width: int,
    base: Style,
    chip: Style,
    mine: Style,
) -> tuple[list[Strip], list[ChipSpan]]:
    """Rows of chips between columns `left` and `right` (exclusive), aligned to the bubble's side."""
    shown = [r for r in reactions if r.count > 0 and is_emoji(r.emoji)]  # belt and braces
    if not shown:
        return [], []
    right = min(right, width - 1)  # never the last column
    room = max(right - left, 1)
    rows: list[list[tuple[str, ReactionCount]]] = [[]]
    used = 0
    for reaction in shown:
        label = chip_label(reaction)
        cells = cell_len(label) + (1 if rows[-1] else 0)
        if rows[-1] and used + cells > room:
            rows.append([])
            used, cells = 0, cell_len(label)
        rows[-1].append((label, reaction))
        used += cells
    strips: list[Strip] = []
    spans: list[ChipSpan] = []
    for row_index, row in enumerate(rows):
        total = sum(cell_len(label) for label, _ in row) + len(row) - 1
        x = max(right - total, 0) if align_right else left
        segments = [Segment(" " * x, base)]
        for n, (label, reaction) in enumerate(row):
            if n:
                segments.append(Segment(" ", base))
                x += 1
            cells = cell_len(label)
            segments.append(Segment(label, mine if reaction.mine else chip))
            spans.append(ChipSpan(row_index, x, x + cells, reaction.emoji))
            x += cells
        strip = Strip(segments).crop(0, width)
        strips.append(strip.extend_cell_length(width, base))
    return strips, spans
