"""Issue 12: an empty or tampered look-alike cache file must not switch the warnings off.

The confusables table derived from the library's data is kept in the cache folder, signed (HMAC-SHA256)
with a per-install secret kept beside it 0600; anything unsigned, signed with another key or for another
source file, or a key that is not private, is not trusted: the table is derived again and the warning shown.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui_messenger.services import impersonation as im

# Armenian օ (U+0585) for o and ո (U+0578) for n: only the confusables table (not the fold step) knows
# they look like o and n; two of them, as one letter apart is warned without the table (a typo).
ONLY_TR39 = "N\u0585rdba\u0578k"


def _clear() -> None:
    if hasattr(im._prototypes, "cache_clear"):  # not while a test has replaced it
        im._prototypes.cache_clear()
    im._skeleton_words.cache_clear()
    im._generic_skeletons.cache_clear()


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from confusable_homoglyphs.utils import path

    library = Path(path("confusables.json"))
    monkeypatch.setenv("CONFUSABLE_DATA", str(tmp_path / "lib"))
    monkeypatch.setenv("TUI_MESSENGER_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "lib").mkdir()
    file = tmp_path / "lib" / "confusables.json"
    file.write_bytes(library.read_bytes())
    _clear()
    yield file
    _clear()


def _warned() -> str | None:
    _clear()
    return im.ImpersonationCheck({"nordbank": "Nordbank"}).looks_like("fake", ONLY_TR39)


def _kept(source: Path) -> Path:
    path = im._cache_file(source)
    assert path is not None
    return path


def test_the_probe_name_needs_the_table(source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the table the probe is warned; with an empty one (what an empty cache file used to give) it
    is not: so the tests below would see a cache that switches the warning off."""
    assert _warned() == "Nordbank"
    monkeypatch.setattr(im, "_prototypes", lambda: {})
    assert _warned() is None


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\xff garbage \x1b[31m", b"{}", b'{"a": "b"}', b"0" * 64 + b"\n{}"],
    ids=["empty", "garbage", "empty-table", "foreign-table", "forged-signature"],
)
def test_a_tampered_cache_still_warns_and_is_replaced(source: Path, content: bytes) -> None:
    assert _warned() == "Nordbank"  # derives and keeps the table
    kept = _kept(source)
    assert kept.exists()
    kept.write_bytes(content)
    assert _warned() == "Nordbank"
    assert im._read_cache(kept) == im._derive(source)  # derived again and rewritten, signed


def test_a_cache_signed_for_another_source_is_not_trusted(source: Path, tmp_path: Path) -> None:
    """A valid signed table made from other data (here: a library file without the Armenian letters),
    copied over the name of ours, is refused: the signature covers the name, which names the source."""
    other = tmp_path / "other" / "confusables.json"
    other.parent.mkdir()
    data = json.loads(source.read_text(encoding="utf-8"))
    other.write_text(json.dumps({k: v for k, v in data.items() if "\u0585" not in k + json.dumps(v)}))
    os.environ["CONFUSABLE_DATA"] = str(other.parent)
    _clear()
    im._prototypes()
    built_elsewhere = _kept(other)
    assert im._read_cache(built_elsewhere) is not None
    os.environ["CONFUSABLE_DATA"] = str(source.parent)
    _kept(source).write_bytes(built_elsewhere.read_bytes())
    assert _warned() == "Nordbank"


def test_a_key_others_can_read_or_a_linked_key_is_not_used(source: Path, tmp_path: Path) -> None:
    assert _warned() == "Nordbank"
    folder = _kept(source).parent
    key = folder / im._KEY_NAME
    assert key.stat().st_mode & 0o777 == 0o600
    assert im._read_key(folder) is not None
    key.chmod(0o644)
    assert im._read_key(folder) is None
    key.chmod(0o600)
    planted = tmp_path / "planted.key"
    planted.write_bytes(b"k" * im._KEY_BYTES)
    planted.chmod(0o600)
    key.unlink()
    key.symlink_to(planted)
    assert im._read_key(folder) is None  # never followed through a link
    assert _warned() == "Nordbank"
    assert planted.read_bytes() == b"k" * im._KEY_BYTES  # the link's target untouched
    assert not key.is_symlink() and im._read_key(folder) is not None  # a new key of ours


def test_tables_of_earlier_versions_go_once_a_month_old(source: Path) -> None:
    """Each upgrade (another library file, another derivation) names a new table: the old ones do not
    pile up in the cache folder, but one still recent may be another install's and stays."""
    folder = _kept(source).parent
    folder.mkdir(parents=True)
    stale, recent, other = (folder / f"confusables-{n}.json" for n in ("1-2-old", "3-4-new", "x"))
    for file in (stale, recent):
        file.write_bytes(b"0" * 64 + b"\n{}")
    other.with_suffix(".txt").write_text("not ours")
    month_ago = os.stat(stale).st_mtime - im.STALE_AFTER_S - 60
    os.utime(stale, (month_ago, month_ago))
    assert _warned() == "Nordbank"  # the table is derived and kept
    assert _kept(source).exists() and recent.exists() and other.with_suffix(".txt").exists()
    assert not stale.exists()
