"""What the people in the demo world say: a small repertoire that fits the user's text well enough."""

from __future__ import annotations

import random
import re

_RULES: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (
        ("how are you", "how's it going", "how are things"),
        ("All good here, busy week. You?", "Great, thanks! And you?"),
    ),
    (("thanks", "thank you", "thx", "danke"), ("You're welcome!", "Anytime 😊")),
    (("bye", "see you", "good night", "ciao"), ("Bye! Talk soon.", "See you! 👋")),
    (
        ("dinner", "lunch", "coffee", "meet", "tomorrow", "tonight", "friday", "weekend"),
        ("Sounds good, I'm in!", "Works for me. What time?", "Yes! Where shall we meet?"),
    ),
    (("hi", "hello", "hey", "hallo", "moin"), ("Hey! 👋", "Hi! How are you?", "Hello :)")),
    (("sorry",), ("No worries at all!",)),
    (("haha", "lol", "😂"), ("😂😂", "Haha, right?")),
]
_QUESTION = ("Good question, let me check and get back to you.", "Hmm, not sure. What do you think?")
_DEFAULT = ("Haha, nice", "Sounds good 👍", "Ok!", "Tell me more", "Oh really?")
OPENERS = (
    "Hey, are you free this weekend?",
    "Did you see the match yesterday?",
    "Coffee tomorrow morning?",
    "Can you send me that recipe again?",
)
_WORDS = re.compile(r"[^\w?😂']+")


def normalise(text: str) -> str:
    """Lower case, punctuation as spaces, padded: `" how are you? "`, for whole-word matching."""
    return f" {_WORDS.sub(' ', text.casefold()).strip()} "


def reply_for(text: str, rng: random.Random) -> str:
    words = normalise(text)
    for keys, answers in _RULES:
        if any(f" {key} " in words or (" " in key and key in words) for key in keys):
            return rng.choice(answers)
    if "?" in text:
        return rng.choice(_QUESTION)
    return rng.choice(_DEFAULT)


def contains_any(text: str, words: list[str]) -> bool:
    """A business keyword or branch word appears in the text (case-insensitive, punctuation ignored)."""
    haystack = normalise(text)
    return any(normalise(w).strip() and normalise(w).strip() in haystack for w in words)
