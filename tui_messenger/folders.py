"""Where the messenger keeps its files: the user's data, config and cache folders (platformdirs), each
overridable by an environment variable for tests and portable installs."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "tui-messenger"


def data_dir() -> Path:
    return Path(os.environ.get("TUI_MESSENGER_DATA_DIR") or platformdirs.user_data_path(APP_NAME))


def config_dir() -> Path:
    return Path(os.environ.get("TUI_MESSENGER_CONFIG_DIR") or platformdirs.user_config_path(APP_NAME))


def cache_dir() -> Path:
    return Path(os.environ.get("TUI_MESSENGER_CACHE_DIR") or platformdirs.user_cache_path(APP_NAME))


def default_db_path() -> Path:
    return data_dir() / "messenger.db"
