"""Snapshots of the dialogs in each built-in theme (pytest-textual-snapshot).

Update after an intended change with `pytest tests/snapshots --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

import pytest
from dialog_host import DialogHost, evidence
from snap_helpers import SIZE, THEMES

from tui_messenger.domain.models import (
    Account,
    AccountKind,
    BusinessProfile,
    Consent,
    ConsentSource,
    QualityRating,
    QualityReport,
)
from tui_messenger.tui.modals import BlockModal, ProfileModal, ReportModal


async def settle(pilot) -> None:
    # Without a first pause the screen is not laid out yet and the snapshot can miss the dialog.
    await pilot.pause()


@pytest.mark.parametrize("theme", THEMES)
def test_report_dialog(snap_compare, theme: str) -> None:
    app = DialogHost(ReportModal("N0rdbank", evidence()), theme=theme)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


@pytest.mark.parametrize("theme", THEMES)
def test_block_dialog(snap_compare, theme: str) -> None:
    app = DialogHost(BlockModal("Nordbank", is_business=True), theme=theme)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


@pytest.mark.parametrize("theme", THEMES)
def test_impostor_profile(snap_compare, theme: str) -> None:
    impostor = Account(
        id="biz.n0rdbank",
        display_name="N0rdbank",
        kind=AccountKind.BUSINESS,
        scam=True,
        profile=BusinessProfile(about="Your bank. Secure.", category="Bank", email="help@n0rdbank.example"),
    )
    quality = QualityReport(
        business_id="biz.n0rdbank",
        rating=QualityRating.RED,
        delivered=12,
        blocks=4,
        reports=3,
        negative_feedback=2,
        block_reasons={"Spam": 3, "Offensive": 1},
    )
    consent = Consent("biz.n0rdbank", opted_in=False, source=ConsentSource.DEMO)
    modal = ProfileModal(impostor, looks_like="Nordbank", consent=consent, quality=quality)
    app = DialogHost(modal, theme=theme)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)
