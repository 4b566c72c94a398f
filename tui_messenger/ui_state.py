"""Small remembered choices of the user interface (the theme), kept in `state.json` in the config folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

STATE_MAX_BYTES = 256 * 1024  # state.json holds a theme name: a larger file is not ours to parse


class UiState:
    """Small remembered choices (the theme) in the user's config folder, written only on change."""

    def __init__(self, folder: Path) -> None:
        self._file = folder / "state.json"

    def load(self) -> dict[str, str]:
        """The remembered choices; {} for a missing, unreadable, oversized, non-regular (a FIFO would
        block) or malformed file, including one nested too deeply to parse."""
        from tui_messenger.domain.local_file import LocalFileError, load_json

        try:
            data = load_json(self._file, max_bytes=STATE_MAX_BYTES)
        except LocalFileError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def save(self, **values: str) -> None:
        """Written whole or not at all, through a fresh temporary file in the folder (never a fixed name
        a planted symlink could point elsewhere), 0600 in a folder made 0700."""
        import tempfile

        from tui_messenger.domain.private import make_private_folder

        data = self.load() | values
        tmp = None
        try:
            make_private_folder(self._file.parent)
            fd, tmp = tempfile.mkstemp(prefix=".state-", suffix=".tmp", dir=self._file.parent)
            with open(fd, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(data, indent=2))
            os.replace(tmp, self._file)
            tmp = None
        except OSError:
            pass  # a theme that is not remembered is no reason to stop the messenger
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
