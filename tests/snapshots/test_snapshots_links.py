"""Snapshots of the link and export dialogs (pytest-textual-snapshot): where a link goes, a refused link,
and the export question. Update with `--snapshot-update`, then look at the SVGs."""

from __future__ import annotations

import pytest
from dialog_host import DialogHost
from snap_helpers import SIZE, THEMES

from tui_messenger.domain.links import parse_link
from tui_messenger.tui.modals.export import ExportModal
from tui_messenger.tui.modals.link import LinkModal


async def settle(pilot) -> None:
    await pilot.pause()


@pytest.mark.parametrize("theme", THEMES)
def test_link_dialog_international_name(snap_compare, theme: str) -> None:
    link = parse_link("https://p\u0430ypal-bücher.example:8443/konto/anmelden?next=%2Fzahlung")
    app = DialogHost(LinkModal(link), theme=theme)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_link_dialog_refused_user_name_trick(snap_compare) -> None:
    link = parse_link("https://nordbank.example@evil.example/login")
    app = DialogHost(LinkModal(link), theme="tui-dark")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_export_dialog(snap_compare) -> None:
    modal = ExportModal("Anna Becker", "/home/user/Downloads/Anna Becker 2026-01-05.txt")
    app = DialogHost(modal, theme="tui-dark")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)
