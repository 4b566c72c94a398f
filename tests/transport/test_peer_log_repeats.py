"""The fake peer's log keeps one line for a run of the same fault (a link that breaks after every frame
under `--disconnect 1.0` added one per break, about a hundred a second, for as long as the app ran)."""

from __future__ import annotations

from tui_messenger.domain.clock import ManualClock
from tui_messenger.transport.fake import FakePeer


def test_a_run_of_the_same_event_is_one_line() -> None:
    clock = ManualClock()
    peer = FakePeer.for_scenario("default", clock=clock, seed=1)
    before = len(peer.log)
    for _ in range(1000):
        clock.advance(0.01)
        peer.note("fault", "network", "the connection broke")
    assert len(peer.log) == before + 1
    peer.note("failed", "megadeals", "outside the window", code=131047)
    peer.note("failed", "megadeals", "outside the window", code=131047)  # each failure counts
    peer.note("fault", "network", "the connection broke")
    assert [e.kind for e in peer.log[before:]] == ["fault", "failed", "failed", "fault"]
