"""`tui-messenger scenario list|check|play`: tools for testers' scenario files.

Errors end with one line on stderr and exit code 2, never a traceback. Text from scenarios is untrusted:
it is made safe for the terminal before it is printed (JSON output escapes it instead).
"""

from __future__ import annotations

import asyncio
import json
import re
import sys

import click

from tui_messenger.transport.fake import FaultPlan, ScenarioError, list_builtins, load_world
from tui_messenger.transport.fake.player import TranscriptLine, play

# C0 except tab and newline, DEL, C1, and bidi or invisible format characters.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def _safe(text: str) -> str:
    """Terminal-safe: unsafe characters shown as <U+XXXX>, newlines as a visible mark."""
    return _UNSAFE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text).replace("\n", " ⏎ ").replace("\t", " ")


def _json_line(obj: dict[str, object]) -> str:
    text = json.dumps(obj, ensure_ascii=False)
    # json.dumps escapes C0 only; escape DEL, C1 and bidi controls too so the line is safe on a terminal.
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _fail(message: str) -> None:
    click.echo(_safe(message), err=True)
    sys.exit(2)


@click.group()
def scenario() -> None:
    """List, check and play scenario files."""


@scenario.command("list")
def list_command() -> None:
    """List the built-in scenarios, one line each."""
    try:
        builtins = list_builtins()
    except ScenarioError as exc:  # a broken package: say so plainly
        _fail(f"error: built-in scenario is broken: {exc.issues[0]}")
    width = max(len(name) for name, _ in builtins)
    for name, description in builtins:
        click.echo(f"{name:<{width}}  {_safe(description)}")


@scenario.command("check")
@click.argument("file")
def check_command(file: str) -> None:
    """Validate a scenario FILE (or a built-in name): a summary, or FILE:LINE: errors and exit 2."""
    try:
        world = load_world(file)
    except ScenarioError as exc:
        for issue in exc.issues:
            click.echo(_safe(str(issue)), err=True)
        sys.exit(2)
    steps = sum(len(f.steps) for f in world.flows)
    click.echo(
        f"{_safe(file)}: ok: scenario {_safe(world.scenario.name)!r}, {len(world.accounts)} accounts, "
        f"{len(world.flows)} flows, {steps} steps, {len(world.history)} history messages, "
        f"{len(world.scheduled)} scheduled"
    )


@scenario.command("play")
@click.argument("name_or_file")
@click.option("--reply", "replies", multiple=True, help="The user's next answer (repeatable).")
@click.option("--flow", default=None, help="The flow to open with its opening line.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--drop", default=0.0, type=click.FloatRange(0, 1), help="Fault rate (0..1).")
@click.option("--duplicate", default=0.0, type=click.FloatRange(0, 1))
@click.option("--reorder", default=0.0, type=click.FloatRange(0, 1))
@click.option("--delay", default=0.0, type=click.FloatRange(0, 1))
@click.option("--garble", default=0.0, type=click.FloatRange(0, 1))
@click.option("--disconnect", default=0.0, type=click.FloatRange(0, 1))
def play_command(
    name_or_file: str, replies: tuple[str, ...], flow: str | None, as_json: bool, seed: int, **rates: float
) -> None:
    """Play a scenario headless against the fake peer and print the transcript."""
    try:
        world = load_world(name_or_file)
        faults = world.faults
        if any(rates.values()):
            faults = FaultPlan(
                **{**faults.model_dump(), **{k: v for k, v in rates.items() if v}, "seed": seed}
            )
        lines = asyncio.run(play(world, list(replies), seed=seed, faults=faults, flow=flow))
    except ScenarioError as exc:
        _fail(str(exc.issues[0]) if len(exc.issues) == 1 else str(exc).replace("\n", "; "))
    except Exception as exc:  # noqa: BLE001 - one clear line, no traceback
        _fail(f"error: {exc}")
    for line in lines:
        click.echo(_json_line(line.as_dict()) if as_json else _format(line))


def _format(line: TranscriptLine) -> str:
    time = line.time[:19].replace("T", " ")
    who = f"{line.name} ({line.sender})" if line.name else line.sender
    if line.type == "status":
        code = f" {line.code}" if line.code else ""
        return _safe(f"{time}  status {line.kind}{code}  {line.id}  by {line.sender}")
    if line.type == "preferences":
        return _safe(f"{time}  {line.sender} -> {line.to}  marketing {line.kind}")
    if line.type == "failed":
        return _safe(f"{time}  FAILED {line.code}  {who} -> {line.to}: {line.text}")
    options = f"  [{' | '.join(line.options)}]" if line.options else ""
    return _safe(f"{time}  {who} -> {line.to}  {line.kind}: {line.text}{options}")
