"""The web server: textual-serve's `Server`, with a secret token, one tab per database, and clean stops.

- Every request needs the token printed in the URL: `?token=` on the first page, which then sets a cookie
  (HttpOnly, SameSite=Strict, named after the port) that the page's own requests carry (the websocket,
  its scripts, a file download). Anything else gets 403; so does a websocket opened from another origin.
- The user's own database (no `--demo`) is open in one tab at a time: while a tab has it, another tab's
  page says so (and opens the messenger by itself once that tab is closed), and a second websocket is
  refused: there is never a second writer on the database.
- `--demo`: each websocket gets its own temporary world (`sessions.demo_folder`).
- Ctrl-C, SIGTERM and SIGHUP stop the server: every app it started is ended (`AppSession.stop`) before it
  returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import logging
import secrets
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from tui_messenger.serve.sessions import AppSession, demo_folder, kill_group, remove_stale_demo_folders

TEMPLATES = Path(__file__).with_name("templates")
QUIT_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
HEARTBEAT_S = 5.0
"""A tab that stops answering pings (its computer asleep, its network gone, no close ever sent) is closed
after this and half as long again: its app ends then (textual-serve's is 15 s)."""
REFUSED = (
    "\r\n  The messenger is open in another browser tab.\r\n  Close that tab, then reload this page.\r\n"
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(host: str) -> bool:
    """Whether `host` only listens on this machine (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class MessengerServer(Server):
    """Serves `argv` (the app's command line) to browser tabs; see the module's docstring."""

    def __init__(self, argv: Sequence[str], *, host: str, port: int, demo: bool, title: str) -> None:
        super().__init__(" ".join(argv), host=host, port=port, title=title, templates_path=TEMPLATES)
        self.argv = list(argv)
        self.demo = demo
        self.token = secrets.token_urlsafe(24)
        self.sessions: set[AppSession] = set()
        self.sockets: set[web.WebSocketResponse] = set()
        self.url = ""

    # --- the token ----------------------------------------------------------------------------------

    @property
    def cookie(self) -> str:
        return f"tui_messenger_{self.port}"

    def _has_token(self, request: web.Request) -> bool:
        given = request.query.get("token") or request.cookies.get(self.cookie) or ""
        return hmac.compare_digest(given.encode(), self.token.encode())

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not self._has_token(request) or not _same_origin(request):
            return web.Response(
                status=403, text="403: this address needs the link that `tui-messenger serve` printed.\n"
            )
        return await handler(request)

    # --- the pages -----------------------------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        app.router.add_get("/busy", self.handle_busy, name="busy")
        return app

    async def handle_index(self, request: web.Request) -> web.Response:
        busy = not self.demo and bool(self.sessions)
        scheme = "wss" if request.secure else "ws"
        context: dict[str, Any] = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{scheme}://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }
        page = "busy.html" if busy else "app_index.html"
        response = aiohttp_jinja2.render_template(page, request, context, status=409 if busy else 200)
        response.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict", path="/")
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def handle_busy(self, request: web.Request) -> web.Response:
        """The waiting page asks whether the other tab still has the messenger."""
        return web.json_response({"busy": not self.demo and bool(self.sessions)})

    # --- the apps ------------------------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT_S)
        await websocket.prepare(request)
        if not self.demo and not await self._wait_free():
            await websocket.send_bytes(REFUSED.encode())
            await websocket.close()
            return websocket

        async def close() -> None:
            await websocket.close()

        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        session = AppSession(
            self.argv,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self.download_manager,
            folder=demo_folder() if self.demo else None,
        )
        self.sessions.add(session)
        self.sockets.add(websocket)
        try:
            await session.start(width, height)
            await self._process_messages(websocket, session)
        except (asyncio.CancelledError, ConnectionError):
            pass
        except Exception:  # a broken message from the page: its app still ends below
            logging.getLogger("tui-messenger").exception("tab ended by an error")
        finally:
            self.sockets.discard(websocket)
            await asyncio.shield(self._end(session, websocket))
        return websocket

    async def _end(self, session: AppSession, websocket: web.WebSocketResponse) -> None:
        try:
            await session.stop()
        finally:
            self.sessions.discard(session)
            with contextlib.suppress(Exception):
                await websocket.close()

    async def _wait_free(self, timeout: float = 3.0) -> bool:
        """Whether the database is free, waiting a little for a tab that is closing (a reload)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.sessions:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                return False
            ending = [asyncio.create_task(s.ended.wait()) for s in self.sessions]
            _, pending = await asyncio.wait(ending, timeout=left, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            await asyncio.sleep(0)
        return True

    # --- running -------------------------------------------------------------------------------------

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.WARNING, format="%(message)s")

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints its logo here; `run` prints the URL once the port is known."""

    def serve(self, debug: bool = False) -> None:
        self.initialize_logging()
        asyncio.run(self.run())

    async def run(self) -> None:
        remove_stale_demo_folders()
        runner = web.AppRunner(await self._make_app(), handle_signals=False, access_log=None)
        await runner.setup()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in QUIT_SIGNALS:
            loop.add_signal_handler(signum, stop.set)
        try:
            site = web.TCPSite(runner, self.host, self.port, shutdown_timeout=1.0)
            await site.start()
            self.port = runner.addresses[0][1]
            shown = f"[{self.host}]" if ":" in self.host else self.host
            self.url = f"http://{shown}:{self.port}/?token={self.token}"
            self._announce()
            await stop.wait()
        finally:
            await self.stop_all()
            await runner.cleanup()

    def _announce(self) -> None:
        mode = "a fresh demo world in each tab" if self.demo else "your messenger, in one tab at a time"
        print(f"tui-messenger in a browser ({mode}): {self.url}", flush=True)
        if not is_loopback(self.host):
            print(
                f"warning: listening on {self.host}, beyond this machine, without TLS: "
                "the page and its token cross the network unencrypted",
                file=sys.stderr,
                flush=True,
            )
        print("Press Ctrl+C to stop.", flush=True)

    async def stop_all(self) -> None:
        """End every app this server started, and close their tabs' websockets."""
        sessions = list(self.sessions)
        await asyncio.gather(*(s.stop() for s in sessions), return_exceptions=True)
        for session in sessions:  # belt and braces: nothing of theirs may remain
            if session.pid is not None:
                kill_group(session.pid, signal.SIGKILL)
        for websocket in list(self.sockets):
            with contextlib.suppress(Exception):
                await websocket.close()


def _same_origin(request: web.Request) -> bool:
    """A request that says where it comes from (a websocket always does) comes from this server's page."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin.partition("://")[2] == request.host
