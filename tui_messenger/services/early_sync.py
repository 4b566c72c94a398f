"""A Matrix account's first sync, asked for as the service starts being built (transport/matrix/
early_sync.py): this module and what it imports use the standard library alone, so the request goes out
before SQLAlchemy, pydantic and matrix-nio are imported. The demo world's start imports nothing more."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui_messenger.store.matrix_quick import quick_login

if TYPE_CHECKING:
    from tui_messenger.transport.matrix.early_sync import EarlySync


def early_sync(path: Path) -> EarlySync | None:
    """The first sync of the database's Matrix account, on its way; None for any other database."""
    login = quick_login(path)
    if login is None:
        return None
    from tui_messenger.transport.matrix.early_sync import EarlySync

    return EarlySync(login.homeserver, login.access_token, login.since)
