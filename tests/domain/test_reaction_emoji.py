"""Reactions in the domain: one emoji grapheme, shortcodes, and the chips' counts."""

from __future__ import annotations

import pytest

from tui_messenger.domain.models import ReactionCount
from tui_messenger.domain.reactions import (
    QUICK_REACTIONS,
    SHORTCODES,
    Reaction,
    is_emoji,
    matching_shortcodes,
    normalize,
    replace_shortcodes,
    resolve,
    summarize,
    toggled,
)


@pytest.mark.parametrize(
    "text",
    [
        "👍",
        "❤️",
        "❤",  # bare heart, as many keyboards send it
        "👍🏽",  # skin tone
        "👩\u200d💻",  # ZWJ sequence
        "👨\u200d👩\u200d👧\u200d👦",
        "👩🏽\u200d❤️\u200d💋\u200d👨🏻",
        "🤷\u200d♀️",
        "🇩🇪",  # flag: two regional indicators
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland: tag sequence
        "1️⃣",  # keycap
        "#\u20e3",
        "©️",  # text-default symbol with the emoji selector
        "☕",
    ],
)
def test_one_emoji_grapheme_is_accepted(text: str) -> None:
    assert is_emoji(text)
    assert resolve(text) == normalize(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "a",
        "ok",
        "👍👍",  # two emoji
        "👍 ",  # resolve strips, but a raw reaction must be exact
        "[b]x[/]",
        "[@click=app.quit]👍[/]",
        "\x1b[31m👍",
        "👍\x1b]2;pwned\x07",
        "👍\u200b",  # hidden character after it
        "\u202e👍",  # bidi override before it
        "\u200d👍",
        "👍\u200d",
        "🇩",  # half a flag
        "©",  # text presentation: a letter-like sign, not a picture
        "™",
        "👍\ufe0f\ufe0f\ufe0f\ufe0f",  # selector smuggling
        "👍" + "\U000e0041" * 20,  # tag smuggling without a terminator
        "1",
        "\u20e3",
        "👍" + "\u200d👍" * 12,  # a ZWJ chain longer than any real emoji
    ],
)
def test_anything_but_one_emoji_is_refused(text: str) -> None:
    assert not is_emoji(text)


@pytest.mark.parametrize(
    ("typed", "emoji"),
    [
        (":thumbsup:", "👍"),
        (":+1:", "👍"),
        ("thumbsup", "👍"),
        (":heart:", "❤️"),
        (":joy:", "😂"),
        (":open_mouth:", "😮"),
        (":cry:", "😢"),
        (":pray:", "🙏"),
        (":tada:", "🎉"),
        (":fire:", "🔥"),
        ("  :FIRE:  ", "🔥"),
        ("❤", "❤️"),
    ],
)
def test_resolve_shortcodes_and_pasted_emoji(typed: str, emoji: str) -> None:
    assert resolve(typed) == emoji


@pytest.mark.parametrize("typed", [":nope:", "::", ":", "thumbs up", "[red]x", ":" + "a" * 50 + ":"])
def test_resolve_refuses_unknown_text(typed: str) -> None:
    assert resolve(typed) is None


def test_every_shortcode_and_quick_reaction_is_one_emoji() -> None:
    assert len(SHORTCODES) >= 30
    for name, emoji in SHORTCODES.items():
        assert is_emoji(emoji), name
    for emoji in QUICK_REACTIONS:
        assert is_emoji(emoji) and normalize(emoji) == emoji


def test_matching_shortcodes_suggests_by_prefix() -> None:
    names = [name for name, _ in matching_shortcodes(":th")]
    assert names[:2] == ["thumbsup", "thumbsdown"]
    assert "thinking" in names
    assert matching_shortcodes("") == []


def test_replace_shortcodes_in_composed_text() -> None:
    assert replace_shortcodes("great :tada: see :nope:") == "great 🎉 see :nope:"


def test_summarize_counts_orders_and_marks_mine() -> None:
    rows = [
        Reaction("m1", "anna", "❤️", 30),
        Reaction("m1", "me", "👍", 20),
        Reaction("m1", "bob", "👍", 40),
        Reaction("m1", "carl", "😂", 10),
        Reaction("m1", "dora", "", 5),  # a taken-back reaction is not shown
    ]
    assert summarize(rows, "me") == (
        ReactionCount("👍", 2, mine=True),
        ReactionCount("😂", 1, mine=False),  # ties: who reacted first
        ReactionCount("❤️", 1, mine=False),
    )
    assert summarize([], "me") == ()


def test_toggled_takes_back_the_same_emoji() -> None:
    current = (ReactionCount("👍", 2, mine=True), ReactionCount("❤️", 1))
    assert toggled(current, "👍") == ""
    assert toggled(current, "❤️") == "❤️"
    assert toggled((), "🔥") == "🔥"
