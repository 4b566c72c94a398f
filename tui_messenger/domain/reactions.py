"""Reactions: what counts as one emoji, the `:shortcode:` table, and the counts under a bubble.

A reaction is exactly one emoji grapheme, checked here by a small grammar after Unicode TS #51 (no
dependency, no Unicode data file): an emoji base with an optional presentation selector or skin tone,
joined to more by ZWJ (👩‍💻, 👨‍👩‍👧), a flag (two regional indicators, or a subdivision tag sequence
such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿), or a keycap (1️⃣). Anything else (letters, markup, control characters, two emoji,
hidden characters around one) is refused: a reaction is network data drawn under a bubble, and the
grammar keeps it to one picture.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tui_messenger.domain.models import ReactionCount

MAX_JOINED = 10  # emoji in one ZWJ sequence (the longest in use have 4 or 5)
MAX_CODE_POINTS = 16  # the wire's cap (wire.MAX_EMOJI_CHARS)

# Emoji bases outside the supplementary planes: symbols that are emoji by default or nearly always used
# as such (❤ ☕ ✈ ⭐ ⚡ ✅ ...). Arrows, ©, ® and ™ count only with the emoji selector U+FE0F.
_BMP = (
    "\u231a\u231b\u2328\u23cf\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe"
    "\u2600-\u27bf\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299"
)
_TEXT_DEFAULT = "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa"
# The supplementary emoji blocks, less the regional indicators (flags only come in pairs).
_WIDE = "\U0001f000-\U0001f1e5\U0001f200-\U0001faff"
_MODIFIER = "[\U0001f3fb-\U0001f3ff]"
_TAGS = "[\U000e0020-\U000e007e]+\U000e007f"
_ELEMENT = (
    rf"(?:[{_BMP}{_WIDE}](?:\ufe0f|{_MODIFIER})?(?:{_TAGS})?"
    rf"|[{_TEXT_DEFAULT}]\ufe0f)"
)
_KEYCAP = "[0-9#*]\ufe0f?\u20e3"
_FLAG = "[\U0001f1e6-\U0001f1ff]{2}"
_EMOJI = re.compile(rf"(?:{_FLAG}|{_KEYCAP}|{_ELEMENT}(?:\u200d{_ELEMENT}){{0,{MAX_JOINED - 1}}})")

# The picker's row of one-press reactions (the big messengers' defaults).
QUICK_REACTIONS: tuple[str, ...] = ("👍", "❤️", "😂", "😮", "😢", "🙏", "🎉", "🔥")

SHORTCODES: dict[str, str] = {
    "thumbsup": "👍",
    "+1": "👍",
    "like": "👍",
    "thumbsdown": "👎",
    "-1": "👎",
    "heart": "❤️",
    "love": "❤️",
    "joy": "😂",
    "laughing": "😆",
    "smile": "😄",
    "grin": "😁",
    "slightly_smiling_face": "🙂",
    "wink": "😉",
    "heart_eyes": "😍",
    "open_mouth": "😮",
    "wow": "😮",
    "astonished": "😲",
    "cry": "😢",
    "sob": "😭",
    "angry": "😠",
    "rage": "😡",
    "pray": "🙏",
    "clap": "👏",
    "ok_hand": "👌",
    "muscle": "💪",
    "wave": "👋",
    "raised_hands": "🙌",
    "tada": "🎉",
    "fire": "🔥",
    "rocket": "🚀",
    "eyes": "👀",
    "thinking": "🤔",
    "sunglasses": "😎",
    "100": "💯",
    "star": "⭐",
    "sparkles": "✨",
    "check": "✅",
    "white_check_mark": "✅",
    "x": "❌",
    "warning": "⚠️",
    "coffee": "☕",
    "airplane": "✈️",
    "moneybag": "💰",
    "skull": "💀",
    "shrug": "🤷",
    "facepalm": "🤦",
}

_SHORTCODE = re.compile(r":([a-z0-9_+\-]{1,32}):")


def is_emoji(text: str) -> bool:
    """Whether `text` is exactly one emoji grapheme (nothing before, after or hidden around it)."""
    if not text or len(text) > MAX_CODE_POINTS:
        return False
    return _EMOJI.fullmatch(text) is not None


def normalize(emoji: str) -> str:
    """One spelling per emoji: a lone symbol such as ❤ or ☕ gets its emoji selector (❤️), so a peer
    that sends it bare is counted under the same chip."""
    if len(emoji) == 1 and "\u2000" <= emoji <= "\uffff" and _EMOJI.fullmatch(emoji):
        return emoji + "\ufe0f"
    return emoji


def resolve(text: str) -> str | None:
    """What the user typed in the picker as a reaction: a `:shortcode:`, a bare shortcode name, or a
    pasted emoji (surrounding spaces ignored). None when it is none of those."""
    text = text.strip()
    if not text or len(text) > 40:
        return None
    name = text.casefold()
    if name.startswith(":") and name.endswith(":") and len(name) > 2:
        name = name[1:-1]
    if name in SHORTCODES:
        return normalize(SHORTCODES[name])
    return normalize(text) if is_emoji(text) else None


def matching_shortcodes(prefix: str, *, limit: int = 8) -> list[tuple[str, str]]:
    """(name, emoji) pairs whose name starts with `prefix` (a leading colon ignored), for suggestions."""
    prefix = prefix.strip().casefold().lstrip(":").rstrip(":")
    if not prefix:
        return []
    return [(name, emoji) for name, emoji in SHORTCODES.items() if name.startswith(prefix)][:limit]


def replace_shortcodes(text: str) -> str:
    """Replace known `:name:` codes in composed text; unknown ones stay as typed."""
    return _SHORTCODE.sub(lambda m: SHORTCODES.get(m.group(1), m.group(0)), text)


@dataclass(frozen=True, slots=True)
class Reaction:
    """One person's reaction as stored: who, which emoji, when (ms since the epoch)."""

    message_id: str
    reactor_id: str
    emoji: str
    reacted_at: int


def summarize(reactions: Iterable[Reaction], user_id: str) -> tuple[ReactionCount, ...]:
    """The chips under one bubble: one per emoji, most used first, ties by who reacted first."""
    counts: dict[str, list[int]] = {}  # emoji -> [count, first reacted_at, mine]
    for r in reactions:
        if not r.emoji:
            continue
        entry = counts.setdefault(r.emoji, [0, r.reacted_at, 0])
        entry[0] += 1
        entry[1] = min(entry[1], r.reacted_at)
        entry[2] |= r.reactor_id == user_id
    ordered = sorted(counts.items(), key=lambda item: (-item[1][0], item[1][1], item[0]))
    return tuple(ReactionCount(emoji, n, bool(mine)) for emoji, (n, _, mine) in ordered)


def toggled(current: tuple[ReactionCount, ...], emoji: str) -> str:
    """The emoji to send when the user picks `emoji`: the same as their current one takes it back ("")."""
    mine = next((c.emoji for c in current if c.mine), None)
    return "" if mine == emoji else emoji
