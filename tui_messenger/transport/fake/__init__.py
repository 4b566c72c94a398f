"""The fake network: an in-process, deterministic peer with scripted bots, scenarios and faults.

Build the default demo world::

    peer = FakePeer.for_scenario("default", clock=VirtualClock(speed=1.0), seed=0)

or from a loaded world: ``FakePeer(load_world("airline-delay"), clock=ManualClock(), seed=1)``.
"""

from tui_messenger.transport.fake.faults import FaultPlan
from tui_messenger.transport.fake.loader import (
    BUILTINS,
    Issue,
    ScenarioError,
    list_builtins,
    load_world,
    parse_world,
)
from tui_messenger.transport.fake.peer import SERVER, FakePeer
from tui_messenger.transport.fake.peer_log import PeerEvent
from tui_messenger.transport.fake.world import Scenario, World

__all__ = [
    "BUILTINS",
    "SERVER",
    "FakePeer",
    "FaultPlan",
    "Issue",
    "PeerEvent",
    "Scenario",
    "ScenarioError",
    "World",
    "list_builtins",
    "load_world",
    "parse_world",
]
