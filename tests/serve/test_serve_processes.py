"""`tui-messenger serve` leaves no process behind (issue 15), checked through the websocket alone.

A websocket with the token is what a browser tab is to the server: it starts one app. Closing it is
closing the tab; the server's signals are Ctrl-C (SIGINT), SIGTERM and SIGHUP; SIGKILL leaves the kernel
to end the apps (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.serve.browser import Server, alive, environment_of, started_under

TAB_END_S = 2.0


def with_tab(server: Server, body: Callable[[Any], Awaitable[None]], *, autoping: bool = True) -> None:
    """Run `body(websocket)` with one tab's websocket open on `server` (`autoping=False`: a tab that
    answers no ping, as one whose computer went to sleep)."""
    token = server.url.partition("token=")[2]

    async def run() -> None:
        async with aiohttp.ClientSession() as session:
            url = server.base.replace("http", "ws", 1) + f"/ws?token={token}&width=100&height=30"
            async with session.ws_connect(url, autoping=autoping) as websocket:
                await body(websocket)

    asyncio.run(run())


async def started_app(server: Server, websocket: Any) -> int:
    """The tab's app, once it has drawn its first screen."""
    deadline = time.monotonic() + 20
    while True:
        message = await websocket.receive(timeout=20)
        if message.type == aiohttp.WSMsgType.BINARY and b"Anna Becker" in message.data:
            break
        assert time.monotonic() < deadline and message.type != aiohttp.WSMsgType.CLOSE
    (pid,) = server.children()
    return pid


async def gone_within(pids: list[int], timeout: float) -> float:
    started = time.monotonic()
    while any(alive(pid) for pid in pids):
        assert time.monotonic() - started < timeout, f"still running after {timeout} s: {pids}"
        await asyncio.sleep(0.02)
    return time.monotonic() - started


def test_closing_a_tab_ends_its_app_and_removes_its_demo_world(serve) -> None:
    server: Server = serve("serve", "--demo")
    seen: dict[str, Any] = {}

    async def body(websocket: Any) -> None:
        seen["pid"] = await started_app(server, websocket)
        seen["db"] = Path(environment_of(seen["pid"])["TUI_MESSENGER_DB"])
        assert seen["db"].exists()
        await websocket.close()
        seen["ended"] = await gone_within([seen["pid"]], TAB_END_S)

    with_tab(server, body)
    print(f"app ended {seen['ended']:.2f} s after its tab closed")
    deadline = time.monotonic() + 2
    while seen["db"].parent.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not seen["db"].parent.exists()
    assert server.children() == []


def test_a_tab_that_stops_answering_is_ended(serve) -> None:
    """No close ever comes from a tab whose computer slept or lost its network: after the heartbeat's
    missed pong (5 s, and half as long again) its app ends."""
    server: Server = serve("serve", "--demo")
    seen: dict[str, float] = {}

    async def body(websocket: Any) -> None:
        pid = await started_app(server, websocket)
        started = time.monotonic()
        await gone_within([pid], 12)  # reads nothing more, so answers no ping
        seen["ended"] = time.monotonic() - started

    with_tab(server, body, autoping=False)
    print(f"app of a silent tab ended {seen['ended']:.1f} s after its last answer")
    assert seen["ended"] < 10


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_stopping_the_server_ends_every_app(serve, home, signum) -> None:
    server: Server = serve("serve", "--demo")
    seen: dict[str, Any] = {}

    async def body(websocket: Any) -> None:
        pid = await started_app(server, websocket)
        db = Path(environment_of(pid)["TUI_MESSENGER_DB"])
        started = time.monotonic()
        server.process.send_signal(signum)
        await gone_within([pid], TAB_END_S)
        code = await asyncio.to_thread(server.process.wait, 10)
        seen.update(code=code, stopped=time.monotonic() - started, db=db)

    with_tab(server, body)
    print(f"server and its app stopped {seen['stopped']:.2f} s after {signum.name}")
    assert seen["code"] == 0
    assert seen["stopped"] < 5
    assert not seen["db"].parent.exists()
    assert started_under(home) == []


def test_a_killed_server_takes_its_apps_with_it(serve, home) -> None:
    server: Server = serve("serve", "--demo")
    seen: dict[str, Any] = {}

    async def body(websocket: Any) -> None:
        pid = await started_app(server, websocket)
        seen["folder"] = Path(environment_of(pid)["TUI_MESSENGER_DB"]).parent
        server.process.kill()  # no handler runs: the kernel's PR_SET_PDEATHSIG ends the app
        seen["ended"] = await gone_within([pid], TAB_END_S)

    with_tab(server, body)
    print(f"app ended {seen['ended']:.2f} s after its server was killed")
    server.process.wait(5)
    deadline = time.monotonic() + TAB_END_S
    while started_under(home) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started_under(home) == []
    serve("serve", "--demo")  # nobody was left to remove its folder: the next server does
    assert not seen["folder"].exists()


def test_a_second_websocket_on_the_own_database_starts_no_second_app(serve, home) -> None:
    server: Server = serve("--db", str(home / "own.db"), "serve")

    async def body(websocket: Any) -> None:
        first = await started_app(server, websocket)
        refused: list[bytes] = []

        async def second(other: Any) -> None:
            async for message in other:
                if message.type == aiohttp.WSMsgType.BINARY:
                    refused.append(message.data)

        await asyncio.to_thread(with_tab, server, second)  # returns once the server has closed it
        assert b"open in another browser tab" in b"".join(refused)
        assert server.children() == [first]

    with_tab(server, body)


def test_a_tab_whose_app_cannot_start_is_closed_with_the_reason(serve, home) -> None:
    """Another messenger holds the database (here: another server's tab): the app says so and exits; the
    tab's websocket closes at once instead of waiting for ever, and `serve` prints the app's line."""
    holder: Server = serve("--db", str(home / "own.db"), "serve")
    refused: Server = serve("--db", str(home / "own.db"), "serve")
    seen: dict[str, float] = {}

    async def hold(websocket: Any) -> None:
        await started_app(holder, websocket)

        def second() -> None:
            async def drain(other: Any) -> None:
                started = time.monotonic()
                async for _ in other:
                    pass
                seen["closed"] = time.monotonic() - started

            with_tab(refused, drain)

        await asyncio.wait_for(asyncio.to_thread(second), 15)

    with_tab(holder, hold)
    assert seen["closed"] < 10
    # its app has said why and is on its way out: gone within the 2 s a closed tab's app has
    assert asyncio.run(gone_within(refused.children(), 2.0)) <= 2.0
    assert refused.stop() == 0
    assert refused.process.stderr is not None
    told = refused.process.stderr.read().decode().splitlines()
    assert len(told) == 1 and "in use by another tui-messenger" in told[0], told  # once, as the app said
