"""The user's folders and files are private: folders 0700, files 0600, whatever the umask.

The messenger's data, cache and config folders are created 0700 (with every parent it has to create) and
tightened on every start if someone loosened them; the database and its side files are 0600. Each
tightening returns a one-line notice for the caller to show. Standard library only.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def make_private_folder(path: Path) -> None:
    """Create `path` and any missing parent, each 0700 (the umask cannot loosen them: chmod after)."""
    missing: list[Path] = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # made meanwhile by another process: its mode is left as it is
        os.chmod(folder, FOLDER_MODE)


def tighten(path: Path, *, mode: int, what: str) -> str | None:
    """Take group and other permissions off `path` (a file or folder of ours that exists).

    Returns a one-line notice when something was taken away, None when it was private already (or is
    gone, or is not the caller's to change)."""
    try:
        info = os.stat(path)
        if stat.S_IMODE(info.st_mode) & ~mode & 0o777 == 0 or info.st_uid != os.geteuid():
            return None
        old = stat.S_IMODE(info.st_mode)
        os.chmod(path, old & mode)
    except OSError:
        return None
    return f"tui-messenger: {what} {path} was open to other users ({old:04o}); now {old & mode:04o}"


def private_folder(path: Path) -> list[str]:
    """`path` made (0700) or tightened: the notices, if it had been loosened."""
    if not path.exists():
        make_private_folder(path)
        return []
    notice = tighten(path, mode=FOLDER_MODE, what="folder")
    return [notice] if notice else []
