"""The fake peer's own log, for testers and tests: what it refused, what faults it made, how flows went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PeerEvent:
    """A line of the peer's own log, for testers: failures by the consent rules, faults, flow progress."""

    at: datetime
    kind: str  # failed | flow | user | preferences | receipt | fault | rejected
    actor: str
    detail: str
    to: str = ""
    code: int | None = None
    message_id: str | None = None
