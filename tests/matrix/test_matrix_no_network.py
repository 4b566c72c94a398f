"""Matrix pieces that need no server: the input checks, nio kept off the start path and the terminal."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from tui_messenger.domain.matrix_account import (
    AccountInputError,
    MatrixLogin,
    check_homeserver,
    check_user_id,
    keys_folder,
)


def test_nio_is_not_imported_by_the_command_line_or_the_account_modules() -> None:
    code = (
        "import sys, tui_messenger.cli, tui_messenger.bootstrap, tui_messenger.cli.account,"
        " tui_messenger.cli.homeserver, tui_messenger.transport.matrix.homeserver,"
        " tui_messenger.store.matrix_account;"
        " print(sorted({m.split('.')[0] for m in sys.modules} & {'nio', 'aiohttp', 'vodozemac', 'synapse'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_nio_warnings_go_to_the_log_file_not_the_terminal(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from tui_messenger.transport.matrix.account import route_logs

    log = tmp_path / "logs" / "messenger.log"
    names = ("nio", "peewee", "aiohttp")
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).propagate) for n in names}
    try:
        route_logs(log)
        logging.getLogger("nio.responses").warning("Error validating response: marker-1")
        logging.getLogger("peewee").warning("marker-2")
        for handler in logging.getLogger("nio").handlers:
            handler.flush()
        out, err = capfd.readouterr()
        assert "marker" not in out + err
        text = log.read_text()
        assert "marker-1" in text and "marker-2" in text
        assert (log.stat().st_mode & 0o777, log.parent.stat().st_mode & 0o777) == (0o600, 0o700)
    finally:
        for name, (handlers, propagate) in saved.items():
            logger = logging.getLogger(name)
            for handler in logger.handlers:
                if handler not in handlers:
                    handler.close()
            logger.handlers[:] = handlers
            logger.propagate = propagate


@pytest.mark.parametrize(
    "good", ["@anna:localhost", "@a.b_c=d-e/f:matrix.org", "@x:127.0.0.1:8448", "@x:[::1]"]
)
def test_user_ids_that_pass(good: str) -> None:
    assert check_user_id(good) == good


@pytest.mark.parametrize(
    "bad",
    ["anna", "@anna", "@:localhost", "@an na:localhost", "@anna:", "@anna:local host", "@a:b" + "c" * 300],
)
def test_user_ids_that_do_not(bad: str) -> None:
    with pytest.raises(AccountInputError):
        check_user_id(bad)


@pytest.mark.parametrize(
    ("text", "url"),
    [("https://matrix.org/", "https://matrix.org"), ("http://127.0.0.1:8008", "http://127.0.0.1:8008")],
)
def test_homeserver_urls_that_pass(text: str, url: str) -> None:
    assert check_homeserver(text) == url


@pytest.mark.parametrize(
    "bad",
    ["matrix.org", "ftp://matrix.org", "https://", "https://a:b@matrix.org", "https://m.org/?x=1",
     "https://m.org:99999", "https://m.org/\x1b[31m", "https://mätrix.org"],
)  # fmt: skip
def test_homeserver_urls_that_do_not(bad: str) -> None:
    with pytest.raises(AccountInputError) as caught:
        check_homeserver(bad)
    assert "\x1b" not in str(caught.value)


def test_secrets_stay_out_of_the_repr(tmp_path: Path) -> None:
    login = MatrixLogin("https://m.org", "@a:m.org", "DEV", "syt_secret_token", "pickle-secret")
    assert "syt_secret_token" not in repr(login) and "pickle-secret" not in repr(login)
    assert keys_folder(tmp_path / "messenger.db") == tmp_path / "messenger.db.keys"
