"""The wire's and the directory's own limits, applied to a scenario before it is played.

Each account is turned into the directory entry the network would send, and each message a scenario can
send (history, scheduled, promotions, flow steps, bots' replies) into its wire frame, exactly as the fake
peer builds them; whatever the wire models refuse (a display name over 256 characters, a button id too long,
a third website) or whatever would not fit in a frame is reported at the scenario field it came from.
So `scenario check` passes only what `scenario play` and the messenger can send.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from tui_messenger.domain.reactions import is_emoji
from tui_messenger.transport import wire
from tui_messenger.transport.fake.content import build_message, text_spec
from tui_messenger.transport.fake.directory import directory_entry, directory_frame
from tui_messenger.transport.fake.toml_lines import Path
from tui_messenger.transport.fake.world import MessageSpec, World

Problem = tuple[Path, str]

# Where a wire model's field comes from in a message spec: (model, wire prefix) -> scenario prefix.
_MESSAGE_FIELDS: dict[tuple[str, str], Path] = {
    ("TextContent", "body"): ("text",),
    ("Template", "body"): ("text",),
    ("Template", "name"): ("template",),
    ("Template", "buttons"): ("buttons",),
    ("Interactive", "body"): ("text",),
    ("Interactive", "header"): ("header",),
    ("Interactive", "footer"): ("footer",),
    ("Interactive", "buttons"): ("buttons",),
    ("Interactive", "button_label"): ("list", "button"),
    ("Interactive", "sections"): ("list", "sections"),
    ("Document", "file_name"): ("file", "name"),
    ("Document", "mime_type"): ("file", "mime"),
    ("Document", "caption"): ("text",),
    ("Document", "data"): ("file",),
}


def check_wire(world: World, skip: Collection[Path] = ()) -> Iterator[Problem]:
    """Every wire limit the scenario breaks; messages at a path in `skip` (already reported) are left out."""
    for i, account in enumerate(world.accounts):
        at: Path = ("accounts", i)
        if account.profile is not None:
            yield from _profile_lengths(account.profile.model_dump(), at + ("profile",))
            try:
                wire.Profile(**account.profile.model_dump())
            except ValidationError as exc:
                for err in exc.errors(include_url=False):
                    yield at + ("profile", *err["loc"]), _wire_message(err)
        try:
            directory_entry(account.model_copy(update={"profile": None}), 0)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                yield at + tuple(err["loc"]), _wire_message(err)
        for j, emoji in enumerate(account.reaction_emoji):
            if not is_emoji(emoji):
                yield at + ("reaction_emoji", j), f"{emoji!r} is not one emoji"
        for j, promo in enumerate(account.promotions):
            yield from _message(promo, at + ("promotions", j), account.id, world, skip)
        if account.auto_reply is not None:
            yield from _message(text_spec(account.auto_reply), at + ("auto_reply",), account.id, world, skip)
        for j, line in enumerate(account.replies):
            yield from _message(text_spec(line), at + ("replies", j), account.id, world, skip)
    size = _directory_size(world)
    if size > wire.MAX_FRAME_BYTES:
        yield (
            ("accounts",),
            f"the directory is {size:,} bytes on the wire; a frame holds at most {wire.MAX_FRAME_BYTES:,}",
        )
    for n, item in enumerate(world.history):
        message_id = f"h.{world.scenario.name}.{n}"  # as seed.py names it
        yield from _message(item, ("history", n), item.sender, world, skip, message_id=message_id)
    for n, scheduled in enumerate(world.scheduled):
        yield from _message(scheduled, ("scheduled", n), scheduled.sender, world, skip)
    for i, flow in enumerate(world.flows):
        for j, step in enumerate(flow.steps):
            if step.text or step.file is not None:  # a step that only reacts or corrects sends no message
                yield from _message(step, ("flows", i, "steps", j), flow.business, world, skip)
            if step.edit is not None:  # the new text travels in an edit frame, capped like any frame
                yield from _edit(
                    step.edit.text, ("flows", i, "steps", j, "edit", "text"), flow.business, world
                )


def _edit(text: str, at: Path, sender: str, world: World) -> Iterator[Problem]:
    """An edit's new text in the frame the fake peer would send (as _message does, with stand-in ids)."""
    sender = sender if 1 <= len(sender) <= 200 else "sender"  # a bad id is reported where it is written
    to = world.user_id if 1 <= len(world.user_id or "") <= 200 else "me"
    frame = wire.EditFrame(
        id="x.check.1", sender=sender, to=to, message_id="m.check.1", body=text, timestamp=0
    )
    size = len(wire.encode(frame))
    if size > wire.MAX_FRAME_BYTES:
        yield at, f"the edit is {size:,} bytes on the wire; a frame holds at most {wire.MAX_FRAME_BYTES:,}"


def _profile_lengths(profile: dict[str, object], at: Path) -> Iterator[Problem]:
    """Profile fields over MAX_PROFILE_FIELD: the network would send them cut."""
    limit = wire.MAX_PROFILE_FIELD
    for name, value in profile.items():
        values = value if isinstance(value, list) else [value]
        for j, text in enumerate(values):
            if isinstance(text, str) and len(text) > limit:
                where = at + ((name, j) if isinstance(value, list) else (name,))
                yield where, f"has {len(text):,} characters; a profile field holds at most {limit:,}"


def _directory_size(world: World) -> int:
    """Bytes of the directory frame the network would send (0 when an entry is invalid: that is reported
    at its field)."""
    try:
        return len(wire.encode(directory_frame(world, 1, 0)))
    except (ValidationError, ValueError):
        return 0


def _message(
    spec: MessageSpec,
    at: Path,
    sender: str,
    world: World,
    skip: Collection[Path],
    *,
    message_id: str = "m.check.1",
) -> Iterator[Problem]:
    if at in skip:
        return
    sender = sender if 1 <= len(sender) <= 200 else "sender"  # a bad id is reported where it is written
    try:
        frame = build_message(
            spec, message_id=message_id, sender=sender, to=world.user_id or "me", timestamp=0
        )
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            if exc.title == "MessageFrame" and loc[:1] == ("id",):
                yield ("scenario", "name"), "the scenario name is too long to name its history messages"
            else:
                yield at + _spec_path(exc.title, loc, err.get("input"), spec), _wire_message(err)
        return
    size = len(wire.encode(frame))
    if size > wire.MAX_FRAME_BYTES:
        yield (
            at + ("text",),
            f"the message is {size:,} bytes on the wire; a frame holds at most {wire.MAX_FRAME_BYTES:,}",
        )


def _spec_path(model: str, loc: Path, value: object, spec: MessageSpec) -> Path:
    """The scenario field a wire model's error is about (build_message builds buttons and rows one by one,
    so their errors come without an index: the spec's button or row holding the refused value is found)."""
    if model == "Button":
        for k, button in enumerate(spec.buttons):
            if value in (button.key, button.title):
                return ("buttons", k, *loc)
        return ("buttons",)
    if model == "ListRow" and spec.list is not None:
        for n, section in enumerate(spec.list.sections):
            for r, row in enumerate(section.rows):
                if value in (row.key, row.title, row.description):
                    return ("list", "sections", n, "rows", r, *loc)
        for r, row in enumerate(spec.list.rows):
            if value in (row.key, row.title, row.description):
                return ("list", "rows", r, *loc)
        return ("list",)
    if model in ("ListSection", "Interactive") and not loc:
        return ("list",) if spec.list is not None else ("buttons",)
    if loc and (model, loc[0]) in _MESSAGE_FIELDS:
        return _MESSAGE_FIELDS[(model, str(loc[0]))] + tuple(loc[1:])
    return ()


def _wire_message(err: ErrorDetails) -> str:
    ctx = err.get("ctx") or {}
    value = err.get("input")
    kind = err["type"]
    if kind == "string_too_long" and isinstance(value, str):
        return f"has {len(value)} characters; the limit on the network is {ctx.get('max_length')}"
    if kind == "too_long" and isinstance(value, list):
        return f"has {len(value)} items; the limit on the network is {ctx.get('max_length')}"
    if kind == "string_too_short":
        return "cannot be empty on the network"
    return "the network refuses it: " + str(err["msg"]).removeprefix("Value error, ")
