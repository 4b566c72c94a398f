"""The service against the real fake peer (in-process, manual clock): the default world, and faults."""

from __future__ import annotations

from service_helpers import until

from tui_messenger.domain.clock import ManualClock
from tui_messenger.domain.models import MessageStatus
from tui_messenger.services.service import MessengerService
from tui_messenger.transport.fake import FakePeer, FaultPlan


async def _run(db, peer: FakePeer, clock: ManualClock, *, synced: bool = True) -> MessengerService:
    service = MessengerService(db, peer, clock=clock, user_id=peer.user_id)
    await service.start()
    if synced:
        await until(service, lambda: service.settings.sync_token() is not None and service.idle)
    else:
        await until(service, lambda: service.online and service.idle)
    return service


async def test_default_world_syncs_into_chats(db) -> None:
    clock = ManualClock()
    peer = FakePeer.for_scenario("default", clock=clock)
    service = await _run(db, peer, clock)
    chats = {s.peer.id: s for s in await service.chat_list()}
    assert "megadeals" in chats and chats["megadeals"].chat.is_request  # no opt-in: a request
    assert chats["nordbank"].peer.badge and not chats["nordbank"].chat.is_request
    person = next(s for s in chats.values() if not s.peer.is_business)
    sent = await service.send_text(person.chat.id, "hello from the test")
    await until(service, lambda: service.outbox_repo.all() == [] and service.idle)
    assert (await service.message(sent.message_id)).status in (MessageStatus.SENT, MessageStatus.DELIVERED,
                                                               MessageStatus.READ)  # fmt: skip
    await service.stop()


async def test_faults_still_show_every_message_once(db, tmp_path) -> None:
    """Every message of the clean world arrives once, in order, through duplicates, reorders and garbling.
    The clock the faulty peer is stepped on to re-send what was garbled also brings the world's next
    scheduled messages (a marketer's first push comes 10 s in): those may come on top."""
    from tui_messenger.store.database import open_database

    async def messages(service: MessengerService) -> dict[str, list[str]]:
        return {
            s.peer.id: [m.message_id for m in await service.latest_page(s.chat.id, limit=500)]
            for s in await service.chat_list()
        }

    def complete(got: dict[str, list[str]]) -> bool:
        return all(set(ids) <= set(got.get(peer_id, [])) for peer_id, ids in expected.items())

    clock = ManualClock()
    clean_peer = FakePeer.for_scenario("default", clock=ManualClock())
    reference_db = open_database(tmp_path / "ref.db")
    reference = await _run(reference_db, clean_peer, clean_peer.clock)  # type: ignore[arg-type]
    expected = await messages(reference)
    await reference.stop()
    reference_db.close()

    faults = FaultPlan(duplicate=0.3, reorder=0.3, garble=0.1, seed=7)
    peer = FakePeer.for_scenario("default", clock=clock, faults=faults)
    service = await _run(db, peer, clock, synced=False)
    for _ in range(20):  # let the peer re-send what was garbled, until the world is complete
        if complete(await messages(service)):
            break
        peer.step()
        await until(service, lambda: service.idle)
    assert complete(await messages(service))
    for summary in await service.chat_list():
        page = await service.latest_page(summary.chat.id, limit=500)
        ids = [m.message_id for m in page]
        assert len(ids) == len(set(ids))
        assert [(m.position, m.id) for m in page] == sorted((m.position, m.id) for m in page)
    await service.stop()
