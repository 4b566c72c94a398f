"""Where the messenger keeps its files, and the one place its environment variables are read.

Every variable has the prefix `TUI_MESSENGER_` (README, "Environment"):
- `TUI_MESSENGER_DB`: the database file (the `--db` option's default; read by click, named here);
- `TUI_MESSENGER_DATA_DIR`, `TUI_MESSENGER_CONFIG_DIR`, `TUI_MESSENGER_CACHE_DIR`: the user's data, config
  and cache folders (else platformdirs'), for tests and portable installs;
- `TUI_MESSENGER_NULLPOOL`: any non-empty value opens a new SQLite connection for every session instead
  of keeping a pool (tests that simulate a crash or another process on the same file);
- `TUI_MESSENGER_PASSWORD`: the Matrix account's password for `tui-messenger login` (else it asks), for
  scripts and tests: it never goes on a command line, where other users of the machine can read it.

Textual's own `TEXTUAL_DRIVER` is read here too: textual-serve (`tui-messenger serve`) sets it to Textual's
web driver, and the app then talks to a browser tab through pipes instead of a terminal.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "tui-messenger"
ENV_PREFIX = "TUI_MESSENGER_"
DB_ENV = ENV_PREFIX + "DB"


def env(name: str) -> str | None:
    """`TUI_MESSENGER_<name>` if set and not empty."""
    return os.environ.get(ENV_PREFIX + name) or None


def single_connections() -> bool:
    """`TUI_MESSENGER_NULLPOOL`: no connection pool."""
    return env("NULLPOOL") is not None


def in_browser() -> bool:
    """Whether the app was started by textual-serve for a browser tab (Textual's web driver)."""
    return os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")


def data_dir() -> Path:
    return Path(env("DATA_DIR") or platformdirs.user_data_path(APP_NAME))


def config_dir() -> Path:
    return Path(env("CONFIG_DIR") or platformdirs.user_config_path(APP_NAME))


def cache_dir() -> Path:
    return Path(env("CACHE_DIR") or platformdirs.user_cache_path(APP_NAME))


def default_db_path() -> Path:
    return data_dir() / "messenger.db"


def password() -> str | None:
    """`TUI_MESSENGER_PASSWORD`: the password `login` uses instead of asking."""
    return env("PASSWORD")


def log_file() -> Path:
    """The messenger's log (network libraries' warnings, never the terminal): in the cache folder."""
    return cache_dir() / "messenger.log"
