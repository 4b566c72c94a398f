"""Run one dialog full of hostile text in a real terminal (driven by test_modals_pty.py).

Usage: python pty_dialog.py report|profile|search
"""

from __future__ import annotations

import sys

from modal_host import HOSTILE, ModalHost, message
from textual.widgets import Input

from tui_messenger.domain.models import Account, AccountKind, BusinessProfile, SearchHit
from tui_messenger.tui.modals import ProfileModal, ReportModal, SearchModal

OSC8 = "\x1b]8;;http://evil.example\x07link\x1b]8;;\x07"


class Source:
    async def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        return [SearchHit(message(1, f"{HOSTILE} {OSC8}"), HOSTILE)]


class SearchHost(ModalHost):
    def on_mount(self) -> None:
        super().on_mount()
        # Once the dialog is up, type a query (with a hostile paste) so the hits are drawn too.
        self.set_timer(0.3, self._type)

    def _type(self) -> None:
        self.screen.query_one("#search-query", Input).value = HOSTILE


def build(kind: str) -> ModalHost:
    if kind == "report":
        return ModalHost(ReportModal(HOSTILE, [message(1, HOSTILE), message(2, OSC8)]))
    if kind == "profile":
        profile = BusinessProfile(about=HOSTILE, description=OSC8, websites=(OSC8,), hours=HOSTILE)
        account = Account(HOSTILE, HOSTILE, AccountKind.BUSINESS, profile=profile)
        return ModalHost(ProfileModal(account, looks_like=HOSTILE))
    return SearchHost(SearchModal(Source(), debounce=0))


if __name__ == "__main__":
    build(sys.argv[1]).run()
