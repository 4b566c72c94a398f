"""Find the line of a key or table in TOML text, so scenario errors can say `FILE:LINE:`.

tomllib gives no positions, so this walks the (already valid) text once and records the first line of
every path: `("flows", 0, "steps", 2, "buttons", 1, "title")`, the same shape as a pydantic error location.
It understands tables, arrays of tables, dotted and quoted keys, multi-line arrays and inline tables, strings
of every kind and comments. It only reads the text; values stay data.
"""

from __future__ import annotations

from collections.abc import Sequence

Path = tuple[str | int, ...]


def index_lines(text: str) -> dict[Path, int]:
    return _Indexer(text).run()


def line_of(lines: dict[Path, int], loc: Sequence[str | int]) -> int:
    """The line of the longest known prefix of `loc` (1 when nothing matches)."""
    path = tuple(loc)
    for n in range(len(path), 0, -1):
        if path[:n] in lines:
            return lines[path[:n]]
    return 1


def split_key(key: str) -> list[str]:
    """`a."b.c".d` -> ["a", "b.c", "d"]."""
    parts: list[str] = []
    current = ""
    quote = ""
    for ch in key:
        if quote:
            if ch == quote:
                quote = ""
            else:
                current += ch
        elif ch in "\"'":
            quote = ch
        elif ch == ".":
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    return parts


class _Indexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[Path, int] = {}
        self.array_tables: dict[Path, int] = {}  # the current index of each array of tables

    # helpers ---------------------------------------------------------------------------------------
    def _peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def _advance(self, n: int = 1) -> None:
        self.line += self.text.count("\n", self.pos, self.pos + n)
        self.pos += n

    def _record(self, path: Path) -> None:
        self.lines.setdefault(path, self.line)

    def _skip_blank(self, newlines: bool) -> None:
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in " \t\r" or (newlines and ch == "\n"):
                self._advance()
            elif ch == "#":
                end = self.text.find("\n", self.pos)
                self._advance((len(self.text) if end < 0 else end) - self.pos)
            else:
                return

    def _read_until(self, stops: str) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in stops:
            if self.text[self.pos] in "\"'":
                self._skip_string()
            else:
                self._advance()
        return self.text[start : self.pos]

    def _skip_string(self) -> None:
        quote = self._peek(3) if self._peek(3) in ('"""', "'''") else self._peek()
        self._advance(len(quote))
        while self.pos < len(self.text):
            if quote[0] == '"' and self._peek() == "\\":
                self._advance(2)
            elif self._peek(len(quote)) == quote:
                self._advance(len(quote))
                while len(quote) == 3 and self._peek() == quote[0]:  # """a"""" ends on the last quotes
                    self._advance()
                return
            else:
                self._advance()

    def _resolve(self, parts: list[str]) -> Path:
        """A table name as a path, with the current index of every array of tables on the way."""
        path: Path = ()
        for part in parts:
            path += (part,)
            if path in self.array_tables:
                path += (self.array_tables[path],)
        return path

    # the walk --------------------------------------------------------------------------------------
    def run(self) -> dict[Path, int]:
        table: Path = ()
        while self.pos < len(self.text):
            self._skip_blank(newlines=True)
            if self.pos >= len(self.text):
                break
            if self._peek(2) == "[[":
                self._advance(2)
                parts = split_key(self._read_until("]"))
                self._advance(2)
                array = self._resolve(parts[:-1]) + (parts[-1],)
                self._record(array)
                self.array_tables[array] = self.array_tables.get(array, -1) + 1
                table = array + (self.array_tables[array],)
                self._record(table)
            elif self._peek() == "[":
                self._advance()
                table = self._resolve(split_key(self._read_until("]")))
                self._advance()
                self._record(table)
            else:
                self._key_value(table)
            self._skip_blank(newlines=False)
        return self.lines

    def _key_value(self, table: Path) -> None:
        parts = split_key(self._read_until("=\n"))
        if self._peek() != "=":  # not a key/value line; tomllib accepted the file, so just move on
            self._advance()
            return
        path = table
        for part in parts:
            path += (part,)
            self._record(path)
        self._advance()
        self._value(path)

    def _value(self, path: Path) -> None:
        self._skip_blank(newlines=False)
        ch = self._peek()
        if ch == "[":
            self._advance()
            index = 0
            while self.pos < len(self.text):
                self._skip_blank(newlines=True)
                if self._peek() in ("]", ""):
                    self._advance()
                    return
                if self._peek() == ",":
                    self._advance()
                    continue
                self._record(path + (index,))
                self._value(path + (index,))
                index += 1
        elif ch == "{":
            self._advance()
            while self.pos < len(self.text):
                self._skip_blank(newlines=True)
                if self._peek() in ("}", ""):
                    self._advance()
                    return
                if self._peek() == ",":
                    self._advance()
                    continue
                self._key_value(path)
        elif ch in "\"'":
            self._skip_string()
        else:
            self._read_until(",]}\n#")
