"""One real Synapse for the Matrix tests (no mock of nio anywhere in them).

One per test run, not one per worker: a Synapse costs 1-3 s to start and ~125 MB, on a machine of two
cores. Every test under tests/matrix is put in one xdist group, and the suite runs with
`--dist loadgroup` (pyproject), so with `-n 2` they all run on one worker, which starts the session's
Synapse once; the other tests spread over both workers as before. (Run with another `--dist` mode, each
worker that gets a Matrix test starts its own Synapse: slower, still correct. A shared server across
workers behind a file lock was the other way, but the worker that starts it would have to outlive the
others, and PR_SET_PDEATHSIG ties it to its starter.)

The server is started with `start_new_session` (no terminal signal reaches it) and PR_SET_PDEATHSIG
(the kernel ends it when the pytest process dies, even by SIGKILL), so a killed run leaves nothing behind.
Tests make unique user names (`unique_user`): the server and its database live for the whole run.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui_messenger.transport.matrix.homeserver import (
    Homeserver,
    free_port,
    spawn,
    terminate,
    wait_ready,
    write_config,
)

_HERE = Path(__file__).parent
GROUP = "synapse"


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the group into the node id
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.xdist_group(GROUP))


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Homeserver]:
    """A Synapse on a free loopback port, for the whole session, in a temporary folder."""
    folder = tmp_path_factory.mktemp("synapse")
    port = free_port()
    write_config(folder, port)
    proc = spawn(folder, die_with_parent=True)
    try:
        wait_ready(proc, folder, port)
        yield Homeserver(folder, port, proc.pid)
    finally:
        terminate(proc)


@pytest.fixture
def unique_user() -> str:
    """A localpart no other test uses (registration is open; the server lives for the whole run)."""
    return "u" + uuid.uuid4().hex[:12]
