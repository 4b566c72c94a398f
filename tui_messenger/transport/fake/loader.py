"""Load scenarios: built-in ones (package data) by name, or a tester's file by path.

Every problem is reported as `FILE:LINE: field: what is wrong`, all of them at once, so a tester can fix a
file in one go. Bad TOML gets tomllib's own line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from tui_messenger.transport.fake.checks import check_world
from tui_messenger.transport.fake.partial import partial_problems
from tui_messenger.transport.fake.toml_lines import index_lines, line_of
from tui_messenger.transport.fake.world import World

BUILTINS = ("default", "bank-fraud-alert", "airline-delay", "spam-wave", "impersonation")
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


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


def _builtin_dir():  # -> Traversable; importlib.resources works from a wheel, a zip or a checkout
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
    path = Path(name_or_path)
    try:
        return path.read_text(encoding="utf-8"), name
    except FileNotFoundError:
        known = ", ".join(BUILTINS)
        raise ScenarioError(
            [Issue(name, 0, "", f"no such file or built-in scenario (built-ins: {known})")]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Issue(name, 0, "", f"cannot read: {exc}")]) from None


def parse_world(text: str, source: str = "<scenario>") -> World:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else 1
        message = _TOML_LINE.sub("", str(exc)).strip()
        raise ScenarioError([Issue(source, line, "", f"bad TOML: {message}")]) from None
    lines = index_lines(text)
    try:
        world = World.model_validate(data)
    except ValidationError as exc:
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


def _message(err: dict) -> str:  # a pydantic ErrorDetails
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    message = str(err["msg"])
    return message.removeprefix("Value error, ")
