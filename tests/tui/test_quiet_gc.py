"""Full collections wait for a quiet moment (or LONGEST_S), and only when there is something to collect."""

from __future__ import annotations

import gc

from tui_messenger.tui.quiet_gc import LONGEST_S, MIN_PENDING, QUIET_S, QuietCollector


class Fake:
    def __init__(self) -> None:
        self.now = 0.0
        self.pending = MIN_PENDING
        self.collected: list[int] = []

    def collector(self) -> QuietCollector:
        return QuietCollector(
            clock=lambda: self.now, collect=self.collected.append, pending=lambda: self.pending
        )


def test_no_full_collection_while_keys_or_batches_keep_coming() -> None:
    fake = Fake()
    pacer = fake.collector()
    for _ in range(int(LONGEST_S / 0.5) - 2):  # a burst: something every half second, just under LONGEST_S
        fake.now += 0.5
        pacer.busy()
        assert not pacer.tick()
    assert fake.collected == []


def test_a_quiet_second_brings_the_full_collection() -> None:
    fake = Fake()
    pacer = fake.collector()
    pacer.busy()
    fake.now += QUIET_S / 2
    assert not pacer.tick()
    fake.now += QUIET_S
    assert pacer.tick()
    assert fake.collected == [2]


def test_a_stream_that_never_stops_still_gets_one_every_longest_s() -> None:
    fake = Fake()
    pacer = fake.collector()
    ticks = 0
    while not fake.collected:
        fake.now += 0.25
        pacer.busy()
        pacer.tick()
        ticks += 1
    assert fake.now == LONGEST_S


def test_nothing_to_collect_means_no_pass() -> None:
    fake = Fake()
    fake.pending = MIN_PENDING - 1
    pacer = fake.collector()
    fake.now += 10 * LONGEST_S
    assert not pacer.tick()


def test_tune_gc_leaves_full_collections_to_the_pacer() -> None:
    from tui_messenger.tui.quiet_gc import GC_FULL_BY_ITSELF, tune_gc

    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.get_threshold()[2] == GC_FULL_BY_ITSELF
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


async def test_the_app_marks_keys_and_runs_the_pacer(tmp_path) -> None:
    from app_helpers import SIZE, settle

    from tui_messenger.bootstrap import build_test_app

    app = build_test_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pacer = app._quiet_gc  # noqa: SLF001
        pacer.busy_at = -1.0
        await pilot.press("down")
        assert pacer.busy_at > 0
        timers = [t for t in app._timers if getattr(t, "_callback", None) == pacer.tick]  # noqa: SLF001
        assert timers, "the pacer's interval is not running"
