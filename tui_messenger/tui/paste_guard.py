"""A paste is text, whatever it holds.

A terminal brackets what the user pastes (ESC [200~ … ESC [201~). Textual's input parser reads an ESC
inside a paste as the start of a key sequence, and when that sequence means nothing it hands every one of
its characters to the app as keys, not as pasted text: a pasted `ESC [31m` followed by a control
character pressed that key (BEL is ctrl+g, "Find in chat"; a ctrl+q quit the app), and the text after it
was typed ahead of the text before it. `PasteGuard` sits in front of that parser (installed by
`textual_private.guard_pastes`) and turns every ESC inside a paste, other than the one that ends it, into
"␛" (U+241B, the symbol for escape): the whole paste arrives as one paste, and nothing in it is a key.
"""

from __future__ import annotations

ESC = "\x1b"
PASTE_START = ESC + "[200~"
PASTE_END = ESC + "[201~"
SHOWN_ESC = "\u241b"  # ␛


class PasteGuard:
    """Filters one terminal's input, as it is read (a marker may be cut between two reads)."""

    def __init__(self) -> None:
        self.inside = False  # between a paste's start and its end
        self._held = ""  # the start of what may be a paste's end, read last time and not passed on yet
        self._tail = ""  # the end of the last read (passed on), if a paste's start may go on in this one

    def filter(self, data: str) -> str:
        text, self._held = self._held + data, ""
        out: list[str] = []
        at = 0
        if self._tail and (self._tail + text).startswith(PASTE_START):  # a start the last read cut
            at = len(PASTE_START) - len(self._tail)
            out.append(text[:at])
            self.inside = True
        self._tail = ""
        while at < len(text):
            marker = PASTE_END if self.inside else PASTE_START
            if text.startswith(marker, at):
                out.append(marker)
                self.inside = not self.inside
                at += len(marker)
            elif self.inside and text[at] == ESC:
                if PASTE_END.startswith(text[at:]):  # the paste's end, maybe, cut by the read
                    self._held = text[at:]
                    break
                out.append(SHOWN_ESC)
                at += 1
            else:
                out.append(text[at])
                at += 1
        if not self.inside:  # (nothing outside a paste is held back: an Escape key must reach the app)
            self._tail = next(
                (text[-n:] for n in range(len(PASTE_START) - 1, 0, -1) if text.endswith(PASTE_START[:n])), ""
            )
        return "".join(out)
