"""Opening links from the history (mixed into MainScreen): `o` on a message or a click on a link.

Nothing opens without the dialog that shows where it goes (`modals/link.py`), and only a link the
domain says may open (`Link.opens`: http, https or mailto, no hidden characters, no user name) ever
reaches `App.open_url`, with the address the dialog showed (host in punycode).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui_messenger.domain.links import Link
from tui_messenger.tui.widgets.link_marks import link_source, links_in
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.domain.models import ChatMessage
    from tui_messenger.tui.widgets.message_view import MessageView  # annotations only: not at startup


class LinkActions:
    """Mixed into MainScreen, which provides `app` and `notify`."""

    if TYPE_CHECKING:
        app: Any

        def notify(self, message: str, **kwargs: Any) -> None: ...

    def on_message_view_link_requested(self, event: MessageView.LinkRequested) -> None:
        event.stop()
        self.open_link(event.message, event.index)

    @worker(group="dialog", exclusive=True)
    async def open_link(self, message: ChatMessage, index: int | None) -> None:
        from tui_messenger.tui.modals.link import LinkChooserModal, LinkModal

        links = links_in(link_source(message))
        if not links:
            self.notify("This message has no link.", markup=False)
            return
        if index is None:
            index = 0 if len(links) == 1 else await self.app.push_screen_wait(LinkChooserModal(links))
            if index is None:
                return
        if not 0 <= index < len(links):
            return
        link: Link = links[index]
        if await self.app.push_screen_wait(LinkModal(link)) and link.opens and link.url:
            self.app.open_url(link.url)
