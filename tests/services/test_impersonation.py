"""Look-alike names of verified businesses get a warning; ordinary names and the business itself do not."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from confusable_homoglyphs.utils import load

from tui_messenger.services.impersonation import ImpersonationCheck, normalize_name, skeleton

VERIFIED = {"biz:nordbank": "Nordbank", "biz:skyways": "SkyWays Airlines"}
HIDDEN = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u2066", "\u2069"]
BIDI_WRAPS = [("\u202a", "\u202c"), ("\u2066", "\u2069"), ("\u2068", "\u2069"), ("\u202d", "\u202c")]
BADGES = [" ✓", "✔", " ✔\ufe0f", " ☑", " ☑\ufe0f", " ✅", "✅", " 🛡", " 🛡\ufe0f", " 🗸", " ✓✓", " √"]
AFFIXES = [" Support", " Official", " Help Desk", " Customer Care", " Service", " Team", " Verified"]
PREFIXES = ["Official ", "The ", "✅ "]
DIGITS = {"o": "0", "O": "0", "l": "1", "i": "1", "I": "1", "e": "3", "E": "3", "a": "4", "s": "5", "S": "5"}
SYMBOLS = {"a": "@", "s": "$", "S": "$"}


@pytest.fixture(scope="module")
def homoglyphs() -> dict[str, list[str]]:
    """For each letter, the characters confusables.txt lists as looking like it (the library's own data)."""
    data = load("confusables.json")
    table = {}
    for letter in set("NordbankSkyWaysAirlines" + "nordbankskywaysairlines"):
        found = [entry["c"].replace("\u200e", "") for entry in data.get(letter, [])]
        table[letter] = [c for c in found if c and not c.isascii()]
    return table


def _confusable(name: str, rng: random.Random, table: dict[str, list[str]]) -> str:
    chars = list(name)
    spots = [i for i, ch in enumerate(chars) if table.get(ch)]
    for i in rng.sample(spots, k=min(len(spots), rng.randint(1, 3))):
        chars[i] = rng.choice(table[chars[i]])
    return "".join(chars)


def _fullwidth(name: str, rng: random.Random) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" and rng.random() < 0.7 else c for c in name)


def _swap(name: str, rng: random.Random, table: dict[str, str]) -> str:
    spots = [i for i, ch in enumerate(name) if ch in table]
    chars = list(name)
    for i in rng.sample(spots, k=min(len(spots), rng.randint(1, 2))):
        chars[i] = table[chars[i]]
    return "".join(chars)


def _insert_hidden(name: str, rng: random.Random) -> str:
    chars = list(name)
    for _ in range(rng.randint(1, 3)):
        chars.insert(rng.randint(1, len(chars) - 1), rng.choice(HIDDEN))
    return "".join(chars)


def _spaces(name: str, rng: random.Random) -> str:
    i = rng.randint(1, len(name) - 1)
    return (
        rng.choice(["  ", " ", "\u00a0", "\u3000"])
        .join([name[:i], name[i:]])
        .replace(" ", rng.choice([" ", "  "]))
    )


def lookalikes(name: str, count: int, table: dict[str, list[str]], seed: int) -> list[str]:
    rng = random.Random(seed)
    steps = [
        lambda s: _confusable(s, rng, table),
        lambda s: _fullwidth(s, rng),
        lambda s: _swap(s, rng, DIGITS),
        lambda s: _swap(s, rng, SYMBOLS),
        lambda s: s + rng.choice(BADGES),
        lambda s: _insert_hidden(s, rng),
        lambda s: "{}{}{}".format(*(lambda w: (w[0], s, w[1]))(rng.choice(BIDI_WRAPS))),
        lambda s: _spaces(s, rng),
        lambda s: s + rng.choice(AFFIXES),
        lambda s: rng.choice(PREFIXES) + s,
        lambda s: s.upper() if rng.random() < 0.5 else s.lower(),
    ]
    out: set[str] = set()
    while len(out) < count:
        fake = name
        for step in rng.sample(steps, k=rng.randint(1, 4)):
            fake = step(fake)
        if fake != name:
            out.add(fake)
    return sorted(out)


GENUINE = [
    "Anna Becker", "MegaDeals 24", "Nordic Bakery", "Lukas Schmidt", "Sofia Rossi", "Mohammed Al-Farsi",
    "Yuki Tanaka", "李伟", "Ольга Иванова", "SkyLine Taxi", "Northwind Traders", "Bank Street Café",
    "Norbert Banks", "Ways & Means Consulting", "Sky Sports Fan Club", "Nord Fitness", "Bankhaus Meyer",
    "Skyler White", "Wayne's Airport Shuttle", "Dr. Emma Nord", "Café Nordsee", "Sunny Days Travel",
    "Pizza Roma", "Hans-Peter Müller", "Ana García", "Priya Sharma", "Ole Nordmann", "Kiosk 365",
    "Taxi 4 You", "Nordbahn Reisen", "Skyward Games", "Airline Pilots Union", "Bo", "", "Skyway Cafe",
    "Nordbahn", "Nordland Bank", "Nordbau GmbH", "Sky Way Hotel", "Norden Bakery", "Nora Banks",
]  # fmt: skip


@pytest.fixture(scope="module")
def check() -> ImpersonationCheck:
    return ImpersonationCheck(VERIFIED)


def test_lookalikes_get_the_warning(check: ImpersonationCheck, homoglyphs: dict[str, list[str]]) -> None:
    fakes = {
        name: lookalikes(name, 150, homoglyphs, seed=i) for i, name in enumerate(VERIFIED.values(), start=1)
    }
    total = sum(len(names) for names in fakes.values())
    assert total >= 300
    missed = [
        (fake, expected)
        for expected, names in fakes.items()
        for fake in names
        if check.looks_like("someone:else", fake) != expected
    ]
    rate = 1 - len(missed) / total
    assert rate >= 0.95, f"detected {rate:.1%}; missed e.g. {missed[:10]!r}"


@pytest.mark.parametrize(
    ("fake", "expected"),
    [
        ("N0rdbank Support ✓", "Nordbank"),
        ("Ν\u043erdb\u0430nk", "Nordbank"),  # Greek Nu, Cyrillic o and a
        ("ＮＯＲＤＢＡＮＫ", "Nordbank"),
        ("Nord\u200bbank ✅", "Nordbank"),
        ("Nördbank", "Nordbank"),
        ("NordbankSupport", "Nordbank"),
        ("Official Nordbank Team", "Nordbank"),
        ("\u202eknabdroN", "Nordbank"),  # drawn as "Nordbank" by a bidi terminal
        ("5kyW4ys A1rlines", "SkyWays Airlines"),
        ("Sky Ways Air lines", "SkyWays Airlines"),
        ("SkyVVays Airlines 🛡", "SkyWays Airlines"),
        ("SkyWays Support", "SkyWays Airlines"),
        # one typo: a letter swapped, added, dropped, or two neighbours exchanged
        ("Nordbamk", "Nordbank"),
        ("Nordbnak", "Nordbank"),
        ("Norbank", "Nordbank"),
        ("rnordbank", "Nordbank"),
        ("Nordbamk Support", "Nordbank"),
        ("Official Nordbamk Team", "Nordbank"),
        ("SkyWay Airlines", "SkyWays Airlines"),
        ("SkyWayz Airlines", "SkyWays Airlines"),
        ("SkyWays Airlimes Help", "SkyWays Airlines"),
    ],
)
def test_known_tricks(check: ImpersonationCheck, fake: str, expected: str) -> None:
    assert check.looks_like("someone:else", fake) == expected


@pytest.mark.parametrize("name", GENUINE)
def test_ordinary_names_get_no_warning(check: ImpersonationCheck, name: str) -> None:
    assert check.looks_like(f"acct:{name}", name) is None


def test_the_verified_account_itself_gets_no_warning(check: ImpersonationCheck) -> None:
    assert check.looks_like("biz:nordbank", "Nordbank") is None
    assert check.looks_like("biz:skyways", "SkyWays Airlines") is None
    # Its own name with a badge glyph is still its own name.
    assert check.looks_like("biz:nordbank", "Nordbank ✓") is None


def test_verified_businesses_with_related_names() -> None:
    check = ImpersonationCheck({**VERIFIED, "biz:nbi": "Nordbank Insurance"})
    assert check.looks_like("biz:nbi", "Nordbank Insurance") is None  # confirmed by the directory
    assert check.looks_like("biz:skyways", "Nordbank") == "Nordbank"  # a verified business renamed to imitate


def test_normalize_name() -> None:
    assert normalize_name("  ＮＯＲＤ\u200bbank ✅  Support!! ") == "nordbank support"
    assert normalize_name("Nordbank ✔\ufe0f ☑\ufe0f 🛡") == "nordbank"
    assert normalize_name("\u202aSky\u2066Ways\u2069 Airlines\u202c") == "skyways airlines"
    assert normalize_name("Hans-Peter  Müller") == "hans peter müller"


def test_skeleton() -> None:
    assert skeleton("N0rdbank") == skeleton("Nordbank") == skeleton("Ν\u043erdb\u0430nk") == "nordbank"
    assert skeleton("SkyWays Airlines") == skeleton("5kyW4ys A1rl1nes")
    assert skeleton("Anna Becker") != skeleton("Nordbank")


def test_no_data_loaded_at_import() -> None:
    code = (
        "import sys, tui_messenger.services.impersonation as m; "
        "assert 'confusable_homoglyphs.utils' not in sys.modules; "
        "assert m._prototypes.cache_info().currsize == 0"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_checks_are_fast(check: ImpersonationCheck) -> None:
    names = [f"Person {i} Example" for i in range(2000)]
    start = time.perf_counter()
    flagged = check.warnings((f"acct:{i}", name) for i, name in enumerate(names))
    elapsed = time.perf_counter() - start
    assert flagged == {}
    assert elapsed < 1.0  # ~0.1 ms a name, uncached


def test_table_read_without_the_library_loader(tmp_path, monkeypatch) -> None:
    """The data file is the one the library's loader reads ($CONFUSABLE_DATA honoured), found without
    importing the loader (it imports urllib.request: ~40 ms of the app's startup)."""
    from confusable_homoglyphs.utils import path

    from tui_messenger.services.impersonation import _confusables_file

    assert _confusables_file() == Path(path("confusables.json"))
    code = (
        "import sys, tui_messenger.services.impersonation as m; "
        "assert m.skeleton('N0rdbank') == 'nordbank'; "
        "assert 'confusable_homoglyphs.utils' not in sys.modules and 'urllib.request' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    monkeypatch.setenv("CONFUSABLE_DATA", str(tmp_path))
    assert _confusables_file() == tmp_path / "confusables.json"


def test_the_table_is_kept_and_read_back(tmp_path, monkeypatch) -> None:
    """The derived table is kept in the cache folder and read back the same; a damaged or foreign file is
    not trusted (derived again and rewritten); another library file gets another name."""
    from tui_messenger.services import impersonation as im

    original = Path(_library_file()).read_bytes()
    monkeypatch.setenv("CONFUSABLE_DATA", str(tmp_path / "lib"))
    monkeypatch.setenv("TUI_MESSENGER_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "lib").mkdir()
    source = tmp_path / "lib" / "confusables.json"
    source.write_bytes(original)
    derived = im._derive(source)
    im._prototypes.cache_clear()
    try:
        assert im._prototypes() == derived
        (kept,) = (tmp_path / "cache").glob("confusables-*")  # beside it: the key that signs it
        assert im._read_cache(kept) == derived
        im._prototypes.cache_clear()
        assert im._prototypes() == derived  # read back (a signed file)
        kept.write_text('{"a": "b"}', encoding="utf-8")
        im._prototypes.cache_clear()
        assert im._prototypes() == derived  # a table written by someone else is not trusted (issue 12)
        kept.write_text("{not json", encoding="utf-8")
        im._prototypes.cache_clear()
        assert im._prototypes() == derived and im._read_cache(kept) == derived  # derived and rewritten
        for damage in ('{"ab": "c"}', "[1, 2]", "{not json", '{"a": 3}'):
            kept.write_text(damage, encoding="utf-8")
            assert im._read_cache(kept) is None
        source.write_bytes(source.read_bytes() + b" ")
        assert im._cache_file(source) != kept  # another size: another name
    finally:
        im._prototypes.cache_clear()


def _library_file() -> str:
    from confusable_homoglyphs.utils import path

    return path("confusables.json")


def test_the_kept_table_is_written_privately_and_never_through_a_planted_link(tmp_path) -> None:
    """Issue 12: the cache folder is made 0700; the table goes through a fresh temporary file, so a
    symbolic link planted at a predictable name (the old `<name>.<pid>.tmp`) is never followed."""
    import os

    from tui_messenger.services import impersonation as im

    victim = tmp_path / "victim"
    victim.write_text("keep", encoding="utf-8")
    folder = tmp_path / "cache" / "tui-messenger"
    kept = folder / "confusables-1-2-3.json"
    old = os.umask(0o022)
    try:
        im._write_cache(kept, {ord("a"): "b"})
        assert folder.stat().st_mode & 0o777 == folder.parent.stat().st_mode & 0o777 == 0o700
        assert kept.stat().st_mode & 0o777 == 0o600
        kept.unlink()
        (folder / f"{kept.name}.{os.getpid()}.tmp").symlink_to(victim)
        im._write_cache(kept, {ord("c"): "d"})
    finally:
        os.umask(old)
    assert victim.read_text(encoding="utf-8") == "keep"
    assert im._read_cache(kept) == {ord("c"): "d"}
