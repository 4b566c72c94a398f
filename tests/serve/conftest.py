"""Fixtures for `tui-messenger serve`: an isolated home, a server that never outlives its test, Chromium."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serve.browser import CHROMIUM, Server, chromium, started_under
from tests.terminal.driver import isolated_env


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def serve(home: Path) -> Iterator[Callable[..., Server]]:
    """`serve("serve", "--demo")` starts `tui-messenger serve --demo --port 0` in `home`."""
    servers: list[Server] = []

    def start(*args: str) -> Server:
        server = Server(home, *args, env=isolated_env(home))
        servers.append(server)
        return server

    yield start
    for server in servers:  # stopped as Ctrl-C would (its tabs' folders go); a stuck one is killed
        if server.process.poll() is None:
            server.process.send_signal(signal.SIGINT)
            try:
                server.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(server.process.pid, signal.SIGKILL)
                server.process.wait(5)
    for pid in started_under(home):
        os.kill(pid, signal.SIGKILL)


@pytest.fixture
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with chromium() as launched:
        yield launched
