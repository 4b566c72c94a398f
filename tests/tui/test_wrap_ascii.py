"""The history's fast wrap of ASCII text breaks exactly where Textual's Content wraps (its public API)."""

from __future__ import annotations

import random
import string

from textual.content import Content

from tui_messenger.tui.widgets.message_body import _wrap_ascii


def test_ascii_wrap_breaks_as_content_does() -> None:
    rng = random.Random(7)
    alphabet = string.ascii_letters + "      .,!-"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 160)))
        if rng.random() < 0.2:
            text = "w" * rng.randint(1, 90) + " " + text  # a word longer than the line: folded
        width = rng.randint(1, 50)
        expected = [line.plain.rstrip() for line in Content(text).wrap(width)]
        assert _wrap_ascii(text, width) == expected, (text, width)
