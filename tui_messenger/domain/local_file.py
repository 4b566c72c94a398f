"""Read a small local text file the user (or anyone who can write to their folders) may have crafted:
config.toml, a theme, state.json, a scenario.

Only a regular file is read (a FIFO or a device would block start-up, a folder is no file), opened
non-blocking and checked with fstat on the open descriptor; at most `max_bytes` + 1 bytes are read, so a
larger file is refused without reading it; bytes that are not UTF-8 are refused at their offset.

TOML is checked before tomllib sees it: tomllib's cost grows with the square of a dotted name's parts
(a 40 KB file of one `a.a.a…` key took 1.6 GB), so no key or table name may have more than
MAX_KEY_PARTS parts. Parsed TOML and JSON may nest at most MAX_DEPTH levels (a deeper file would recurse
in whatever reads it next); tomllib and json recurse once per level themselves, so their RecursionError
on a few thousand `[` is caught and reported the same way.
Even within these limits tomllib holds up to ~200 bytes of memory per byte of a crafted file (2 MiB of
8-part keys: 411 MB), so each caller's `max_bytes` is what bounds it.

Every problem is one LocalFileError naming the file (and the line where there is one); nothing here
prints, and a RecursionError never escapes. Standard library only.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from pathlib import Path

MAX_KEY_PARTS = 8  # the deepest name a scenario needs has 5 parts: [[flows.steps.list.sections.rows]]
MAX_DEPTH = 32  # tables, arrays and inline tables (TOML), arrays and objects (JSON)


class LocalFileError(ValueError):
    """A file that cannot be used: `where` names it, `reason` says why in one line, `line` where (1-based,
    0 when unknown); `missing` is True for a file that does not exist (the caller's defaults apply)."""

    def __init__(self, where: str, reason: str, *, line: int = 0, missing: bool = False) -> None:
        self.where = where
        self.reason = reason
        self.line = line
        self.missing = missing
        at = f":{line}" if line else ""
        super().__init__(f"{where}{at}: {reason}")


def read_text(path: Path | str, *, max_bytes: int) -> str:
    """The text of the regular file at `path`, or LocalFileError (missing, not a regular file, larger than
    `max_bytes`, not UTF-8, unreadable)."""
    where = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError:
        raise LocalFileError(where, "no such file", missing=True) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise LocalFileError(where, f"cannot read: {_why(exc)}") from None
    try:
        with open(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise LocalFileError(where, "not a regular file")
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise LocalFileError(where, f"cannot read: {_why(exc)}") from None
    if len(raw) > max_bytes:
        raise LocalFileError(where, f"larger than {max_bytes:,} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise LocalFileError(where, f"not UTF-8 text (byte {exc.start})", line=line) from None


def _why(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or type(exc).__name__


def load_toml(path: Path | str, *, max_bytes: int) -> dict[str, object]:
    """A TOML file's table, or LocalFileError."""
    return loads_toml(read_text(path, max_bytes=max_bytes), str(path))


def load_json(path: Path | str, *, max_bytes: int) -> object:
    """A JSON file's value, or LocalFileError."""
    return loads_json(read_text(path, max_bytes=max_bytes), str(path))


_TOML_AT = re.compile(r"\(at line (\d+), column \d+\)")


def loads_toml(text: str, where: str = "<toml>") -> dict[str, object]:
    """TOML text as tomllib parses it, after the checks above; LocalFileError otherwise."""
    check_toml_names(text, where)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_AT.search(str(exc))
        reason = f"not valid TOML: {_TOML_AT.sub('', str(exc)).strip()}"
        raise LocalFileError(where, reason, line=int(match.group(1)) if match else 0) from None
    except RecursionError:
        raise LocalFileError(where, f"nested more than {MAX_DEPTH} levels deep") from None
    _check_depth(data, where)
    return data


def loads_json(text: str, where: str = "<json>") -> object:
    """JSON text as json parses it, nested at most MAX_DEPTH levels; LocalFileError otherwise."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise LocalFileError(where, f"nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:
        line = getattr(exc, "lineno", 0)
        raise LocalFileError(where, f"not valid JSON: {getattr(exc, 'msg', exc)}", line=line) from None
    _check_depth(data, where)
    return data


def _check_depth(data: object, where: str) -> None:
    """Refuse lists and dicts nested deeper than MAX_DEPTH, found without recursion."""
    level: list[dict[str, object] | list[object]] = [data] if isinstance(data, dict | list) else []
    for _ in range(MAX_DEPTH):
        level = [
            child
            for item in level
            for child in (item.values() if isinstance(item, dict) else item)
            if isinstance(child, dict | list)
        ]
        if not level:
            return
    raise LocalFileError(where, f"nested more than {MAX_DEPTH} levels deep")


_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_NAME = rf"{_PART}(?:[ \t]*\.[ \t]*{_PART})*"
# Fast scans that pass almost every file: a line with enough dots, then a run of enough dotted parts
# (starting only where a name can start, so each start scans one name: linear, like the first).
_DOTS_ON_A_LINE = re.compile(rf"(?:\.[^.\n]*){{{MAX_KEY_PARTS - 1}}}\.")
_LONG_NAME = re.compile(rf"(?<![A-Za-z0-9_-]){_PART}(?:[ \t]*\.[ \t]*{_PART}){{{MAX_KEY_PARTS},}}")
# The careful walk: multi-line strings and comments are skipped whole, so their text is never a name.
_TOKENS = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*""""{0,2}'
    + r"|'''(?:[^']|'(?!''))*''''{0,2}"
    + r"|#[^\n]*)"
    + rf"|(?P<name>{_NAME})",
    re.DOTALL,
)


def check_toml_names(text: str, where: str = "<toml>") -> None:
    """Refuse TOML with a key or table name of more than MAX_KEY_PARTS dotted parts (outside strings and
    comments). Only a file the fast scans do not pass is walked token by token."""
    if not _DOTS_ON_A_LINE.search(text) or not _LONG_NAME.search(text):
        return
    for match in _TOKENS.finditer(text):
        if match.lastgroup == "name":
            parts = _parts(match.group())
            if parts > MAX_KEY_PARTS:
                line = text.count("\n", 0, match.start()) + 1
                reason = f"a name of {parts} dotted parts; at most {MAX_KEY_PARTS}"
                raise LocalFileError(where, reason, line=line)


def _parts(name: str) -> int:
    """`a . "b.c" . d` -> 3 (a dot inside a quoted part is no separator)."""
    if '"' not in name and "'" not in name:
        return name.count(".") + 1
    return len(re.findall(_PART, name))
