"""The profile panel: what the directory says, shown safely; Block / Report / Close by key and mouse."""

from __future__ import annotations

from modal_host import HOSTILE, HOSTILE_VISIBLE, T0, ModalHost, assert_no_controls, screen_text, tab_to

from tui_messenger.domain.models import (
    Account,
    AccountKind,
    BusinessProfile,
    Consent,
    ConsentSource,
    QualityRating,
    QualityReport,
)
from tui_messenger.tui.modals import ProfileAction, ProfileModal

SIZE = (120, 40)

NORDBANK = Account(
    id="biz.nordbank",
    display_name="Nordbank",
    kind=AccountKind.BUSINESS,
    verified=True,
    verified_name="Nordbank",
    profile=BusinessProfile(
        about="Banking for the north",
        description="Accounts, cards and loans.",
        category="Bank",
        address="Hafenstraße 1, Hamburg",
        email="help@nordbank.example",
        websites=("https://nordbank.example",),
        hours="Mon-Fri 08:00-18:00",
    ),
)
IMPOSTOR = Account(id="biz.n0rdbank", display_name="N0rdbank", kind=AccountKind.BUSINESS, scam=True)
QUALITY = QualityReport(
    business_id="biz.nordbank",
    rating=QualityRating.YELLOW,
    delivered=40,
    blocks=2,
    reports=1,
    negative_feedback=3,
    useful_feedback=9,
    block_reasons={"Spam": 2},
)


async def test_verified_business_profile() -> None:
    consent = Consent("biz.nordbank", True, ConsentSource.WEBSITE, T0, marketing_stopped=True)
    app = ModalHost(ProfileModal(NORDBANK, consent=consent, quality=QUALITY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app.screen)
        assert "✓ Verified by the directory" in text
        assert "confirmed who runs this account" in text
        for field in ("Banking for the north", "Bank", "Hafenstraße 1", "help@nordbank.example"):
            assert field in text
        assert "https://nordbank.example" in text and "Mon-Fri 08:00-18:00" in text
        assert "You opted in on their website on 2026-01-05 09:00." in text
        assert "You stopped promotions" in text
        assert "Yellow" in text and "40 messages delivered · 2 blocks · 1 report" in text
        assert "15.0% negative" in text and "Blocks by reason: Spam 2" in text
        assert "Looks like" not in text and "scam" not in text
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_impostor_shows_warning_scam_flag_and_no_badge() -> None:
    app = ModalHost(ProfileModal(IMPOSTOR, looks_like="Nordbank", consent=Consent("biz.n0rdbank", False)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app.screen)
        assert "Looks like Nordbank" in text
        assert "Flagged as a scam by the directory" in text
        assert "Not verified: anyone can pick this name" in text
        assert "✓" not in text
        assert "You have not opted in" in text
        assert "This business has no profile details." in text
        assert "No rating yet." in text


async def test_renamed_business_loses_badge() -> None:
    renamed = Account(
        id="biz.nordbank",
        display_name="Nordbank Premium",
        kind=AccountKind.BUSINESS,
        verified=True,
        verified_name="Nordbank",
    )
    app = ModalHost(ProfileModal(renamed))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app.screen)
        assert "Verification pending" in text and "✓" not in text


async def test_person_contact_state_and_actions_by_keyboard() -> None:
    anna = Account(id="u.anna", display_name="Anna Becker")
    app = ModalHost(ProfileModal(anna, is_contact=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app.screen)
        assert "Anna Becker" in text and "In your contacts" in text
        assert "Business profile" not in text and "Verified" not in text
        await tab_to(pilot, "profile-block")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [ProfileAction.BLOCK]


async def test_actions_by_mouse() -> None:
    app = ModalHost(ProfileModal(IMPOSTOR, looks_like="Nordbank"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#profile-report")
        await pilot.pause()
        app.push_screen(ProfileModal(IMPOSTOR, blocked=True), app.results.append)
        await pilot.pause()
        assert not app.screen.query("#profile-block")  # already blocked: no Block button
        await pilot.click("#profile-close")
        await pilot.pause()
    assert app.results == [ProfileAction.REPORT, None]


async def test_hostile_profile_fields_are_literal() -> None:
    hostile = Account(
        id=HOSTILE,
        display_name=HOSTILE,
        kind=AccountKind.BUSINESS,
        profile=BusinessProfile(
            about=HOSTILE,
            description=HOSTILE,
            category=HOSTILE,
            address=HOSTILE,
            email=HOSTILE,
            websites=(HOSTILE,),
            hours=HOSTILE,
        ),
    )
    app = ModalHost(ProfileModal(hostile, looks_like=HOSTILE))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app.screen)
        for piece in HOSTILE_VISIBLE:
            assert piece in text
        assert_no_controls(app.screen)
