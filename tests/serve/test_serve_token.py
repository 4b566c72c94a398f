"""`tui-messenger serve`: nobody without the printed token gets in, over HTTP or the websocket (issue 15)."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request

import aiohttp
import pytest

from tests.serve.browser import Server


def status(url: str, headers: dict[str, str] | None = None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as r:
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_every_request_without_the_token_is_refused(serve) -> None:
    server: Server = serve("serve", "--demo")
    token = server.url.partition("token=")[2]
    assert len(token) >= 32
    assert status(server.url) == 200
    for path in ("/", "/?token=wrong", "/static/js/textual.js", "/download/x", "/busy", "/ws", "/nope"):
        assert status(server.base + path) == 403, path
    assert status(server.base + "/static/js/textual.js?token=" + token) == 200
    cookie = {"Cookie": f"tui_messenger_{server.base.rpartition(':')[2]}={token}"}
    assert status(server.base + "/static/js/textual.js", cookie) == 200  # as the page's own requests


def test_a_websocket_without_the_token_or_from_another_site_is_refused(serve) -> None:
    server: Server = serve("serve", "--demo")
    token = server.url.partition("token=")[2]
    ws = server.base.replace("http", "ws", 1) + "/ws"

    async def handshake(url: str, **headers: str) -> int:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(url, headers=headers) as socket:
                    await socket.close()
                    return 101
            except aiohttp.WSServerHandshakeError as exc:
                return exc.status

    assert asyncio.run(handshake(ws)) == 403
    assert asyncio.run(handshake(ws + "?token=wrong")) == 403
    assert asyncio.run(handshake(ws + f"?token={token}", Origin="http://evil.example")) == 403
    assert server.children() == []  # a refused websocket starts no app
    assert asyncio.run(handshake(ws + f"?token={token}")) == 101


def test_it_binds_to_loopback_and_warns_once_beyond_it(serve) -> None:
    server: Server = serve("serve", "--demo")
    assert server.url.startswith("http://127.0.0.1:")
    assert server.process.stderr is not None
    server.stop()
    assert b"TLS" not in server.process.stderr.read()

    wide: Server = serve("serve", "--demo", "--host", "0.0.0.0")
    assert wide.url.startswith("http://0.0.0.0:")
    wide.stop()
    assert wide.process.stderr is not None
    warnings = [line for line in wide.process.stderr.read().splitlines() if b"TLS" in line]
    assert len(warnings) == 1 and warnings[0].startswith(b"warning:"), warnings


@pytest.mark.parametrize(
    "args",
    [
        ("serve", "--port", "70000"),
        ("serve", "--host", "256.1.1.1"),
        ("--scenario", "nope", "serve", "--demo"),
        ("--theme", "bogus", "serve"),
    ],
)
def test_a_bad_option_is_one_line_and_no_traceback(serve, args, home) -> None:
    import subprocess
    import sys
    from pathlib import Path

    from tests.terminal.driver import isolated_env

    script = Path(sys.executable).with_name("tui-messenger")
    result = subprocess.run([str(script), *args], capture_output=True, env=isolated_env(home), timeout=30)
    assert result.returncode in (1, 2)
    assert b"Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
