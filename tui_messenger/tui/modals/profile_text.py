"""Wording for the profile panel, kept apart so it can be tested without a screen."""

from __future__ import annotations

from textual.content import Content

from tui_messenger.domain.models import Account, QualityRating, QualityReport
from tui_messenger.tui.safe import safe_name


def verification_text(account: Account) -> tuple[Content, Content, bool]:
    """(headline, what it means, trusted) for a business account. Only the directory's flag counts,
    and only for the name it confirmed: a renamed business is not trusted until confirmed again."""
    if account.badge:
        return (
            Content("✓ Verified by the directory"),
            Content("The network confirmed who runs this account; the badge shows only for this name."),
            True,
        )
    if account.verified and account.verified_name:
        return (
            Content("Verification pending"),
            Content.assemble(
                "The directory verified this account as ",
                safe_name(account.verified_name),
                ". It has changed its name since, and the new name is not confirmed yet.",
            ),
            False,
        )
    return (
        Content("Not verified: anyone can pick this name"),
        Content("The directory does not vouch for who runs this account."),
        False,
    )


_RATING_WORDS = {
    QualityRating.GREEN: "Green: people find its messages useful",
    QualityRating.YELLOW: "Yellow: some people block, report or reject its messages",
    QualityRating.RED: "Red: many people block, report or reject its messages",
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def quality_lines(quality: QualityReport) -> tuple[Content, Content]:
    """The rating and the figures behind it, as testers read them in the pilot report."""
    headline = Content(f"● {_RATING_WORDS[quality.rating]}")
    figures = [
        f"{_plural(quality.delivered, 'message')} delivered",
        _plural(quality.blocks, "block"),
        _plural(quality.reports, "report"),
        f"{quality.negative_feedback} negative feedback",
        f"{quality.useful_feedback} useful",
        f"{quality.negative_rate:.1%} negative",
    ]
    # Two lines of three: one long line wraps mid-figure in the dialog.
    text = " · ".join(figures[:3]) + "\n" + " · ".join(figures[3:])
    if quality.block_reasons:
        # Reasons are our enum's values, but they come back through the store: treat them as data.
        reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(quality.block_reasons.items()))
        return headline, Content.assemble(text, "\nBlocks by reason: ", safe_name(reasons))
    return headline, Content(text)
