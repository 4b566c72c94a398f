"""A scenario that failed validation, checked as far as it goes, so `scenario check` reports every error.

pydantic stops at the model: one wrong type anywhere and there is no `World` for the checks that need the
whole scenario (references, the wire's limits). Here each account, history item, scheduled message, flow
and step is validated on its own; the parts that pass make a partial world for `check_world`, whose
findings are mapped back to the indices in the file. A finding that only says something refers to a part
that failed validation ("unknown account 'x'" when account x had a type error) is left out: that part's
own error is already reported.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from tui_messenger.transport.fake.checks import Problem, check_world
from tui_messenger.transport.fake.faults import FaultPlan
from tui_messenger.transport.fake.toml_lines import Path
from tui_messenger.transport.fake.world import (
    AccountSpec,
    FlowSpec,
    HistorySpec,
    ScenarioInfo,
    ScheduledSpec,
    StepSpec,
    World,
)

_SECTIONS: dict[str, type[BaseModel]] = {
    "accounts": AccountSpec,
    "history": HistorySpec,
    "scheduled": ScheduledSpec,
}


class _Partial:
    def __init__(self) -> None:
        self.index: dict[str, list[int]] = {}  # section -> original index of each kept item
        self.steps: list[list[int]] = []  # per kept flow: original index of each kept step
        self.lost: set[str] = set()  # ids of the parts that did not validate

    def items(self, data: dict[str, Any], name: str, model: type[BaseModel]) -> list[Any]:
        kept: list[Any] = []
        self.index[name] = []
        for n, raw in enumerate(_list(data.get(name))):
            try:
                kept.append(model.model_validate(raw))
                self.index[name].append(n)
            except ValidationError:
                self._lose(raw)
        return kept

    def flows(self, data: dict[str, Any]) -> list[FlowSpec]:
        kept: list[FlowSpec] = []
        self.index["flows"] = []
        for n, raw in enumerate(_list(data.get("flows"))):
            if not isinstance(raw, dict):
                continue
            steps: list[StepSpec] = []
            step_index: list[int] = []
            for j, raw_step in enumerate(_list(raw.get("steps"))):
                try:
                    steps.append(StepSpec.model_validate(raw_step))
                    step_index.append(j)
                except ValidationError:
                    self._lose(raw_step)
            try:  # the flow's own fields, with a stand-in step for pydantic's "at least one"
                flow = FlowSpec.model_validate({**raw, "steps": [{"id": "~", "text": "~"}]})
            except ValidationError:
                self._lose(raw)
                continue
            kept.append(flow.model_copy(update={"steps": steps}))
            self.index["flows"].append(n)
            self.steps.append(step_index)
        return kept

    def _lose(self, raw: object) -> None:
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            self.lost.add(raw["id"])

    def remap(self, path: Path) -> Path:
        out = list(path)
        if len(out) > 1 and isinstance(out[1], int) and str(out[0]) in self.index:
            kept = out[1]
            out[1] = self.index[str(out[0])][kept]
            if out[0] == "flows" and len(out) > 3 and out[2] == "steps" and isinstance(out[3], int):
                out[3] = self.steps[kept][out[3]]
        return tuple(out)

    def about_lost(self, message: str) -> bool:
        return any(repr(name) in message for name in self.lost)


def partial_problems(data: object) -> list[Problem]:
    """What `check_world` finds in the parts of `data` that validate, at their paths in the file."""
    if not isinstance(data, dict):
        return []
    part = _Partial()
    try:
        info = ScenarioInfo.model_validate(data.get("scenario"))
    except ValidationError:
        raw = data.get("scenario")
        given = raw.get("user") if isinstance(raw, dict) else None
        user = given if isinstance(given, str) else "me"
        info = ScenarioInfo.model_construct(name="scenario", description="", user=user, play=None)
    try:
        faults = FaultPlan.model_validate(data.get("faults", {}))
    except ValidationError:
        faults = FaultPlan()
    sections = {name: part.items(data, name, model) for name, model in _SECTIONS.items()}
    world = World.model_construct(None, scenario=info, flows=part.flows(data), faults=faults, **sections)
    return [
        (part.remap(path), message) for path, message in check_world(world) if not part.about_lost(message)
    ]


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
