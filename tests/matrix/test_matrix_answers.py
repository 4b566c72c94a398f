"""What the server answers to the user's sends, against a real Synapse: a reaction, an edit or a deletion
leaves the action outbox once the server has it (it was sent again with backoff forever, and after the
server's transaction memory ran out each resend would have been a new event); a reaction changed back
to an earlier emoji reaches the other side; a send the server refuses for good shows failed (a message)
or is let go (an action), and what comes after it is not held up behind it."""

from __future__ import annotations

from nio import RoomCreateResponse, RoomSendResponse
from seeding import register
from test_matrix_transport import People, until
from test_matrix_transport import people as people  # the fixture, shared

from tui_messenger.domain.models import ChatMessage, MessageStatus, ReactionCount
from tui_messenger.services.service import MessengerService


async def _sent(service: MessengerService, message_id: str) -> bool:
    message = await service.message(message_id)
    return message is not None and message.status is not MessageStatus.PENDING


async def _newest(service: MessengerService, account_id: str) -> ChatMessage | None:
    """The newest message of `service`'s chat with `account_id` (the other side knows it by its event)."""
    summary = await service.chat_for_account(account_id)
    page = [] if summary is None else await service.latest_page(summary.chat.id)
    return page[-1] if page else None


async def _hello(people: People, unique_user: str) -> tuple[MessengerService, MessengerService, int, str]:
    """Anna and Ben, and Anna's "hello" to Ben, sent and at Ben's: (anna, ben, Anna's chat, its id)."""
    anna = await people.start(await people.sign_up(unique_user + "a"))
    ben = await people.start(await people.sign_up(unique_user + "b"))
    chat = await anna.open_chat(f"@{unique_user}b:localhost")
    hello = await anna.send_text(chat.chat.id, "hello")
    await until(lambda: _sent(anna, hello.message_id))
    await until(lambda: _newest(ben, f"@{unique_user}a:localhost"))
    return anna, ben, chat.chat.id, hello.message_id


async def test_actions_leave_the_outbox_and_an_earlier_emoji_comes_back(
    people: People, unique_user: str
) -> None:
    anna_id = f"@{unique_user}a:localhost"
    anna, ben, _, hello_id = await _hello(people, unique_user)
    for emoji in ("👍", "❤️", "👍"):  # one reaction each: the earlier one is taken back on the server
        await anna.react(hello_id, emoji)

        async def seen(emoji: str = emoji) -> bool:
            newest = await _newest(ben, anna_id)
            return newest is not None and newest.reactions == (ReactionCount(emoji, 1, mine=False),)

        await until(seen)
    await anna.edit_message(hello_id, "hello there")

    async def edited() -> bool:
        newest = await _newest(ben, anna_id)
        return newest is not None and newest.body == "hello there"

    await until(edited)

    async def let_go() -> bool:
        return not anna.action_repo.all()

    await until(let_go)  # nothing left to send again


async def test_a_refused_send_fails_alone(people: People, unique_user: str) -> None:
    """Ben's room lets only him write (power levels): Anna's message there shows failed (not sent, with
    its retry) and her reaction there is let go, and her message and reaction in another chat still go."""
    anna_id = f"@{unique_user}a:localhost"
    anna = await people.start(await people.sign_up(unique_user + "a"))
    ben = await register(people.server.url, unique_user + "b")
    try:
        only_ben = {"events_default": 50, "users_default": 0}  # Ben, who made it, has 100
        room = await ben.room_create(is_direct=True, invite=[anna_id], power_level_override=only_ben)
        assert isinstance(room, RoomCreateResponse), room
        hi = await ben.room_send(room.room_id, "m.room.message", {"msgtype": "m.text", "body": "hi Anna"})
        assert isinstance(hi, RoomSendResponse), hi
        chat = await until(lambda: anna.chat_for_account(ben.user_id))
        await anna.accept_request(chat.chat.id)
        await until(lambda: anna.message(hi.event_id))
        refused = await anna.send_text(chat.chat.id, "may I?")
        await anna.react(hi.event_id, "👍")
        carl = await people.start(await people.sign_up(unique_user + "c"))
        other = await anna.open_chat(f"@{unique_user}c:localhost")
        fine = await anna.send_text(other.chat.id, "hello Carl")

        async def failed() -> bool:
            message = await anna.message(refused.message_id)
            return message is not None and message.status is MessageStatus.FAILED

        await until(failed)
        assert (await anna.message(refused.message_id)).error_code == 403  # type: ignore[union-attr]
        await until(lambda: _newest(carl, anna_id))
        await anna.react(fine.message_id, "🎉")

        async def celebrated() -> bool:
            newest = await _newest(carl, anna_id)
            return newest is not None and newest.reactions == (ReactionCount("🎉", 1, mine=False),)

        await until(celebrated)

        async def let_go() -> bool:
            return not anna.action_repo.all()

        await until(let_go)
    finally:
        await ben.close()


async def test_typing_reaches_the_other_side_and_stops(people: People, unique_user: str) -> None:
    """Anna's typing shows at Ben's (through the server's m.typing), and so does her stopping."""
    from tui_messenger.domain.events import TypingChanged

    anna, ben, chat_id, _ = await _hello(people, unique_user)
    ben_chat = await until(lambda: ben.chat_for_account(f"@{unique_user}a:localhost"))
    await ben.accept_request(ben_chat.chat.id)
    seen: list[bool] = []
    ben.subscribe(lambda e: seen.append(e.typing) if isinstance(e, TypingChanged) else None)

    async def told(*states: bool) -> bool:
        return seen[-len(states) :] == list(states)

    await anna.set_typing(chat_id, True)
    await until(lambda: told(True))
    await anna.set_typing(chat_id, False)
    await until(lambda: told(True, False))
