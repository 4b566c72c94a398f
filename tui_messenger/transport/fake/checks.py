"""Checks that need the whole scenario: references between steps, flows and accounts, and WhatsApp's limits
on buttons and lists, each reported at the field where the problem is."""

from __future__ import annotations

from collections.abc import Iterator

from tui_messenger.transport import wire
from tui_messenger.transport.fake.toml_lines import Path
from tui_messenger.transport.fake.wire_checks import check_wire
from tui_messenger.transport.fake.world import FlowSpec, MessageSpec, SectionSpec, World

Problem = tuple[Path, str]
MAX_LIST_BUTTON = 20  # the label of the button that opens a list


def check_world(world: World) -> list[Problem]:
    found = [*_accounts(world), *_messages(world), *_history(world), *_flows(world)]
    reported = {path[:4] if path[:1] == ("flows",) else path[:2] for path, _ in found}  # one spec's report
    reported |= {path[:4] for path, _ in found if path[:1] == ("accounts",)}  # promotions
    return found + list(check_wire(world, reported))


def _accounts(world: World) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, account in enumerate(world.accounts):
        if account.id in seen:
            yield ("accounts", i, "id"), f"duplicate account id {account.id!r}"
        if account.id == world.user_id:
            yield ("accounts", i, "id"), f"{account.id!r} is the user's own id"
        seen.add(account.id)
        if account.bot_kind in ("business", "marketer") and account.kind != "business":
            yield ("accounts", i, "bot"), f'a {account.bot_kind} bot needs kind = "business"'
        if account.promotions and account.bot_kind != "marketer":
            yield ("accounts", i, "promotions"), 'promotions are sent only by bot = "marketer"'
    for i, item in enumerate(world.scheduled):
        if world.account(item.sender) is None:
            yield ("scheduled", i, "from"), f"unknown account {item.sender!r}"


def _messages(world: World) -> Iterator[Problem]:
    for i, account in enumerate(world.accounts):
        for j, promo in enumerate(account.promotions):
            yield from check_message(promo, ("accounts", i, "promotions", j))
    for i, item in enumerate(world.history):
        yield from check_message(item, ("history", i))
    for i, scheduled in enumerate(world.scheduled):
        yield from check_message(scheduled, ("scheduled", i))
    for i, flow in enumerate(world.flows):
        for j, step in enumerate(flow.steps):
            yield from check_message(step, ("flows", i, "steps", j))


def check_message(spec: MessageSpec, at: Path) -> Iterator[Problem]:
    if spec.template is not None and spec.category is None:
        yield at + ("template",), "a template needs a category (utility, marketing or authentication)"
    if spec.category is not None and spec.template is None:
        yield at + ("category",), 'a category belongs to a template: add template = "<name>"'
    if spec.buttons and spec.list is not None:
        yield at + ("list",), "a message has buttons or a list, not both"
    if spec.file is not None and (spec.template is not None or spec.buttons or spec.list is not None):
        yield at + ("file",), "a file is sent on its own: no template, buttons or list with it"
    if spec.template is not None and spec.list is not None:
        yield at + ("list",), "a template cannot carry a list"
    if len(spec.buttons) > wire.MAX_BUTTONS:
        yield at + ("buttons",), f"more than {wire.MAX_BUTTONS} buttons ({len(spec.buttons)})"
    titles: set[str] = set()
    for k, button in enumerate(spec.buttons):
        if not button.title:
            yield at + ("buttons", k, "title"), "a button needs a title"
        elif len(button.title) > wire.MAX_BUTTON_TITLE:
            yield at + ("buttons", k, "title"), _too_long("button title", button.title, wire.MAX_BUTTON_TITLE)
        if button.title in titles:
            yield at + ("buttons", k, "title"), f"button title {button.title!r} is used twice"
        titles.add(button.title)
    if spec.list is not None:
        yield from _check_list(spec, at + ("list",))


def _check_list(spec: MessageSpec, at: Path) -> Iterator[Problem]:
    assert spec.list is not None
    rows = sum(len(s.rows) for s in spec.list.all_sections())
    if not 1 <= rows <= wire.MAX_LIST_ROWS:
        yield at, f"a list has 1 to {wire.MAX_LIST_ROWS} rows in all, this one has {rows}"
    if len(spec.list.button) > MAX_LIST_BUTTON:
        yield at + ("button",), _too_long("list button label", spec.list.button, MAX_LIST_BUTTON)
    keys: set[str] = set()
    sections: list[tuple[str, int | None, SectionSpec]] = [
        ("sections", n, s) for n, s in enumerate(spec.list.sections)
    ]
    if spec.list.rows:
        sections.append(("rows", None, spec.list.all_sections()[-1]))
    for field, n, section in sections:
        base = at + ((field, n) if n is not None else (field,))
        for r, row in enumerate(section.rows):
            where = base + (("rows", r) if n is not None else (r,))
            if not row.title:
                yield where + ("title",), "a row needs a title"
            elif len(row.title) > wire.MAX_ROW_TITLE:
                yield where + ("title",), _too_long("row title", row.title, wire.MAX_ROW_TITLE)
            if len(row.description) > wire.MAX_ROW_DESCRIPTION:
                yield (
                    where + ("description",),
                    _too_long("row description", row.description, wire.MAX_ROW_DESCRIPTION),
                )
            if row.key in keys:
                yield where, f"row {row.key!r} appears twice"
            keys.add(row.key)


def _history(world: World) -> Iterator[Problem]:
    for i, item in enumerate(world.history):
        if world.account(item.chat) is None:
            yield ("history", i, "chat"), f"unknown account {item.chat!r}"
        if item.sender not in (world.user_id, item.chat):
            yield ("history", i, "from"), f"'from' is {world.user_id!r} or the chat's account {item.chat!r}"


def _flows(world: World) -> Iterator[Problem]:
    flow_ids: set[str] = set()
    for i, flow in enumerate(world.flows):
        at: Path = ("flows", i)
        if flow.id in flow_ids:
            yield at + ("id",), f"duplicate flow id {flow.id!r}"
        flow_ids.add(flow.id)
        business = world.account(flow.business)
        if business is None:
            yield at + ("business",), f"unknown account {flow.business!r}"
        elif business.kind != "business":
            yield at + ("business",), f"{flow.business!r} is not a business account"
        yield from _steps(flow, at)
    if world.scenario.play is not None and world.scenario.play not in flow_ids:
        yield ("scenario", "play"), f"unknown flow {world.scenario.play!r}"


def _steps(flow: FlowSpec, at: Path) -> Iterator[Problem]:
    ids: set[str] = set()  # a set: a list made every lookup scan the steps (100,000 steps: 132 s)
    for j, step in enumerate(flow.steps):
        if step.id in ids:
            yield at + ("steps", j, "id"), f"duplicate step id {step.id!r}"
        ids.add(step.id)
    if flow.start is not None and flow.start not in ids:
        yield at + ("start",), f"unknown step {flow.start!r}"
    for j, step in enumerate(flow.steps):
        here = at + ("steps", j)
        for field in ("next", "otherwise"):
            target = getattr(step, field)
            if target is not None and target not in ids:
                yield here + (field,), f"{field} goes to a missing step {target!r}"
        if step.next is not None and step.waits:
            yield here + ("next",), "a step either waits for an answer (branches) or goes on (next)"
        if step.end and (step.next or step.waits):
            yield here + ("end",), "an ending step has no next, branches or otherwise"
        if step.react is not None and step.react.message != "user" and step.react.message not in ids:
            target = step.react.message
            yield here + ("react", "message"), f'react to "user" or a step of this flow, not {target!r}'
        changes = (step.edit.message if step.edit is not None else None, step.delete)
        for field, ref in zip(("edit", "delete"), changes, strict=True):
            if ref is not None and ref not in ids:
                where = here + ((field, "message") if field == "edit" else (field,))
                yield where, f"{field} a message an earlier step of this flow sent, not {ref!r}"
        if step.edit is not None and step.delete is not None:
            yield here + ("delete",), "a step edits a message or deletes one, not both"
        corrects = step.edit is not None or step.delete is not None  # may go on without text
        if not step.text and getattr(step, "file", None) is None and not corrects:
            if step.react is None:
                yield here + ("text",), "a step sends text, reacts (react = {...}), or both"
            elif step.waits:
                yield here + ("react",), "a step that only reacts cannot wait for an answer"
        choices = step.choices()
        titles = {t.casefold() for t in choices.values()}
        for k, branch in enumerate(step.branches):
            where = here + ("branches", k)
            if branch.goto not in ids:
                yield where + ("goto",), f"branch to a missing step {branch.goto!r}"
            if (branch.choice is None) == (not branch.text):
                yield where, "a branch has either a choice (button or row) or text words"
            if branch.choice is not None and branch.choice not in choices:
                if branch.choice.casefold() not in titles:
                    yield where + ("choice",), f"{branch.choice!r} is not a button or row of step {step.id!r}"


def _too_long(what: str, text: str, limit: int) -> str:
    return f"{what} {text!r} has {len(text)} characters; the limit is {limit}"
