"""The service over a database signed in to a Matrix account, and where nio's warnings go: the Matrix part
of bootstrap.py (which imports both from here). nio itself is imported only when they are called, after
the first frame."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui_messenger.domain.clock import Clock
    from tui_messenger.services.service import MessengerService
    from tui_messenger.store.database import Database
    from tui_messenger.transport.matrix.client import MatrixClient
    from tui_messenger.transport.matrix.early_sync import EarlySync

__all__ = ["matrix_service", "quiet_network_logs"]


def matrix_service(
    db: Database, *, clock: Clock, downloads: Path | None = None, early: EarlySync | None = None
) -> MessengerService | None:
    """The service over the database's Matrix account (its device opened when the service connects), or
    None when the database is the demo world's. nio is imported only here, after the first frame."""
    from tui_messenger.store.matrix_account import MatrixAccountRepository

    stored = MatrixAccountRepository(db).get()
    if stored is None:
        return None
    from tui_messenger.services.matrix_accounts import AccountError, open_client
    from tui_messenger.services.service import MessengerService
    from tui_messenger.store.matrix_memory import MatrixMemoryRepository
    from tui_messenger.transport.matrix.account import MatrixError
    from tui_messenger.transport.matrix.transport import MatrixTransport

    async def open_device() -> MatrixClient:
        try:  # `early`: the first sync already asked for (early_sync)
            return await open_client(db, check=False, early=early)
        except AccountError as exc:  # signed out on this device (`logout`): only signing in again helps
            raise MatrixError(f"{stored.user_id} is not signed in on this device", revoked=True) from exc

    transport = MatrixTransport(open_device, memory=MatrixMemoryRepository(db))
    return MessengerService(
        db, transport, clock=clock, user_id=stored.user_id, downloads=downloads, show_refusals=False
    )


def quiet_network_logs() -> None:
    """nio's warnings, and the messenger's own about the network, to the log file, never the terminal
    (Matrix only: the fake network has neither)."""
    import logging

    from tui_messenger.folders import log_file
    from tui_messenger.transport.matrix.account import route_logs

    try:
        route_logs(log_file())
    except OSError:  # no log file: the warnings are dropped rather than painted on the screen
        logging.getLogger("nio").addHandler(logging.NullHandler())
        logging.getLogger("nio").propagate = False
    ours = logging.getLogger("tui_messenger")
    if not ours.handlers:  # (still propagating: a test's log capture sees them too)
        ours.addHandler(logging.getLogger("nio").handlers[0])
