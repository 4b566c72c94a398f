"""Consent as users mean it: the words that stop promotions, and the lines that say so in the chat.

A message to a business that is only STOP, UNSUBSCRIBE or STOPP (any case, with spaces or punctuation
around it) stops marketing from that business, as does the "Stop promotions" quick reply of a marketing
template. Such a message is an opt-out, never a reply: it opts the user in to nothing and accepts no
request. Standard library only.
"""

from __future__ import annotations

import unicodedata

STOP_WORDS = frozenset({"stop", "unsubscribe", "stopp"})
STOP_BUTTONS = frozenset({"stop promotions", "opt out"})  # quick-reply titles of marketing templates
REFUSAL_SENDER = "server"  # the sender id of a "Refused by the platform" line: the network, not the business


def _bare(text: str) -> str:
    """The text without surrounding whitespace, punctuation or symbols, casefolded."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    start, end = 0, len(cleaned)
    while start < end and _edge(cleaned[start]):
        start += 1
    while end > start and _edge(cleaned[end - 1]):
        end -= 1
    return cleaned[start:end].casefold()


def _edge(char: str) -> bool:
    category = unicodedata.category(char)
    return char.isspace() or category[0] in "PSZC"


def is_stop_word(text: str) -> bool:
    """True for a message that is only a stop word: "STOP", " stop! ", "Unsubscribe.", "STOPP"."""
    return _bare(text) in STOP_WORDS


def is_stop_reply(title: str) -> bool:
    """True for the quick reply that stops promotions ("Stop promotions", chosen or typed), or a stop
    word alone."""
    bare = " ".join(_bare(title).split())
    return bare in STOP_BUTTONS or bare in STOP_WORDS


def preference_line(name: str, *, stopped: bool, changed: bool = True) -> str:
    """The system line in the business's chat after the user stops or resumes its promotions."""
    if stopped:
        first = f"You stopped promotions from {name}." if changed else f"Promotions from {name} stay stopped."
        return f"{first} They can still send you service messages."
    return f"You resumed promotions from {name}." if changed else f"Promotions from {name} are on."


def refusal_line(code: int, title: str, text: str) -> str:
    """The tester's line for a business send the platform refused."""
    what = f" “{text}”" if text else ""
    return f"Refused by the platform ({code}): {title or 'not delivered'}.{what}"
