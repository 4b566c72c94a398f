"""The user's settings file, `config.toml` in the config folder: key remapping and notifications.

    [keys]
    find-in-chat = "ctrl+g"     # binding id = key (or keys, comma-separated); see the help screen (F1)

    [notifications]
    bell = true                 # ring the terminal bell with the toast for messages in other chats

    [files]
    downloads = "~/Downloads"   # where saved files go (default: the system's downloads folder)

    [testers]
    show_refusals = false       # hide the testers' "Refused by the platform (131050): ..." lines
                                # in business chats (default: shown)

A bad file (unreadable, not a regular file, over 64 KiB, not TOML, nested too deeply, wrong types) is
reported once as a toast and ignored in part or whole; it never stops the messenger. Binding ids are
checked against the app's bindings when it starts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

from tui_messenger.domain.local_file import LocalFileError, load_toml
from tui_messenger.domain.safe_text import clean_name

CONFIG_FILE = "config.toml"
CONFIG_MAX_BYTES = 64 * 1024  # a few key bindings and switches; a larger file is not read
_ONE_KEY = r"[A-Za-z0-9_+\-?/!@#$%^&*()\[\]{};:'\",.<>=|\\`~]+"
_KEY = re.compile(rf"^{_ONE_KEY}(,{_ONE_KEY})*$")
_SECTIONS = {"keys", "notifications", "files", "testers"}
_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
PROBLEMS_SHOWN = 5  # lines in the problems toast; the rest are counted
PROBLEM_MAX_LEN = 300


@cache
def _key_names() -> frozenset[str]:
    """The names of keys a terminal can send (`up`, `f5`, `pagedown`, ...), without modifiers."""
    names = {key.value.rpartition("+")[2] for key in Keys}
    return frozenset({n for n in names if not n.startswith("<")} | set(KEY_NAME_REPLACEMENTS.values()))


def is_key(key: str) -> bool:
    """A key Textual can match: modifiers and one key (`ctrl+g`, `f5`, `question_mark`, `?`).
    A word that names no key (`notakey`) would leave its binding with no key at all."""
    *modifiers, name = key.split("+")
    if not name or any(m not in _MODIFIERS for m in modifiers):
        return False
    if len(name) == 1:
        return name.isprintable()
    return name in _key_names() or key_to_character(name) is not None


def problems_text(problems: Sequence[str]) -> str:
    """The settings problems as one toast: each on one printable line (a file name or a `[keys]` id
    is the user's text: an escape sequence in it must not reach the terminal), at most
    `PROBLEMS_SHOWN`, then how many more."""
    lines = [clean_name(problem, PROBLEM_MAX_LEN) for problem in problems]
    if len(lines) > PROBLEMS_SHOWN:
        lines[PROBLEMS_SHOWN:] = [f"… and {len(lines) - PROBLEMS_SHOWN} more"]
    return "\n".join(lines)


@dataclass(frozen=True)
class UiConfig:
    keymap: dict[str, str] = field(default_factory=dict)
    bell: bool = False
    problems: tuple[str, ...] = ()
    downloads: Path | None = None  # [files] downloads; None: the system's downloads folder
    show_refusals: bool | None = None  # [testers] show_refusals; None: the default (shown)


def load_config(folder: Path) -> UiConfig:
    """Read `folder/config.toml`; a missing file is the defaults, a bad one the defaults and a problem."""
    path = folder / CONFIG_FILE
    try:
        data = load_toml(path, max_bytes=CONFIG_MAX_BYTES)
    except LocalFileError as exc:  # not a regular file, too large, not UTF-8, not TOML, too deep
        return UiConfig() if exc.missing else UiConfig(problems=(f"{exc}; using defaults.",))
    return parse_config(data, str(path))


def parse_config(data: dict[str, object], where: str = CONFIG_FILE) -> UiConfig:
    problems: list[str] = []
    for name in data:
        if name not in _SECTIONS:
            problems.append(f"{where}: unknown section [{name}] ignored.")
    keymap: dict[str, str] = {}
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        problems.append(f'{where}: [keys] must be a table of binding-id = "key"; ignored.')
        keys = {}
    for binding_id, key in keys.items():
        spec = key.replace(" ", "") if isinstance(key, str) else ""
        if _KEY.match(spec) and all(is_key(one) for one in spec.split(",")):
            keymap[str(binding_id)] = spec
        else:
            problems.append(f"{where}: [keys] {binding_id} = {key!r} is not a key; ignored.")
    bell = False
    notifications = data.get("notifications", {})
    if not isinstance(notifications, dict):
        problems.append(f"{where}: [notifications] must be a table; ignored.")
        notifications = {}
    value = notifications.get("bell", False)
    if isinstance(value, bool):
        bell = value
    else:
        problems.append(f"{where}: [notifications] bell must be true or false; ignored.")
    downloads = _downloads(data.get("files", {}), where, problems)
    show_refusals = _show_refusals(data.get("testers", {}), where, problems)
    return UiConfig(
        keymap=keymap, bell=bell, problems=tuple(problems), downloads=downloads, show_refusals=show_refusals
    )


def _show_refusals(testers: object, where: str, problems: list[str]) -> bool | None:
    if not isinstance(testers, dict):
        problems.append(f"{where}: [testers] must be a table; ignored.")
        return None
    value = testers.get("show_refusals")
    if value is None or isinstance(value, bool):
        return value
    problems.append(f"{where}: [testers] show_refusals must be true or false; ignored.")
    return None


def _downloads(files: object, where: str, problems: list[str]) -> Path | None:
    if not isinstance(files, dict):
        problems.append(f"{where}: [files] must be a table; ignored.")
        return None
    value = files.get("downloads")
    if value is None:
        return None
    if isinstance(value, str) and value.strip() and "\x00" not in value:
        return Path(value).expanduser()
    problems.append(f"{where}: [files] downloads must be a folder path; ignored.")
    return None
