"""The network's directory, built from the scenario's accounts: the only source of badges and scam flags."""

from __future__ import annotations

from tui_messenger.transport import wire
from tui_messenger.transport.fake.world import AccountSpec, World


def directory_entry(account: AccountSpec, opted_in_at: int) -> wire.DirectoryEntry:
    profile = None
    if account.profile is not None:
        profile = wire.Profile(**account.profile.model_dump())
    opt_in = wire.OptIn(source=account.opt_in, timestamp=opted_in_at) if account.opt_in else None
    return wire.DirectoryEntry(
        id=account.id,
        display_name=account.display_name,
        kind=account.kind,
        verified=account.verified,
        scam=account.scam,
        profile=profile,
        contact=account.contact,
        opt_in=opt_in,
    )


def directory_frame(world: World, version: int, opted_in_at: int) -> wire.DirectoryFrame:
    """Every account, with the user's own account data (contact, opt-in) attached as Matrix would."""
    return wire.DirectoryFrame(
        accounts=[directory_entry(a, opted_in_at) for a in world.accounts], version=version
    )
