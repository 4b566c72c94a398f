"""The profile panel: who this account is according to the directory, not according to its name.

Business accounts show their profile fields, the verification state and what it means, the "looks like"
warning and scam flag, the opt-in state, and the quality rating as testers see it. People show their name
and contact state. Every field came from the network and passes through the safe path.
"""

from __future__ import annotations

from enum import StrEnum

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from tui_messenger.domain.models import Account, Consent, ConsentSource, Device, QualityReport
from tui_messenger.tui.modals.base import DialogModal, as_content, stamp
from tui_messenger.tui.modals.profile_text import quality_lines, verification_text
from tui_messenger.tui.safe import safe_body, safe_name


class ProfileAction(StrEnum):
    """What the user chose from the profile; the main screen opens the matching dialog."""

    BLOCK = "block"
    REPORT = "report"


_CONSENT_SOURCES = {
    ConsentSource.USER_MESSAGE: "by writing to them first",
    ConsentSource.WEBSITE: "on their website",
    ConsentSource.APP: "in their app",
    ConsentSource.DEMO: "in the demo setup",
}


def _row(label: str, value: Content) -> Static:
    return Static(Content.assemble((f"{label}: ", "bold"), value), classes="field")


def consent_text(consent: Consent | None) -> str:
    if consent is None or not consent.opted_in:
        return "You have not opted in: this business may only answer messages you send it."
    how = _CONSENT_SOURCES.get(consent.source, "") if consent.source else ""
    when = f" on {stamp(consent.opted_in_at)}" if consent.opted_in_at else ""
    text = f"You opted in{(' ' + how) if how else ''}{when}."
    if consent.marketing_stopped:
        since = f" on {stamp(consent.marketing_changed_at)}" if consent.marketing_changed_at else ""
        text += f" You stopped promotions{since}; service messages still arrive."
    else:
        text += " Promotions are allowed; stop them from the chat at any time."
    return text


class ProfileModal(DialogModal[ProfileAction]):
    """Show an account's profile. Dismisses with a ProfileAction (Block / Report), or None on Close."""

    DEFAULT_CSS = """
    ProfileModal > #dialog {
        width: 84;
    }
    ProfileModal #profile-body {
        height: auto;
        max-height: 26;
    }
    ProfileModal .field {
        margin-bottom: 0;
    }
    ProfileModal .section {
        margin-top: 1;
        text-style: bold;
        color: $text-accent;
    }
    ProfileModal .verified {
        color: $badge;
        text-style: bold;
    }
    ProfileModal .unverified {
        color: $warning-text;
    }
    ProfileModal .looks-like {
        color: $warning-text;
        text-style: bold;
    }
    ProfileModal .scam {
        background: $scam-banner;
        color: auto 90%;
        text-style: bold;
        padding: 0 1;
    }
    ProfileModal .quality-green { color: $text-success; }
    ProfileModal .quality-yellow { color: $text-warning; }
    ProfileModal .quality-red { color: $text-error; }
    """

    def __init__(
        self,
        account: Account,
        *,
        looks_like: str | None = None,
        consent: Consent | None = None,
        quality: QualityReport | None = None,
        is_contact: bool | None = None,
        blocked: bool = False,
        devices: list[Device] | None = None,
    ) -> None:
        super().__init__()
        self._account = account
        self._looks_like = looks_like
        self._consent = consent
        self._quality = quality
        self._is_contact = is_contact
        self._blocked = blocked
        self._devices = devices  # None: the network has no devices to list (the demo world)

    def compose(self) -> ComposeResult:
        account = self._account
        with Vertical(id="dialog"):
            yield Static(safe_name(account.display_name), id="dialog-title")
            with VerticalScroll(id="profile-body"):
                yield from self._trust()
                if account.is_business:
                    yield from self._business()
                else:
                    yield from self._person()
            with Horizontal(classes="buttons"):
                if not self._blocked:
                    yield Button(as_content("Block"), variant="error", id="profile-block")
                yield Button(as_content("Report"), variant="warning", id="profile-report")
                yield Button(as_content("Close"), id="profile-close")

    def _trust(self) -> ComposeResult:
        account = self._account
        if account.scam:
            yield Static(
                as_content("⚠ Flagged as a scam by the directory. Do not send money, codes or passwords."),
                classes="scam",
                id="profile-scam",
            )
        if self._looks_like:
            yield Static(
                Content.assemble(
                    "⚠ Looks like ",
                    safe_name(self._looks_like),
                    ", but it is a different account. Check before you trust links, codes or payments.",
                ),
                classes="looks-like",
                id="profile-looks-like",
            )
        if account.is_business:
            headline, meaning, trusted = verification_text(account)
            yield Static(headline, classes="verified" if trusted else "unverified", id="profile-verified")
            yield Static(meaning, classes="hint")
        yield _row("Account", safe_name(account.id, 80))

    def _business(self) -> ComposeResult:
        profile = self._account.profile
        yield Static(as_content("Business profile"), classes="section")
        fields = [
            ("About", profile.about if profile else ""),
            ("Description", profile.description if profile else ""),
            ("Category", profile.category if profile else ""),
            ("Address", profile.address if profile else ""),
            ("Email", profile.email if profile else ""),
            ("Websites", "\n".join(profile.websites) if profile else ""),
            ("Hours", profile.hours if profile else ""),
        ]
        shown = [(label, value) for label, value in fields if value.strip()]
        for label, value in shown:
            yield _row(label, safe_body(value))
        if not shown:
            yield Static(as_content("This business has no profile details."), classes="hint")
        yield Static(as_content("Messages from this business"), classes="section")
        yield Static(as_content(consent_text(self._consent)), id="profile-consent")
        yield Static(as_content("Quality rating (for testers, last 7 days)"), classes="section")
        if self._quality is None:
            yield Static(as_content("No rating yet."), classes="hint")
        else:
            headline, figures = quality_lines(self._quality)
            yield Static(headline, classes=f"quality-{self._quality.rating.value}", id="profile-quality")
            yield Static(figures, id="profile-quality-figures")

    def _person(self) -> ComposeResult:
        if self._blocked:
            state = "Blocked. They cannot message you."
        elif self._is_contact is None:
            state = "Unknown"
        elif self._is_contact:
            state = "In your contacts"
        else:
            state = "Not in your contacts. People choose their own names: check who this is."
        yield _row("Contact", as_content(state))
        if self._devices is not None:
            yield from self._device_list(self._devices)

    def _device_list(self, devices: list[Device]) -> ComposeResult:
        """Their devices: each gets the keys of the messages in an encrypted chat. Ids and names are the
        network's (the owner's) text: the safe path."""
        yield Static(as_content(f"Devices ({len(devices)})"), classes="section")
        for device in devices:
            name = (
                safe_name(device.display_name, 60) if device.display_name.strip() else as_content("(no name)")
            )
            yield Static(Content.assemble(safe_name(device.device_id, 40), " · ", name), classes="device")
        if not devices:
            yield Static(as_content("No devices known yet."), classes="hint")
        yield Static(
            as_content(
                "Devices are not verified yet: the app cannot tell you that these devices are really theirs. "
                "Verifying devices will come in a later version."
            ),
            classes="hint",
            id="profile-devices-unverified",
        )

    def on_mount(self) -> None:
        self.query_one("#profile-close", Button).focus()

    @on(Button.Pressed, "#profile-block")
    def _block(self) -> None:
        self.dismiss(ProfileAction.BLOCK)

    @on(Button.Pressed, "#profile-report")
    def _report(self) -> None:
        self.dismiss(ProfileAction.REPORT)

    @on(Button.Pressed, "#profile-close")
    def _close(self) -> None:
        self.dismiss(None)
