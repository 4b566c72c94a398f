"""Opening links: `o` on a message or a click on a link.

Nothing opens without the dialog that shows where it goes (`modals/link.py`), and only a link the
domain says may open (`Link.opens`: http, https or mailto, no hidden characters, no user name) ever
reaches the browser, with the address the dialog showed (host in punycode). When no browser can be
started (`webbrowser.open` returns False or raises, as on a server over SSH), a toast says so and a dialog
offers to copy the address to the clipboard instead (OSC 52, through `App.copy_to_clipboard`).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from tui_messenger.tui.conversation.controller import Controller
from tui_messenger.tui.widgets.link_marks import link_source, links_in
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.domain.links import Link
    from tui_messenger.domain.models import ChatMessage


def open_in_browser(url: str) -> bool:
    """Hand `url` to the system's web browser: False if there is none or it could not be started."""
    import webbrowser

    try:
        return bool(webbrowser.open(url))
    except Exception:  # noqa: BLE001 - webbrowser.Error, OSError from a broken $BROWSER: no browser
        return False


class Links(Controller):
    @worker(group="dialog", exclusive=True)
    async def open(self, message: ChatMessage, index: int | None) -> None:
        from tui_messenger.tui.modals.link import LinkChooserModal, LinkModal

        links = links_in(link_source(message))
        if not links:
            self.notify("This message has no link.")
            return
        if index is None:
            index = 0 if len(links) == 1 else await self.app.push_screen_wait(LinkChooserModal(links))
            if index is None:
                return
        if not 0 <= index < len(links):
            return
        link: Link = links[index]
        if await self.app.push_screen_wait(LinkModal(link)) and link.opens and link.url:
            await self._browse(link.url)

    async def _browse(self, url: str) -> None:
        """Open `url` (checked by the dialog) in a browser; if none can, say so and offer the clipboard."""
        from tui_messenger.tui.modals.confirm import ConfirmModal

        if self.app.is_web:  # served in a browser: the page opens it
            self.app.open_url(url)
            return
        # A console browser (lynx, w3m) may run until it quits: never on the UI loop.
        if await asyncio.to_thread(open_in_browser, url):
            return
        self.warn("No web browser could open this link.")
        offer = ConfirmModal("Copy the link instead?", url, yes="Copy link", no="Close")
        if await self.app.push_screen_wait(offer):
            self.app.copy_to_clipboard(url)
            self.notify("Link copied to the clipboard.")
