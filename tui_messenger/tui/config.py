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
from dataclasses import dataclass, field
from pathlib import Path

from tui_messenger.domain.local_file import LocalFileError, load_toml

CONFIG_FILE = "config.toml"
CONFIG_MAX_BYTES = 64 * 1024  # a few key bindings and switches; a larger file is not read
_ONE_KEY = r"[A-Za-z0-9_+\-?/!@#$%^&*()\[\]{};:'\",.<>=|\\`~]+"
_KEY = re.compile(rf"^{_ONE_KEY}(,{_ONE_KEY})*$")
_SECTIONS = {"keys", "notifications", "files", "testers"}


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
        if isinstance(key, str) and _KEY.match(key.replace(" ", "")):
            keymap[str(binding_id)] = key.replace(" ", "")
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
