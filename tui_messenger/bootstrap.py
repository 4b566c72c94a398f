"""The one place that builds the real app and the test app from settings.

Everything is injected from here: the database, the clock, the fake network and the services.
Nothing here runs at import time; folders are created only when first needed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "tui-messenger"


class BootError(Exception):
    """A problem that stops the app before its first frame: one clear line, an exit code."""

    def __init__(self, message: str, *, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class AppSettings:
    db_path: Path | None = None
    scenario: str = "default"
    seed: int = 0
    speed: float = 1.0
    theme: str | None = None
    faults: dict[str, float] = field(default_factory=dict)
    config_dir: Path | None = None


def data_dir() -> Path:
    return Path(os.environ.get("TUI_MESSENGER_DATA_DIR") or platformdirs.user_data_path(APP_NAME))


def config_dir() -> Path:
    return Path(os.environ.get("TUI_MESSENGER_CONFIG_DIR") or platformdirs.user_config_path(APP_NAME))


def default_db_path() -> Path:
    return data_dir() / "messenger.db"


class UiState:
    """Small remembered choices (the theme) in the user's config folder, written only on change."""

    def __init__(self, folder: Path) -> None:
        self._file = folder / "state.json"

    def load(self) -> dict[str, str]:
        try:
            data = json.loads(self._file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def save(self, **values: str) -> None:
        data = self.load() | values
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._file.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
            tmp.replace(self._file)
        except OSError:
            pass  # a theme that is not remembered is no reason to stop the messenger


def open_store(path: Path | None, *, exclusive: bool = True):  # type: ignore[no-untyped-def]
    """Open the database or raise BootError (exit 2) with the store's one-line reason."""
    from tui_messenger.store.database import StoreError, open_database

    try:
        return open_database(path or default_db_path(), exclusive=exclusive)
    except StoreError as exc:
        raise BootError(str(exc)) from exc


def run_app(settings: AppSettings) -> int:
    """Open the store first (so a bad database fails before any screen is drawn), then run the app."""
    db = open_store(settings.db_path)
    try:
        raise BootError("the screens are not built yet", exit_code=1)
    finally:
        db.close()
