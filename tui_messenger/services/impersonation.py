"""Warn when a display name imitates a verified business (DESIGN.md section 3, rule 2).

Badges come from the directory; names are only compared. A name is reduced twice:
- `normalize_name`: what the name *says* (NFKC, hidden characters and badge glyphs removed, casefolded,
  punctuation and spaces collapsed);
- `skeleton`: what the name *looks like*: Unicode TR39 confusable skeleton (built from the
  confusable-homoglyphs copy of confusables.txt), casefolded, plus the look-alike digit and symbol swaps
  that TR39 leaves out (3→e, 5→s, @→a, ...), and with combining marks dropped (so "Nördbank" matches).
`ImpersonationCheck.looks_like` then compares skeletons with those of the verified businesses.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import marshal
import os
import re
import unicodedata
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from tui_messenger.domain.lookalike import fold_lookalikes, one_typo_apart
from tui_messenger.folders import cache_dir

__all__ = ["ImpersonationCheck", "normalize_name", "skeleton"]

# Glyphs that fake the verified badge inside a name. Most are symbols and would become spaces anyway;
# removing them outright also catches "Nord✓bank".
_BADGES = frozenset(
    "\u2713\u2714\u2611\u2705\u221a\u23b7\u2610\u2612\u26e8\u272a\u272f\u2b50\u2606\u2605"
    "\U0001f5f8\U0001f5f9\U0001f6e1\U0001f530\U0001f535\U0001f537\U0001f539\U0001f3c5\U0001f396"
    "\U0001f512\U0001f510\U0001f4af\U0001f31f\U0001f197\U0001f499\U0001f48e\u24e5\U0001f165"
)
# Digit and symbol look-alikes beyond TR39 (which already maps 0→O, 1→l, I→l, |→l, m→rn). TR39 keeps
# i and l apart, but "A1rlines" uses 1 for i, so i joins l's class; "vv" for "w" is handled below.
_SWAPS = str.maketrans({"2": "z", "3": "e", "4": "a", "5": "s", "6": "b", "7": "t", "8": "b", "9": "g",
                        "@": "a", "$": "s", "€": "e", "!": "l", "¡": "l", "+": "t", "i": "l"})  # fmt: skip
# Words a fake adds to or swaps in for a real name ("SkyWays Support" for "SkyWays Airlines").
_GENERIC = frozenset(
    "airline airlines airways air bank banking support official help helpdesk service services customer "
    "care team desk info news inc ltd llc gmbh ag co company corp group plc sa verified the".split()
)
_OVERRIDE = re.compile("\u202e([^\u202c\u2069\n]*)")  # RLO ... PDF/PDI: drawn right to left
_MIN_PART = 4  # a verified name shorter than this matches only exactly: "Bo" must not flag "Bo Smith"
_MIN_CORE = 5  # shortest distinctive part ("skyways") matched on its own at the start of a name
_MIN_TYPO = 7  # a verified name this long is also matched one typo away: "Nordbamk", "SkyWay Airlines"


def _is_hidden(ch: str) -> bool:
    # Format characters (bidi, zero-width, tags), controls, and variation selectors (category Mn).
    cat = unicodedata.category(ch)
    return cat in ("Cf", "Cc", "Cs", "Co") or "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef"


def _prepare(name: str) -> str:
    """NFKC, then hidden characters and badge glyphs removed. Case and punctuation kept."""
    text = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in text if ch not in _BADGES and not _is_hidden(ch))


def _words(text: str) -> tuple[str, ...]:
    # Letters, digits and marks make words (`\w` would split at Indic vowel signs); the rest separates.
    return tuple(
        "".join(ch if ch.isalnum() or unicodedata.category(ch)[0] == "M" else " " for ch in text).split()
    )


def normalize_name(name: str) -> str:
    """What a name says: NFKC, no hidden characters or badges, casefolded, single spaces between words."""
    return " ".join(_words(_prepare(name).casefold()))


@functools.cache
def _prototypes() -> dict[int, str]:
    """TR39 source → prototype, as a `str.translate` table, loaded on first use: from the table derived
    earlier and kept in the user's cache folder (~2 ms), else derived from the library's data (~20 ms, a
    cost the first frame of a store with a verified business pays) and kept there."""
    source = _confusables_file()
    cache = _cache_file(source)
    table = _read_cache(cache) if cache is not None else None
    if table is None:
        table = _derive(source)
        if cache is not None:
            _write_cache(cache, table)
    return table


def _derive(source: Path) -> dict[int, str]:
    """The table from the library's data.

    confusable-homoglyphs stores confusables.txt as an undirected graph (each line as both a→b and b→a)
    and wraps RTL characters in U+200E. The direction is recovered from TR39's structure: a source
    appears on exactly one line and is never a prototype, so a character with several partners is a
    prototype; a pair of two single-partner characters is ordered as the file listed it (source first).
    """
    with source.open(encoding="utf-8") as file:
        data = json.load(file)
    graph = {
        key.replace("\u200e", ""): [entry["c"].replace("\u200e", "") for entry in entries]
        for key, entries in data.items()
    }
    order = {key: i for i, key in enumerate(graph)}
    table: dict[int, str] = {}
    for key, partners in graph.items():
        if len(key) != 1 or len(partners) != 1:
            continue
        (other,) = partners
        if len(other) > 1 or len(graph.get(other, ())) > 1 or order[key] < order.get(other, -1):
            table[ord(key)] = other
    return table


def _cache_file(source: Path) -> Path | None:
    """Where the derived table is kept ($TUI_MESSENGER_CACHE_DIR, else the user's cache folder), named by
    the library file's size and time and by the code of `_derive`: a new library or a changed derivation
    is never served an old table."""
    try:
        stat = source.stat()
    except OSError:
        return None
    folder = cache_dir()
    digest = zlib.crc32(marshal.dumps(_derive.__code__))  # the code, its constants and nested code
    return Path(folder) / f"confusables-{stat.st_size}-{stat.st_mtime_ns}-{digest:08x}.json"


# The kept table is signed (HMAC-SHA256) with a secret made for this installation and kept beside it, 0600:
# an empty, damaged or planted file (a table that maps nothing would switch the warnings off), or one
# made for another library file or derivation and copied over, is never trusted but derived again.
_KEY_NAME = "lookalike.key"
_KEY_BYTES = 32


def _read_key(folder: Path) -> bytes | None:
    """The secret, if it is ours: a regular file (never followed through a link), owned by this user,
    readable by no one else, of the right size."""
    import stat

    try:
        fd = os.open(folder / _KEY_NAME, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with open(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
            return None
        key = handle.read(_KEY_BYTES + 1)
    return key if len(key) == _KEY_BYTES else None


def _make_key(folder: Path) -> bytes | None:
    """A new secret, replacing whatever was there (which invalidates every table signed before)."""
    key = os.urandom(_KEY_BYTES)
    return key if _replace(folder / _KEY_NAME, key) else None


def _signature(key: bytes, path: Path, body: bytes) -> bytes:
    import hashlib
    import hmac

    # The file's name is signed too: it names the library file and the derivation the table came from.
    return hmac.new(key, path.name.encode() + b"\n" + body, hashlib.sha256).hexdigest().encode()


def _read_cache(path: Path) -> dict[int, str] | None:
    """The kept table, or None if missing, unreadable, unsigned, signed for another file or with another
    key, or not a table of one character to a string."""
    import hmac

    key = _read_key(path.parent)
    if key is None:
        return None
    try:
        mac, _, body = path.read_bytes().partition(b"\n")
        if not hmac.compare_digest(mac, _signature(key, path, body)):
            return None
        data = json.loads(body.decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    table = {}
    for key_char, value in data.items():
        if len(key_char) != 1 or not isinstance(value, str):
            return None
        table[ord(key_char)] = value
    return table


def _write_cache(path: Path, table: dict[int, str]) -> None:
    """Kept signed, in a folder made 0700; nothing kept if that fails (derived again next time)."""
    from tui_messenger.domain.private import make_private_folder

    try:
        make_private_folder(path.parent)  # 0700, as the data and config folders
    except OSError:
        return
    key = _read_key(path.parent) or _make_key(path.parent)
    if key is None:
        return
    body = json.dumps({chr(k): v for k, v in table.items()}).encode("utf-8")
    if _replace(path, _signature(key, path, body) + b"\n" + body):
        _forget_stale(path)


STALE_AFTER_S = 30 * 24 * 3600  # a table of another library file or derivation, not rewritten for a month


def _forget_stale(kept: Path) -> None:
    """Tables of earlier versions (each upgrade names a new one) go once a month old, so the folder does
    not grow with every install; a recent one may be another install's that is still in use."""
    import time

    old = time.time() - STALE_AFTER_S
    for table in kept.parent.glob("confusables-*.json"):
        with contextlib.suppress(OSError):
            if table != kept and table.lstat().st_mtime < old:
                table.unlink()


def _replace(path: Path, data: bytes) -> bool:
    """`path` now holds `data`, whole or not at all: a fresh temporary file (0600, never a planted link)
    in the same folder, renamed over it."""
    import tempfile

    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with open(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)  # a reader never sees half a file
        tmp = None
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _confusables_file() -> Path:
    """The library's confusables.json where its own loader looks ($CONFUSABLE_DATA, else its package
    folder), found without importing it: its loader module imports urllib.request (~40 ms at startup)."""
    folder = os.environ.get("CONFUSABLE_DATA")
    if not folder:
        spec = importlib.util.find_spec("confusable_homoglyphs")
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError("confusable_homoglyphs")
        folder = spec.submodule_search_locations[0]
    return Path(folder) / "confusables.json"


def _tr39(text: str) -> str:
    table = _prototypes()
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).translate(table))


def _fold(text: str) -> str:
    # Look-alike letters to the Latin letters they imitate first (κ → k: TR39's prototype for κ is ĸ, which
    # no verified name has), then TR39. Its prototypes keep case ("0" → "O", "Ν" → "N"), so map, casefold,
    # and map again for what casefolding produced; then fold what TR39 left outside Latin (ĸ, ɴ) and drop
    # combining marks, which only decorate a look-alike.
    text = _tr39(_tr39(fold_lookalikes(text)).casefold()).casefold()
    return fold_lookalikes(text).translate(_SWAPS).replace("vv", "w")


@functools.lru_cache(maxsize=4096)
def _skeleton_words(name: str) -> tuple[str, ...]:
    return _words(_fold(_prepare(name)))


def skeleton(name: str) -> str:
    """What a name looks like: TR39 skeleton, casefolded, digit swaps, words joined by single spaces."""
    return " ".join(_skeleton_words(name))


@functools.cache
def _generic_skeletons() -> frozenset[str]:
    return frozenset(_fold(word) for word in _GENERIC)  # compared with skeleton words: "alrllnes"


class _Pattern:
    """The skeleton forms of one verified name, computed once."""

    __slots__ = ("whole", "core")

    def __init__(self, name: str) -> None:
        words = _skeleton_words(name)
        self.whole = "".join(words)
        generic = _generic_skeletons()
        core = "".join(w for w in words if w not in generic)
        self.core = core if len(core) >= _MIN_CORE and core != self.whole else ""

    def matches(self, words: tuple[str, ...]) -> bool:
        whole = self.whole
        if not whole:
            return False
        joined = "".join(words)
        if joined == whole:
            return True  # same letters, whatever the spacing: "Sky Ways Air lines"
        if len(whole) < _MIN_PART:
            return False
        if joined.startswith(whole) or (self.core and joined.startswith(self.core)):
            return True  # "NordbankSupport", "SkyWays Help"
        if _contains_run(words, whole):
            return True  # "Official Nordbank Team"
        # One typo away, in whole words ("Nordbamk Support", "SkyWay Airlines"): never across a word's
        # end, or "Nora Banks" would read as "Norabank".
        return len(whole) >= _MIN_TYPO and _contains_run(words, whole, typo=True)


def _contains_run(words: tuple[str, ...], target: str, *, typo: bool = False) -> bool:
    """True if some consecutive words, joined, spell `target` (a whole-word part of the name), or with
    `typo`, spell it but for one typo."""
    for start in range(len(words)):
        acc = ""
        for word in words[start:]:
            acc += word
            if acc == target or (typo and one_typo_apart(acc, target)):
                return True
            if len(acc) > len(target) or not (typo or target.startswith(acc)):
                break
    return False


class ImpersonationCheck:
    """Compares display names with the names of verified businesses, by account id.

    `verified` maps the account id of each verified business to the name the directory confirmed.
    """

    def __init__(self, verified: Mapping[str, str]) -> None:
        self._verified = dict(verified)
        self._patterns = [(account_id, name, _Pattern(name)) for account_id, name in self._verified.items()]

    def looks_like(self, account_id: str, display_name: str) -> str | None:
        """The verified name that `display_name` imitates, if it is not that business's own account.

        A verified business is not flagged for resembling another verified business when its own
        confirmed name already does ("Nordbank Insurance" next to "Nordbank"); if it renames itself
        to imitate one, it is.
        """
        forms = [_skeleton_words(display_name)]
        if "\u202e" in display_name:
            # "\u202eknabdroN" is drawn as "Nordbank" by a bidi-aware terminal: check it as drawn too.
            forms.append(_skeleton_words(_OVERRIDE.sub(lambda m: m.group(1)[::-1], display_name)))
        own = self._verified.get(account_id)
        own_words = _skeleton_words(own) if own is not None else None
        for verified_id, verified_name, pattern in self._patterns:
            if verified_id == account_id or not any(pattern.matches(words) for words in forms):
                continue
            if own_words is not None and pattern.matches(own_words):
                continue
            return verified_name
        return None

    def warnings(self, names: Iterable[tuple[str, str]]) -> dict[str, str]:
        """`looks_like` for many (account id, display name) pairs; only the flagged ones."""
        found = {}
        for account_id, name in names:
            if (match := self.looks_like(account_id, name)) is not None:
                found[account_id] = match
        return found
