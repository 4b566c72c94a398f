"""`tui-messenger scenario list|check|play`: tools for testers' scenario files.

Errors end with one line on stderr and exit code 2, never a traceback; a play that leaves `--reply` values
unused exits 1 and names them. Text from scenarios is untrusted: every line printed goes through the
project's safe-text path (domain/safe_text.py); JSON output escapes what that path would change instead.
"""

from __future__ import annotations

import asyncio
import json
import sys

import click

from tui_messenger.cli.options import RATE
from tui_messenger.domain.safe_text import clean_body, has_controls, json_safe
from tui_messenger.transport.fake import FaultPlan, ScenarioError, list_builtins, load_world
from tui_messenger.transport.fake.player import DEFAULT_UNTIL, TranscriptLine, play_world
from tui_messenger.transport.fake.world import parse_duration

_CONTROL_MARK = "<U+{:04X}>"


def _safe(text: str) -> str:
    """One terminal-safe line: control characters shown as <U+XXXX> (so a tester sees an attack was
    there), then the safe-text path (ESC sequences, C1, bidi, invisible and tag characters), newlines as
    a visible mark."""
    if has_controls(text):
        text = "".join(_CONTROL_MARK.format(ord(c)) if has_controls(c) else c for c in text)
    return clean_body(text).replace("\n", " ⏎ ")


def _json_line(obj: dict[str, object]) -> str:
    return json_safe(json.dumps(obj, ensure_ascii=False))  # escapes what the safe path would change


def _duration(value: str) -> float:
    try:
        seconds = parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if seconds <= 0:
        raise click.BadParameter("the play needs some time: give a positive duration such as 90m, 30h or 7d")
    return seconds


def _utf8(ctx: click.Context, param: click.Parameter, value: object) -> object:
    """Text the user typed must be text: bytes that are not UTF-8 (kept by Python as lone surrogates,
    which no JSON or database takes) are refused with one line."""
    for text in value if isinstance(value, tuple) else (value,):
        if isinstance(text, str) and not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                _fail(f"error: {param.opts[0]}: not valid UTF-8 text")
    return value


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
@click.option(
    "--reply", "replies", multiple=True, callback=_utf8, help="The user's next answer (repeatable)."
)
@click.option("--flow", default=None, callback=_utf8, help="The flow to open with its opening line.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option(
    "--until",
    "until",
    default="7d",
    show_default=True,
    help="Virtual time the play may take at most (90m, 30h, 7d); replies still unused then exit 1.",
)
@click.option("--drop", default=0.0, type=RATE, help="Fault rate (0..1).")
@click.option("--duplicate", default=0.0, type=RATE)
@click.option("--reorder", default=0.0, type=RATE)
@click.option("--delay", default=0.0, type=RATE)
@click.option("--garble", default=0.0, type=RATE)
@click.option("--disconnect", default=0.0, type=RATE)
def play_command(
    name_or_file: str,
    replies: tuple[str, ...],
    flow: str | None,
    as_json: bool,
    seed: int,
    until: str,
    **rates: float,
) -> None:
    """Play a scenario headless against the fake peer and print the transcript.

    It runs until every flow has ended and every --reply is used, or until --until of virtual time."""
    try:
        seconds = _duration(until) if until else DEFAULT_UNTIL
    except click.BadParameter as exc:
        _fail(f"error: --until: {exc.message}")
    try:
        world = load_world(name_or_file)
        faults = world.faults
        if any(rates.values()):
            faults = FaultPlan(
                **{**faults.model_dump(), **{k: v for k, v in rates.items() if v}, "seed": seed}
            )
        played = asyncio.run(
            play_world(world, list(replies), seed=seed, faults=faults, flow=flow, until=seconds)
        )
    except ScenarioError as exc:
        _fail(str(exc.issues[0]) if len(exc.issues) == 1 else str(exc).replace("\n", "; "))
    except Exception as exc:  # noqa: BLE001 - one clear line, no traceback
        _fail(f"error: {exc}")
    for line in played.lines:
        click.echo(_json_line(line.as_dict()) if as_json else _format(line))
    if played.unused:
        left = ", ".join(repr(reply) for reply in played.unused)
        hours = f"{played.elapsed / 3600:.1f} virtual hours in"
        ended = f"--until {until} reached" if played.reached_until else f"no flow took them; ended {hours}"
        click.echo(_safe(f"error: --reply not used: {left} ({ended})"), err=True)
        sys.exit(1)


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
