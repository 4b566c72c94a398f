"""What the Matrix device keeps across restarts (store/matrix_memory.py): keeping is idempotent (an event
kept twice is one row), and an own message kept first with the time it was written takes the server's
time when its echo brings it (the time its read receipts are measured by after a restart)."""

from __future__ import annotations

from tui_messenger.domain.matrix_memory import OwnEvent, Remembered
from tui_messenger.store.database import Database
from tui_messenger.store.matrix_memory import MatrixMemoryRepository


def test_an_own_event_kept_again_is_one_row_with_the_newest_time(db: Database) -> None:
    memory = MatrixMemoryRepository(db)
    memory.keep(Remembered(own=[OwnEvent("$late", "!room", "late", 100)]))  # the send's answer
    memory.keep(Remembered(own=[OwnEvent("$late", "!room", "late", 100)]))  # kept again after a crash
    assert memory.recall().own == [OwnEvent("$late", "!room", "late", 100)]
    memory.keep(Remembered(own=[OwnEvent("$late", "!room", "late", 900)]))  # its echo: the server's time
    assert memory.recall().own == [OwnEvent("$late", "!room", "late", 900)]
