"""The first frame's messenger: the chat list from the file, the service built only when needed."""

from __future__ import annotations

from pathlib import Path

from service_helpers import until

from tui_messenger.bootstrap import build_messenger, load_world
from tui_messenger.domain.clock import ManualClock
from tui_messenger.domain.models import ChatFilter
from tui_messenger.services.deferred import DeferredMessenger
from tui_messenger.store.chat_rows import QuickChatList
from tui_messenger.store.database import open_database


async def _seeded_db(path: Path) -> None:
    """A database with the demo world in it, as a first run leaves it."""
    db = open_database(path)
    messenger = build_messenger(db, load_world("default"), clock=ManualClock(), seed=1)
    await messenger.start()
    await until(messenger, lambda: messenger.settings.sync_token() is not None and messenger.idle)
    await messenger.stop()
    db.close()


async def test_chat_list_is_served_before_the_service_is_built(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    await _seeded_db(path)
    built: list[object] = []

    def build():  # type: ignore[no-untyped-def]
        built.append(True)
        raise AssertionError("the quick path must not build the service")

    deferred = DeferredMessenger(build, quick=QuickChatList(path), user_id="me", clock=ManualClock())
    rows = await deferred.chat_list()
    counts = await deferred.filter_counts()
    assert not built
    names = {row.peer.display_name for row in rows}
    assert {"Anna Becker", "Nordbank", "SkyWays Airlines", "MegaDeals 24"} <= names
    assert counts[ChatFilter.ALL] == len(rows)
    impostor = next(row for row in rows if row.peer.id == "nordbank-support")
    assert impostor.looks_like == "Nordbank" and not impostor.peer.badge
    assert next(row for row in rows if row.peer.id == "nordbank").peer.badge


async def test_a_new_file_lists_nothing_and_other_calls_build_the_service(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    path.touch()
    dbs = []
    clock = ManualClock()

    def build():  # type: ignore[no-untyped-def]
        db = open_database(path)
        dbs.append(db)
        return build_messenger(db, load_world("default"), clock=clock, seed=1)

    deferred = DeferredMessenger(build, quick=QuickChatList(path), user_id="me", clock=clock)
    assert await deferred.chat_list() == []
    events: list[object] = []
    unsubscribe = deferred.subscribe(events.append)
    assert not deferred.ready
    await deferred.start()
    assert deferred.ready
    service = await deferred.service()
    await until(service, lambda: service.settings.sync_token() is not None and service.idle)  # type: ignore[attr-defined]
    assert events, "listeners subscribed before the build get the service's events"
    assert await deferred.chat_for_account("anna") is not None
    unsubscribe()
    await deferred.stop()
    for db in dbs:
        db.close()


async def test_the_first_screen_read_ahead_is_what_the_quick_path_reads(tmp_path: Path) -> None:
    """`read_first_screen` (run by run_app while the screens import) gives the same rows, look-alike
    warnings and counts as the quick path, and the messenger answers from it without reading the file."""
    from tui_messenger.services.deferred import read_first_screen

    path = tmp_path / "m.db"
    await _seeded_db(path)
    first = read_first_screen(QuickChatList(path))
    quick = DeferredMessenger(lambda: None, quick=QuickChatList(path), user_id="me", clock=ManualClock())
    for archived in (False, True):
        assert first.lists[ChatFilter.ALL, archived] == await quick.chat_list(archived=archived)
    assert first.counts == await quick.filter_counts()
    impostor = next(r for r in first.lists[ChatFilter.ALL, False] if r.peer.id == "nordbank-support")
    assert impostor.looks_like == "Nordbank"

    class Unreadable(QuickChatList):
        def _query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
            raise AssertionError("read again")

    ahead = DeferredMessenger(
        lambda: None, quick=Unreadable(path), user_id="me", clock=ManualClock(), first=first
    )
    assert await ahead.chat_list() == first.lists[ChatFilter.ALL, False]
    assert await ahead.filter_counts() == first.counts
