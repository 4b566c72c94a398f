"""Whether a chat is end-to-end encrypted is the network's word (a directory entry's `encrypted`), stored
with the account and read back with every chat summary: the header's lock comes from here, never from
the UI's guess."""

from __future__ import annotations

from service_helpers import T0, directory, person, settle, text

from tui_messenger.transport import wire


def _encrypted(account_id: str, on: bool = True) -> wire.DirectoryEntry:
    return wire.DirectoryEntry(id=account_id, display_name=account_id.title(), kind="person", encrypted=on)


async def test_the_network_says_which_chats_are_encrypted_and_it_is_kept(messenger, transport) -> None:
    transport.push(directory(_encrypted("anna"), person("bob")))
    transport.push(text("a1", "anna", "hi", at=T0))
    transport.push(text("b1", "bob", "hey", at=T0 + 1))
    await settle(messenger, transport)
    anna, bob = await messenger.open_chat("anna"), await messenger.open_chat("bob")
    assert anna.peer.encrypted and not bob.peer.encrypted
    listed = {s.peer.id: s.peer.encrypted for s in await messenger.chat_list()}
    assert listed == {"anna": True, "bob": False}
    assert (await messenger.account("anna")).encrypted  # type: ignore[union-attr]

    transport.push(directory(_encrypted("anna", on=False)))  # the network says otherwise now
    await settle(messenger, transport)
    assert not (await messenger.summary(anna.chat.id)).peer.encrypted
