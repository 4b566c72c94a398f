"""One oversized business profile must not empty the directory (issue 12, item 8): each profile field is
cut at wire.MAX_PROFILE_FIELD, so the directory frame stays under the cap and the real bank keeps its
badge."""

from __future__ import annotations

from service_helpers import until

from tui_messenger.domain.clock import ManualClock
from tui_messenger.services.service import MessengerService
from tui_messenger.transport import wire
from tui_messenger.transport.fake import FakePeer
from tui_messenger.transport.fake.loader import load_world
from tui_messenger.transport.fake.world import AccountSpec, ProfileSpec


def _world_with_a_huge_profile():
    world = load_world("default")
    huge = ProfileSpec(about="x" * (2 * wire.MAX_FRAME_BYTES), websites=["https://a.example/" + "y" * 10**6])
    fake = AccountSpec(id="fakebank", display_name="Fake Bank", kind="business", profile=huge)
    return world.model_copy(update={"accounts": [*world.accounts, fake]})


def test_a_huge_profile_field_is_cut_not_the_frame() -> None:
    profile = wire.Profile(about="x" * 10**6, hours="9-5")
    assert len(profile.about) == wire.MAX_PROFILE_FIELD and profile.hours == "9-5"


async def test_one_huge_profile_leaves_every_badge(db) -> None:
    clock = ManualClock()
    peer = FakePeer(_world_with_a_huge_profile(), clock=clock)
    service = MessengerService(db, peer, clock=clock, user_id=peer.user_id)
    await service.start()
    await until(service, lambda: service.settings.sync_token() is not None and service.idle)
    assert peer.stats.dropped == 0 and service.receiver.stats.oversize == 0
    chats = {s.peer.id: s for s in await service.chat_list()}
    assert chats["nordbank"].peer.badge
    fake = service.accounts.get(account_id="fakebank")
    assert fake is not None and fake.profile is not None
    assert len(fake.profile.about) == wire.MAX_PROFILE_FIELD
    await service.stop()
