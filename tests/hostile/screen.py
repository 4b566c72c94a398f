"""A tiny terminal screen: enough of VT100 to read what Textual drew (cursor moves and text)."""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"\x1b\[([0-9;?<>=]*)([ -/]*)([@-~])"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1b[^\[\]]"  # other ESC
    r"|([^\x1b\r\n]+)|(\r)|(\n)"
)


def screen_text(data: bytes, width: int = 120, height: int = 40) -> list[str]:
    rows = [[" "] * width for _ in range(height)]
    row = col = 0
    for match in _TOKEN.finditer(data.decode("utf-8", errors="replace")):
        params, _inter, final, text, cr, lf = match.groups()
        if text is not None:
            for ch in text:
                if 0 <= row < height and 0 <= col < width:
                    rows[row][col] = ch
                col += 1
        elif cr:
            col = 0
        elif lf:
            row = min(row + 1, height - 1)
        elif final == "H":
            parts = [p for p in (params or "").split(";")]
            row = int(parts[0] or 1) - 1 if parts and parts[0] else 0
            col = int(parts[1] or 1) - 1 if len(parts) > 1 and parts[1] else 0
        elif final == "J" and params in ("2", "3"):
            rows = [[" "] * width for _ in range(height)]
    return ["".join(r).rstrip() for r in rows]
