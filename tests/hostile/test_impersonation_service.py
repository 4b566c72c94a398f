"""Impersonation through the whole service: the directory (the network's record) is the only source of
badges; look-alikes of verified businesses get "looks like"; names and message text cannot buy a badge.

Frames go through MessengerService on the scripted transport (tests/conftest.py), so the wire parser,
the store's account records and the chat-list decoration all take part.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

from confusable_homoglyphs.utils import load

from tui_messenger.transport import wire

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from service_helpers import business, directory, person, settle, text  # noqa: E402

VERIFIED = {"nordbank": "Nordbank", "skyways": "SkyWays Airlines"}
MARKS = ["✓", "✔", "☑", "✅", "🛡", "✔\ufe0f", "🛡\ufe0f", "✓✓"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
BIDI = ["\u202e", "\u202d", "\u202a", "\u2066", "\u2067", "\u2068", "\u200e", "\u200f", "\u2069", "\u202c"]
DIGITS = {"o": "0", "O": "0", "l": "1", "i": "1", "I": "1", "e": "3", "a": "4", "s": "5", "S": "5", "B": "8"}
GENUINE = [
    "Anna Becker", "Bob Smith", "Nordsee Fisch", "Norbert Bank", "Sky Sports", "Skyline Bakery",
    "Airlines Fan Club", "Nord Apotheke", "Bankhaus Meyer", "SkyWatch", "Wayfair Deals", "Nora Banks",
    "Northwind Traders", "Sparkasse", "Ryan Air Fans", "Mum", "Dad ✓ fan", "Chess Club", "Ola",
    "Dr. Müller", "Café Nord", "Studio Sky", "Lena", "Bäckerei Schmidt", "MegaDeals 24", "Pizza Roma",
    "Yoga Loft", "Kim", "Fahrschule Nord", "Tennis Club Blau-Weiß",
]  # fmt: skip


def _homoglyphs() -> dict[str, list[str]]:
    data = load("confusables.json")
    table: dict[str, list[str]] = {}
    for letter in set("".join(VERIFIED.values())):
        found = [entry["c"] for entry in data.get(letter, [])]
        table[letter] = [c for c in found if len(c) == 1 and not c.isascii()]
    return table


def lookalikes(count_per_kind: int = 15, seed: int = 6) -> list[str]:
    rng = random.Random(seed)
    glyphs = _homoglyphs()

    def confusable(name: str) -> str:
        chars = list(name)
        spots = [i for i, c in enumerate(chars) if glyphs.get(c)]
        for i in rng.sample(spots, k=min(len(spots), rng.randint(1, 3))):
            chars[i] = rng.choice(glyphs[chars[i]])
        return "".join(chars)

    def fullwidth(name: str) -> str:
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in name)

    def digits(name: str) -> str:
        spots = [i for i, c in enumerate(name) if c in DIGITS]
        chars = list(name)
        for i in rng.sample(spots, k=min(len(spots), rng.randint(1, 2))):
            chars[i] = DIGITS[chars[i]]
        return "".join(chars)

    def insert(name: str, pool: list[str]) -> str:
        chars = list(name)
        for _ in range(rng.randint(1, 3)):
            chars.insert(rng.randint(1, len(chars) - 1), rng.choice(pool))
        return "".join(chars)

    def mark(name: str) -> str:
        glyph = rng.choice(MARKS)
        return rng.choice([f"{name} {glyph}", f"{glyph} {name}", name + glyph])

    def spaces(name: str) -> str:
        return "  " + name.replace(" ", "   ") + " \t"

    def support(name: str) -> str:
        return name + rng.choice([" Support", " support", " Official", " Help"])

    kinds = [
        confusable, fullwidth, digits, mark, spaces, support,
        lambda n: insert(n, INVISIBLE), lambda n: insert(n, BIDI),
        lambda n: mark(confusable(n)), lambda n: support(digits(n)) + " ✓",
        lambda n: insert(fullwidth(n), INVISIBLE + BIDI), lambda n: n.upper(),
        lambda n: n.lower() + " ✅", lambda n: "\u202e" + n + "\u202c",
    ]  # fmt: skip
    names: set[str] = set()
    for make in kinds:
        for genuine in VERIFIED.values():
            for _ in range(count_per_kind):
                fake = make(genuine)
                if fake != genuine:
                    names.add(fake[:256])
    return sorted(names)


async def _push(messenger: Any, transport: Any, *frames: Any) -> None:
    transport.push(*frames)
    await settle(messenger, transport)
    await messenger.refresh_verified()


async def _rows(messenger: Any) -> dict[str, Any]:
    rows = await messenger.chat_list()
    return {row.peer.id: row for row in rows}


async def test_lookalikes_get_no_badge_and_a_warning_genuine_names_none(messenger, transport) -> None:
    fakes = lookalikes()
    assert len(fakes) >= 200
    entries = [business(i, n) for i, n in VERIFIED.items()]
    entries += [business(f"fake{i}", n, verified=False) for i, n in enumerate(fakes)]
    entries += [person(f"real{i}", n) for i, n in enumerate(GENUINE)]
    frames: list[Any] = [directory(*entries)]
    frames += [text(f"m-{e.id}", e.id, "Hello, please verify your card") for e in entries]
    await _push(messenger, transport, *frames)
    rows = await _rows(messenger)
    assert rows["nordbank"].peer.badge and rows["skyways"].peer.badge
    assert rows["nordbank"].looks_like is None and rows["skyways"].looks_like is None

    badged = [fakes[i] for i in range(len(fakes)) if rows[f"fake{i}"].peer.badge]
    assert badged == []
    missed = [fakes[i] for i in range(len(fakes)) if rows[f"fake{i}"].looks_like is None]
    assert len(missed) <= 0.05 * len(fakes), f"{len(missed)}/{len(fakes)} without a warning: {missed[:20]!r}"
    warned = {n: rows[f"real{i}"].looks_like for i, n in enumerate(GENUINE) if rows[f"real{i}"].looks_like}
    assert warned == {}
    assert not any(rows[f"real{i}"].peer.badge for i in range(len(GENUINE)))


async def test_a_person_named_like_the_bank_gets_no_badge(messenger, transport) -> None:
    """A person account named exactly like the bank: the name is not the directory's word."""
    entries = [business("nordbank", "Nordbank"), person("nb", "Nordbank"), person("nb2", "Nordbank ✓")]
    await _push(messenger, transport, directory(*entries), text("a", "nb", "hi"), text("b", "nb2", "hi"))
    rows = await _rows(messenger)
    assert not rows["nb"].peer.badge and rows["nb"].looks_like == "Nordbank"
    assert not rows["nb2"].peer.badge and rows["nb2"].looks_like == "Nordbank"


async def test_a_message_claiming_verified_changes_no_account(messenger, transport) -> None:
    entries = [business("nordbank", "Nordbank"), business("fake", "N0rdbank Support", verified=False)]
    await _push(messenger, transport, directory(*entries), text("m0", "fake", "hello"))
    before = {i: await messenger.account(i) for i in ("nordbank", "fake")}
    claims = [
        "verified ✓", "✅ This account is verified by WhatsApp", '{"verified": true, "badge": true}',
        "[badge] Official Nordbank", "type: directory accounts: [{id: fake, verified: true}]",
        '{"type":"directory","accounts":[{"id":"fake","display_name":"Nordbank","kind":"business","verified":true}]}',
    ]  # fmt: skip
    frames = [text(f"c{i}", "fake", body) for i, body in enumerate(claims)]
    # a frame that names the real bank inside its payload is still from the account it came from
    frames.append(
        wire.MessageFrame(
            id="tmpl",
            sender="fake",
            to="me",
            timestamp=frames[0].timestamp,
            kind="template",
            template=wire.Template(name="verified_notice", category="utility", body="Nordbank ✓ verified"),
        )  # type: ignore[call-arg]  # fmt: skip
    )
    await _push(messenger, transport, *frames)
    after = {i: await messenger.account(i) for i in ("nordbank", "fake")}
    assert after == before
    rows = await _rows(messenger)
    assert not rows["fake"].peer.badge and rows["fake"].looks_like == "Nordbank"
    page = await messenger.latest_page(rows["fake"].chat.id, limit=50)
    assert {m.sender_id for m in page if m.sender_id != "me"} <= {"fake"}


async def test_a_verified_business_renaming_itself_loses_the_badge(messenger, transport) -> None:
    first = directory(business("skyways", "SkyWays Airlines"))
    await _push(messenger, transport, first, text("a", "skyways", "hi"))
    assert (await _rows(messenger))["skyways"].peer.badge
    await _push(messenger, transport, directory(business("skyways", "SkyWays Airlines ✓ Refunds")))
    row = (await _rows(messenger))["skyways"]
    assert not row.peer.badge
    await _push(messenger, transport, directory(business("skyways", "Nordbank")))
    assert not (await _rows(messenger))["skyways"].peer.badge
