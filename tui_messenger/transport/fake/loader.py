"""Load scenarios: built-in ones (package data) by name, or a tester's file by path.

Every problem is reported as `FILE:LINE: field: what is wrong`, all of them at once, so a tester can fix a
file in one go. Bad TOML gets tomllib's own line.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from tui_messenger.domain.local_file import LocalFileError, loads_toml, read_text
from tui_messenger.transport.fake.checks import check_world
from tui_messenger.transport.fake.partial import partial_problems
from tui_messenger.transport.fake.toml_lines import index_lines, line_of
from tui_messenger.transport.fake.world import World

BUILTINS = ("default", "bank-fraud-alert", "airline-delay", "spam-wave", "impersonation")
SCENARIO_MAX_BYTES = 2 * 1024 * 1024  # ~40,000 short steps; the built-ins are under 12 KB (see local_file.py)


@dataclass(frozen=True)
class Issue:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        line = f":{self.line}" if self.line > 0 else ""  # 0: about the whole file (not found, unreadable)
        return f"{self.file}{line}: {where}{self.message}"


class ScenarioError(Exception):
    """A scenario that cannot be used; `issues` holds every problem found."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("\n".join(str(i) for i in issues))
        self.issues = issues


def _builtin_dir() -> Traversable:  # importlib.resources: from a wheel, a zip or a checkout
    return resources.files("tui_messenger.transport.fake") / "scenarios"


def list_builtins() -> list[tuple[str, str]]:
    """(name, one-line description) of each built-in scenario."""
    out = []
    for name in BUILTINS:
        world = load_world(name)
        out.append(
            (name, world.scenario.description.strip().splitlines()[0] if world.scenario.description else "")
        )
    return out


def load_world(name_or_path: str | Path) -> World:
    """A built-in scenario by name, or a scenario file by path. Raises ScenarioError."""
    text, source = read_scenario(name_or_path)
    return parse_world(text, source)


def read_scenario(name_or_path: str | Path) -> tuple[str, str]:
    """The text of a scenario and the name to show in messages."""
    name = str(name_or_path)
    if name in BUILTINS:
        return (_builtin_dir() / f"{name}.toml").read_text(encoding="utf-8"), f"{name}.toml"
    try:
        return read_text(Path(name_or_path), max_bytes=SCENARIO_MAX_BYTES), name
    except LocalFileError as exc:  # missing, not a regular file (a FIFO), too large, not UTF-8
        if exc.missing:
            known = ", ".join(BUILTINS)
            raise ScenarioError(
                [Issue(name, 0, "", f"no such file or built-in scenario (built-ins: {known})")]
            ) from None
        raise ScenarioError([Issue(name, exc.line, "", exc.reason)]) from None


def parse_world(text: str, source: str = "<scenario>") -> World:
    try:
        data = loads_toml(text, source)  # names of at most 8 parts, nesting at most 32 levels
    except LocalFileError as exc:
        message = exc.reason.replace("not valid TOML: ", "bad TOML: ")
        raise ScenarioError([Issue(source, exc.line, "", message)]) from None
    try:
        world = World.model_validate(data)
    except ValidationError as exc:
        lines = index_lines(text)  # walked only for a file with problems: it is the slowest part
        issues = [
            Issue(source, line_of(lines, err["loc"]), _field(err["loc"]), _message(err))
            for err in exc.errors(include_url=False)
        ]
        # A type error must not hide the rest: check whatever parts did validate, too.
        issues += [
            Issue(source, line_of(lines, loc), _field(loc), msg) for loc, msg in partial_problems(data)
        ]
        raise ScenarioError(_sorted(list(dict.fromkeys(issues)))) from None
    problems = check_world(world)
    if problems:
        lines = index_lines(text)
        issues = [Issue(source, line_of(lines, loc), _field(loc), msg) for loc, msg in problems]
        raise ScenarioError(_sorted(issues))
    return world


def _sorted(issues: list[Issue]) -> list[Issue]:
    return sorted(issues, key=lambda i: i.line)


def _field(loc: tuple[str | int, ...]) -> str:
    """("flows", 0, "steps", 2, "id") -> "flows[0].steps[2].id"."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier() or part.replace("-", "_").isidentifier():
            out += f".{part}" if out else part
    return out


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    message = str(err["msg"])
    return message.removeprefix("Value error, ")
