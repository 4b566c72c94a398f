"""The virtual clock never runs past year 9999 (issue 12, item 11): a very fast clock, a huge jump or a
long run stops at LATEST instead of raising OverflowError in the loops that read it."""

from __future__ import annotations

import time
from datetime import timedelta

from tui_messenger.domain.clock import LATEST, ManualClock, VirtualClock


def test_a_very_fast_clock_stops_at_the_latest_time() -> None:
    clock = VirtualClock(speed=1e300)
    time.sleep(0.01)
    assert clock.now() == LATEST
    assert clock.now() + timedelta(seconds=60) > LATEST  # a retry's wait still fits


def test_huge_jumps_stop_at_the_latest_time() -> None:
    clock = VirtualClock(speed=1.0)
    clock.jump(1e20)
    assert clock.now() == LATEST
    clock.jump(float("inf"))
    assert clock.now() == LATEST and clock.jumped > 0
    resumed = VirtualClock(speed=1.0)
    resumed.resume(jumped=1e30)
    assert resumed.now() == LATEST


def test_a_manual_clock_stops_there_too() -> None:
    clock = ManualClock()
    clock.advance(1e18)
    assert clock.now() == LATEST
