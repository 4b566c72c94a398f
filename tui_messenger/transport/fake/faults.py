"""Faults on demand: the fake peer misbehaves at the frame level so the client's safety nets get exercised.

Every decision comes from one `random.Random(seed)` owned by the peer, separate from the bots' generator,
so switching faults on does not change what the bots say.
"""

from __future__ import annotations

import random

from pydantic import BaseModel, ConfigDict, Field

Rate = Field(default=0.0, ge=0.0, le=1.0)


class FaultPlan(BaseModel):
    """Rates (0..1) per frame. Drop and duplicate also apply to frames from the client."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    drop: float = Rate  # never reaches the other side (re-sent later, since it is never acked)
    duplicate: float = Rate  # arrives twice
    reorder: float = Rate  # held back and delivered after the next frame
    delay: float = Rate  # delivered up to `max_delay` seconds late
    garble: float = Rate  # arrives as invalid bytes (the client drops it; the original is re-sent)
    disconnect: float = Rate  # the connection breaks after this frame
    seed: int = 0
    max_delay: float = Field(default=2.0, ge=0.0)

    @property
    def any(self) -> bool:
        return any((self.drop, self.duplicate, self.reorder, self.delay, self.garble, self.disconnect))


class FaultDice:
    """Rolls the plan's dice in a fixed order, so a seed always gives the same misbehaviour."""

    def __init__(self, plan: FaultPlan) -> None:
        self.plan = plan
        self._rng = random.Random(plan.seed)
        self.counts: dict[str, int] = {}

    def roll(self, fault: str) -> bool:
        rate: float = getattr(self.plan, fault)
        if rate <= 0.0:
            return False
        hit = self._rng.random() < rate
        if hit:
            self.counts[fault] = self.counts.get(fault, 0) + 1
        return hit

    def delay_seconds(self) -> float:
        return self._rng.uniform(0.1, max(0.1, self.plan.max_delay))

    def garble(self, raw: bytes) -> bytes:
        """Bytes that can never decode: a strict prefix of a JSON object, or a broken UTF-8 start."""
        if self._rng.random() < 0.5 and len(raw) > 1:
            return raw[: self._rng.randrange(1, len(raw))]
        return b"\xff" + raw[1:]
