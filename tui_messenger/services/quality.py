"""The quality rating of each business, as testers see it (DESIGN.md section 3, rule 5).

Over the last 7 days, per business: negative signals = blocks + reports + "not interested" and "spam"
feedback; the negative rate = negative signals / messages delivered to the user.

- GREEN: negative rate below 5 %
- YELLOW: 5 % up to (not including) 15 %
- RED: 15 % or more; also any negative signal when nothing was delivered in the window

A client sees one user, so the figures are small: one block after ten messages is already red. That is the
point of the demo: the tester watches how the user's protections move the rating.
"""

from __future__ import annotations

from tui_messenger.domain.models import QualityRating, QualityReport
from tui_messenger.store.quality import BusinessFigures

DAYS = 7
YELLOW_AT = 0.05
RED_AT = 0.15


def rate(negative: int, delivered: int) -> QualityRating:
    if negative == 0:
        return QualityRating.GREEN
    if delivered == 0:
        return QualityRating.RED
    share = negative / delivered
    if share >= RED_AT:
        return QualityRating.RED
    if share >= YELLOW_AT:
        return QualityRating.YELLOW
    return QualityRating.GREEN


def report(figures: BusinessFigures) -> QualityReport:
    negative_feedback = figures.not_interested + figures.spam
    negative = figures.blocks + figures.reports + negative_feedback
    return QualityReport(
        business_id=figures.business_id,
        rating=rate(negative, figures.delivered),
        delivered=figures.delivered,
        blocks=figures.blocks,
        reports=figures.reports,
        negative_feedback=negative_feedback,
        useful_feedback=figures.useful,
        block_reasons=dict(figures.block_reasons),
    )
