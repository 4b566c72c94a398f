"""End-to-end encryption as the user sees it, in the app (Pilot, from a fresh start) against a real Synapse:
the header's lock for an encrypted chat, the other person's devices in the profile (not verified), and
"Sign in again" inside the app after the server ended the session (wrong password: one line in the
dialog; the right one: a new device, back online, without leaving the app); and a new account's first
steps: the empty list's hint, `n` and a Matrix ID."""

from __future__ import annotations

import asyncio
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_matrix_transport import PASSWORD, People, until
from test_matrix_transport import people as people  # the fixture, shared
from textual.pilot import Pilot
from textual.widgets import Input

from tui_messenger.bootstrap import build_test_app
from tui_messenger.services.matrix_accounts import sign_in
from tui_messenger.services.service import MessengerService
from tui_messenger.store.database import Database, open_database
from tui_messenger.store.matrix_account import MatrixAccountRepository
from tui_messenger.transport.matrix.transport import MatrixTransport
from tui_messenger.tui.modals.profile import ProfileModal
from tui_messenger.tui.modals.sign_in import SignInModal
from tui_messenger.tui.widgets.conversation_header import HeaderTitle
from tui_messenger.tui.widgets.session_ended import SessionEnded

LOCK = "🔒"


def _login(db: Database) -> Any:
    stored = MatrixAccountRepository(db).get()
    assert stored is not None and stored.login is not None
    return stored.login


async def _ben_signed_up(people: People, tmp_path: Path, user_id: str) -> None:
    """Ben's database as `tui-messenger login --register` leaves it, where `build_test_app` opens it."""
    db = open_database(tmp_path / "messenger.db")
    try:
        await sign_in(db, people.server.url, user_id, PASSWORD, register=True, device_name="ben-laptop")
    finally:
        db.close()


async def _screen_text(pilot: Pilot[Any]) -> str:
    lines: list[str] = []
    for widget in pilot.app.screen.query("*"):
        if widget.display and widget.size.height:
            lines += [widget.render_line(y).text for y in range(widget.size.height)]
    return "\n".join(lines)


async def wait_on_screen(
    pilot: Pilot[Any], check: Callable[[], Any], *, timeout: float = 20.0, what: str = ""
) -> Any:
    """`check()` (awaited when a coroutine) until true, the app running meanwhile; else the screen."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        value = check()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        await pilot.pause(0.05)
    raise AssertionError(f"not within {timeout} s: {what}\n{await _screen_text(pilot)}")


async def _started(pilot: Pilot[Any]) -> MessengerService:
    service = pilot.app.messenger  # type: ignore[attr-defined]
    assert isinstance(service, MessengerService) and isinstance(service.transport, MatrixTransport)
    service.transport._timeout_ms = 1000  # noqa: SLF001 - short long-polls: a revoked token shows at once
    await wait_on_screen(pilot, lambda: service.online, what="online")
    return service


async def _open_chat_with(pilot: Pilot[Any], service: MessengerService, peer: str) -> None:
    summary = await wait_on_screen(pilot, lambda: service.chat_for_account(peer), what="the chat")
    pilot.app.screen.open_chat(summary.chat.id)  # type: ignore[attr-defined]
    await wait_on_screen(
        pilot, lambda: pilot.app.screen.query_one(HeaderTitle).summary is not None, what="opened"
    )


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_header_locks_an_encrypted_chat_and_the_profile_lists_their_devices(
    people: People, unique_user: str, tmp_path: Path, size: tuple[int, int]
) -> None:
    ben_id, anna_id = f"@{unique_user}b:localhost", f"@{unique_user}a:localhost"
    anna_db = await people.sign_up(unique_user + "a")  # her device is named after her: "<user>a"
    anna = await people.start(anna_db)
    await _ben_signed_up(people, tmp_path, ben_id)
    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        ben = await _started(pilot)
        chat = await anna.open_chat(ben_id)  # an encrypted direct room
        await anna.send_text(chat.chat.id, "hello Ben")
        await _open_chat_with(pilot, ben, anna_id)
        title = pilot.app.screen.query_one(HeaderTitle)
        await wait_on_screen(pilot, lambda: LOCK in title.render().plain, what="the lock")  # type: ignore[union-attr]
        assert title.summary is not None and title.summary.peer.encrypted  # from the transport, stored

        await pilot.press("ctrl+o")  # the profile
        await wait_on_screen(pilot, lambda: isinstance(pilot.app.screen, ProfileModal), what="the profile")
        device = _login(anna_db).device_id
        shown = await wait_on_screen(pilot, lambda: _has(pilot, device), what="her device in the profile")
        assert f"{device} · {unique_user}a" in shown  # her device's id and name, from nio's device store
        assert "Devices are not verified yet" in " ".join(shown.split())
        assert "Not in your contacts" in shown  # an accepted chat is no contact until added (was "Unknown")
        await pilot.press("escape")


async def _has(pilot: Pilot[Any], text: str) -> str | None:
    shown = await _screen_text(pilot)
    return shown if text in shown else None


async def test_sign_in_again_inside_the_app_after_the_server_ended_the_session(
    people: People, unique_user: str, tmp_path: Path
) -> None:
    ben_id, anna_id = f"@{unique_user}b:localhost", f"@{unique_user}a:localhost"
    anna = await people.start(await people.sign_up(unique_user + "a"))
    await _ben_signed_up(people, tmp_path, ben_id)
    async with build_test_app(tmp_path).run_test(size=(120, 40)) as pilot:
        ben = await _started(pilot)
        chat = await anna.open_chat(ben_id)
        await anna.send_text(chat.chat.id, "before")
        await _open_chat_with(pilot, ben, anna_id)
        old = _login(ben.db)
        request = urllib.request.Request(
            people.server.url + "/_matrix/client/v3/logout", data=b"{}",
            headers={"Authorization": f"Bearer {old.access_token}"},
        )  # fmt: skip
        urllib.request.urlopen(request, timeout=10).close()  # signed out from elsewhere
        await wait_on_screen(pilot, lambda: pilot.app.screen.query("#session-sign-in"), what="the banner")
        await wait_on_screen(pilot, lambda: pilot.app.screen.has_class("-offline"), what="offline")
        await pilot.pause()
        assert not pilot.app.screen.query_one("#offline-line").display  # not "connecting again": it is not

        await pilot.click("#session-sign-in")
        dialog = await wait_on_screen(
            pilot,
            lambda: pilot.app.screen if isinstance(pilot.app.screen, SignInModal) else None,
            what="dialog",
        )
        shown = await _screen_text(pilot)
        assert ben_id in shown and people.server.url in shown  # the stored login's, not asked
        dialog.query_one("#sign-in-password", Input).value = "not the password"
        await pilot.press("enter")
        error = await wait_on_screen(pilot, lambda: _error_line(dialog), what="the refusal")
        assert "sign-in failed" in error and "\n" not in error.strip()  # one clear line, in the dialog
        assert isinstance(pilot.app.screen, SignInModal) and _login(ben.db) == old  # nothing changed

        dialog.query_one("#sign-in-password", Input).value = PASSWORD
        await pilot.press("enter")
        await wait_on_screen(
            pilot, lambda: not isinstance(pilot.app.screen, SignInModal), what="dialog closed"
        )
        await wait_on_screen(pilot, lambda: not pilot.app.screen.query(SessionEnded), what="banner gone")
        await wait_on_screen(pilot, lambda: ben.online, what="online again")
        new = _login(ben.db)
        assert new.device_id != old.device_id and new.access_token != old.access_token  # replaced
        assert not (tmp_path / "messenger.db.keys.new").exists()  # the new key store took the old's place

        await anna.send_text(chat.chat.id, "after signing in again")  # reaches the new device, in the app
        await wait_on_screen(pilot, lambda: _count(ben, anna_id), what="her message after signing in")


def _error_line(dialog: Any) -> str | None:
    shown = dialog.query_one("#sign-in-error")
    text = str(shown.render())
    return text if shown.display and "failed" in text else None


async def _count(service: MessengerService, peer: str) -> bool:
    summary = await service.chat_for_account(peer)
    assert summary is not None
    return len(await service.latest_page(summary.chat.id)) >= 2


assert until  # (the shared waiting helper: this module waits on the app's loop instead)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_new_account_is_told_to_press_n_and_n_starts_a_chat_by_matrix_id(
    people: People, unique_user: str, tmp_path: Path, size: tuple[int, int]
) -> None:
    """From a fresh start of a new account (no chat yet) by keys: the empty list says what to do, `n` and
    the other person's Matrix ID offer the new chat (this account reaches anyone, unlike the demo world),
    Enter creates it on the server and opens it, and the hint is gone."""
    ben_id, anna_id = f"@{unique_user}b:localhost", f"@{unique_user}a:localhost"
    await people.sign_up(unique_user + "a")
    await _ben_signed_up(people, tmp_path, ben_id)
    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        ben = await _started(pilot)
        hint = "No chats yet. Press n to start one."
        await wait_on_screen(pilot, lambda: _has(pilot, hint), what="the empty list's hint")
        await pilot.press("n", *anna_id)
        await wait_on_screen(pilot, lambda: _has(pilot, f"New chat with {anna_id}"), what="the new chat")
        await pilot.press("enter")
        summary = await wait_on_screen(pilot, lambda: ben.chat_for_account(anna_id), what="the chat made")
        await wait_on_screen(pilot, lambda: pilot.app.screen.open_chat_id == summary.chat.id, what="opened")  # type: ignore[attr-defined]
        if size[0] >= 100:  # two panes: the list shows the chat, and no hint
            await wait_on_screen(pilot, lambda: _lacks(pilot, hint), what="the hint gone")


async def _lacks(pilot: Pilot[Any], text: str) -> bool:
    return text not in await _screen_text(pilot)
