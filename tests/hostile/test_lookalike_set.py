"""Look-alikes of the demo world's verified names, built independently (tests/hostile/lookalike_set.py):
at least 95 % warned (all of them today), none badged, and no warning on 200+ unrelated names.

Before the fold step (domain/lookalike.py) 42 of the 270 were missed: Greek κ and Cyrillic к (TR39 maps
them to ĸ), small capitals, letters with hooks and descenders, Cyrillic в and г, and U+034F between letters.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from lookalike_set import VERIFIED, lookalikes, unrelated

from tui_messenger.domain.lookalike import fold_lookalikes
from tui_messenger.services.impersonation import ImpersonationCheck

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from service_helpers import business, directory, person, settle, text  # noqa: E402

MADE = lookalikes()
FAKES = list(dict.fromkeys(name for names in MADE.values() for name in names))
GENUINE = unrelated()


def test_the_set_is_large_and_varied() -> None:
    assert len(FAKES) >= 150
    assert len(MADE) >= 10 and all(len(names) >= 2 for names in MADE.values())
    assert len(GENUINE) >= 200
    assert {"Zoë", "Müller", "Nordea", "SkyWest Airlines", "Дмитрий", "Σοφία"} <= set(GENUINE)


@pytest.mark.parametrize("kind", sorted(MADE))
def test_each_technique_is_warned(kind: str) -> None:
    check = ImpersonationCheck(VERIFIED)
    missed = [name for name in MADE[kind] if check.looks_like("someone", name) is None]
    assert missed == [], f"{kind}: {len(missed)}/{len(MADE[kind])} not warned: {missed[:10]!r}"


def test_the_cases_the_independent_check_found() -> None:
    check = ImpersonationCheck(VERIFIED)
    assert check.looks_like("x", "Nordban\u03ba") == "Nordbank"
    assert check.looks_like("x", "S\u03bayWays Airlines") == "SkyWays Airlines"


def test_unrelated_names_are_not_warned() -> None:
    check = ImpersonationCheck(VERIFIED)
    warned = {name: found for name in GENUINE if (found := check.looks_like("someone", name))}
    assert warned == {}


def test_the_fold_maps_look_alike_letters_and_keeps_other_scripts() -> None:
    assert fold_lookalikes("Nordbanκ") == "nordbank"
    assert fold_lookalikes("ɴᴏʀᴅʙᴀɴᴋ") == "nordbank"
    assert fold_lookalikes("𝐒𝐤𝐲𝐖𝐚𝐲𝐬") == "skyways"
    assert fold_lookalikes("Nor\u200bd\u034fbanқ") == "nordbank"
    assert fold_lookalikes("Zoë Müller") == "zoe muller"
    assert fold_lookalikes("王伟 жук") == "王伟 жyk"  # no look-alike for 王, 伟, ж: kept


async def test_through_the_service_no_badge_on_any_and_the_warnings_as_promised(messenger, transport) -> None:
    entries = [business(i, n) for i, n in VERIFIED.items()]
    entries += [business(f"fake{i}", n, verified=False) for i, n in enumerate(FAKES)]
    entries += [person(f"real{i}", n) for i, n in enumerate(GENUINE)]
    frames: list[Any] = [directory(*entries)]
    frames += [text(f"m-{e.id}", e.id, "Hello, please verify your card") for e in entries]
    transport.push(*frames)
    await settle(messenger, transport)
    await messenger.refresh_verified()
    rows = {row.peer.id: row for row in await messenger.chat_list()}
    assert rows["nordbank"].peer.badge and rows["skyways"].peer.badge
    assert rows["nordbank"].looks_like is None and rows["skyways"].looks_like is None
    assert [FAKES[i] for i in range(len(FAKES)) if rows[f"fake{i}"].peer.badge] == []
    missed = [FAKES[i] for i in range(len(FAKES)) if rows[f"fake{i}"].looks_like is None]
    assert len(missed) <= 0.05 * len(FAKES), f"{len(missed)}/{len(FAKES)} not warned: {missed[:20]!r}"
    assert missed == []  # the aim, reached: every one
    false = {
        GENUINE[i]: rows[f"real{i}"].looks_like for i in range(len(GENUINE)) if rows[f"real{i}"].looks_like
    }
    assert false == {}
    assert not any(rows[f"real{i}"].peer.badge for i in range(len(GENUINE)))
