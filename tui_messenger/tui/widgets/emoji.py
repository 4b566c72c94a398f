"""Emoji shortcodes (`:thumbsup:` -> 👍), replaced when a message is sent."""

from __future__ import annotations

import re

SHORTCODES: dict[str, str] = {
    "thumbsup": "👍",
    "+1": "👍",
    "thumbsdown": "👎",
    "-1": "👎",
    "smile": "😄",
    "grin": "😁",
    "joy": "😂",
    "wink": "😉",
    "heart": "❤️",
    "ok_hand": "👌",
    "pray": "🙏",
    "clap": "👏",
    "tada": "🎉",
    "fire": "🔥",
    "rocket": "🚀",
    "eyes": "👀",
    "thinking": "🤔",
    "cry": "😢",
    "wave": "👋",
    "check": "✅",
    "x": "❌",
    "warning": "⚠️",
    "sunglasses": "😎",
    "coffee": "☕",
    "airplane": "✈️",
    "moneybag": "💰",
}

_CODE = re.compile(r":([a-z0-9_+\-]{1,32}):")


def replace_shortcodes(text: str) -> str:
    """Replace known `:name:` codes; unknown ones stay as typed."""
    return _CODE.sub(lambda m: SHORTCODES.get(m.group(1), m.group(0)), text)
