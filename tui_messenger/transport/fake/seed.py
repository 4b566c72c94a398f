"""The world as it stands when the fake network starts: the businesses' consent state (registered, opted
in, users already reached today) and the history before now, put in the timeline as stored frames."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from tui_messenger.domain.clock import from_ms, to_ms
from tui_messenger.transport import wire
from tui_messenger.transport.fake.consent import ConsentLedger
from tui_messenger.transport.fake.content import build_message
from tui_messenger.transport.fake.world import World


def seed_consent(consent: ConsentLedger, world: World, user_id: str, started_at: datetime) -> None:
    for account in world.accounts:
        if account.kind != "business":
            continue
        consent.register(account.id, tier_limit=account.tier_limit)
        if account.opt_in or account.claims_opt_in:
            consent.opt_in(account.id, user_id)
        for n in range(account.reached_today):
            consent.mark_reached(account.id, f"~stand-in-{n}", started_at)


def seed_history(
    world: World,
    *,
    user_id: str,
    started_at: datetime,
    consent: ConsentLedger,
    store: Callable[[wire.Frame], object],
) -> int:
    """Store the world's history, oldest first, with strictly increasing times before `started_at`; the
    user's own messages open their business's window and are read. Returns the last timestamp used."""
    start_ms = to_ms(started_at)
    ordered = sorted(enumerate(world.history), key=lambda pair: (-pair[1].ago, pair[0]))
    last = 0
    for n, item in ordered:
        ts = max(start_ms - int(item.ago * 1000), last + 1)
        last = ts
        mine = item.sender == user_id
        to = item.chat if mine else user_id
        message_id = f"h.{world.scenario.name}.{n}"  # stable across runs: re-synced history dedupes
        store(build_message(item, message_id=message_id, sender=item.sender, to=to, timestamp=ts))
        if mine:
            if consent.is_business(item.chat):
                consent.user_messaged(item.chat, user_id, from_ms(ts))
            store(
                wire.StatusFrame(message_id=message_id, status="read", sender=item.chat, to=to, timestamp=ts)
            )
    return last


def once_id(world: World, *parts: str) -> str:
    """The stable id of a message the world sends once when it starts (a scheduled message, the opening
    of a `trigger = "start"` flow, a marketer's promotion, a person's first words): the same in every run,
    so a restarted network knows what it delivered before (`FakePeer(delivered=...)`) and the client
    dedupes one that was in flight."""
    message_id = ".".join(("w", world.scenario.name, *parts))
    if len(message_id) > 200:  # the wire's limit on ids
        message_id = "w." + hashlib.sha256(message_id.encode()).hexdigest()[:40]
    return message_id


def once_ids(world: World) -> list[str]:
    """Every id `once_id` may give for this world: what to look up in the client's store on a restart."""
    ids = [once_id(world, "s", str(n)) for n in range(len(world.scheduled))]
    ids += [once_id(world, "f", flow.id) for flow in world.flows if flow.trigger == "start"]
    for account in world.accounts:
        ids += [once_id(world, "p", account.id, str(n)) for n in range(len(account.promotions))]
        if account.writes_first:
            ids.append(once_id(world, "o", account.id))
    return ids
