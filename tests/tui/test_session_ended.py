"""A session the network ended (a Matrix token revoked elsewhere): a banner at the top says so and how to
sign in again, literal even when the reason carries markup, and the chats stay on screen."""

from __future__ import annotations

import pytest
from app_helpers import make_app, settle, text, wait_for
from fake_messenger import demo_world

from tui_messenger.domain import events as ev
from tui_messenger.tui.widgets.session_ended import SessionEnded


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_session_ended_by_the_network_shows_a_banner(size: tuple[int, int]) -> None:
    messenger = demo_world()
    async with make_app(messenger).run_test(size=size) as pilot:
        await settle(pilot)
        assert not pilot.app.screen.query(SessionEnded)
        why = "the server [b]https://m.example[/b] ended the session of @ben:example.org on this device"
        messenger.emit(ev.ConnectionChanged(online=False, ended=why))
        await wait_for(pilot, lambda: bool(pilot.app.screen.query(SessionEnded)))
        await settle(pilot)
        shown = " ".join(text(pilot).split())
        assert "Signed out: the server [b]https://m.example[/b] ended the session" in shown
        assert "Sign in again" in shown
        assert "Anna Becker" in shown or size[0] < 100  # the chats stay
        messenger.emit(ev.ConnectionChanged(online=False, ended=why))  # told again: still one banner
        await settle(pilot)
        assert len(pilot.app.screen.query(SessionEnded)) == 1
