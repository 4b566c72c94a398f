"""Encrypted messages whose key has not come yet: shown as waiting, opened in place when it comes.

nio hands such an event over as a `MegolmEvent` and never again (MATRIX.md, pitfall 5). Here:
- the event is kept, and a message of kind "locked" (its event id as the message id, no text) tells the
  services it is there: the chat shows "🔒 Waiting for this message's key" in its place;
- its key is asked of the user's other devices once (`request_room_key`: a device of the user's own that
  has it may forward it);
- after each sync (room keys come as to-device events with it) each kept event is tried again; one that
  opens becomes an `UnlockFrame` with the message it holds: the same message takes its content, in place.

What cannot be a message of its own gets no waiting line: an edit or a reaction (their relation travels in
the clear) and the echo of this device's own send; they are still opened and passed on when the key comes.

The kept events (ciphertext, as the server sent them) are saved in the key store's folder (`FILE_NAME`,
0600), so a key that comes after a restart still opens its message: the sync that brought the event is
behind the stored token and never comes again. A waiting line is told again each time its event comes
(the store keeps it once), so a crash between this file and the database loses none.
Imports matrix-nio: import this module lazily.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nio import LocalProtocolError, MegolmEvent

from tui_messenger.domain.private import FILE_MODE
from tui_messenger.transport import wire
from tui_messenger.transport.matrix.account import MatrixError, call
from tui_messenger.transport.matrix.client import MatrixClient
from tui_messenger.transport.matrix.events import Ids, safely, timeline_frame

log = logging.getLogger(__name__)

FILE_NAME = "locked-events.json"
MAX_LOCKED = 5_000  # events kept waiting for a key; past it the oldest is given up (it stays "waiting")
NOT_MESSAGES = frozenset({"m.replace", "m.annotation"})  # relations that change a message, not add one


@dataclass(frozen=True, slots=True)
class _Held:
    room_id: str
    peer: str
    event: MegolmEvent
    shown: bool  # a waiting line stands for it


class LockedEvents:
    """The encrypted events of the personal chats that could not be read yet, oldest first."""

    def __init__(self) -> None:
        self._held: dict[str, _Held] = {}  # event id -> what is needed to open it later
        self._asked: set[str] = set()  # Megolm sessions whose key was asked for
        self._file: Path | None = None  # where they are kept across runs (`load`)
        self._saved = True

    def load(self, folder: Path) -> None:
        """Keep the events in `folder` (the key store's) from now on; take those a last run kept. Those
        held already (a new sign-in: a new key store) are written there at once."""
        self._file = folder / FILE_NAME
        if self._held:
            self._saved = False
            self._save()
        try:
            records = json.loads(self._file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.warning("the locked messages of the last run are lost: %s", exc)
            return
        for record in records if isinstance(records, list) else []:
            try:
                event = MegolmEvent.from_dict(record["source"])
                if not isinstance(event, MegolmEvent):
                    continue
                event.room_id = str(record["room_id"])
                held = _Held(event.room_id, str(record["peer"]), event, bool(record["shown"]))
            except (KeyError, TypeError, ValueError) as exc:
                log.warning("left out a locked message of the last run: %s", exc)
                continue
            self._held.setdefault(str(event.event_id), held)

    def _save(self) -> None:
        if self._file is None or self._saved:
            return
        records = [
            {"source": h.event.source, "room_id": h.room_id, "peer": h.peer, "shown": h.shown}
            for h in self._held.values()
        ]
        part = self._file.with_name(self._file.name + ".part")
        try:
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, FILE_MODE)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(records, out)
            os.replace(part, self._file)
            self._saved = True
        except OSError as exc:  # a full disk: kept in memory, saved with the next change
            log.warning("could not keep the locked messages: %s", exc)

    def __len__(self) -> int:
        return len(self._held)

    def hold(self, event: MegolmEvent, room_id: str, me: str, peer: str, ids: Ids) -> list[wire.Frame]:
        """Keep `event` until its key comes; the waiting message that stands for it, if any. Not the
        user's own message that the services have (`Ids.own_echo`): opened, it would show nothing, and
        one sent by an earlier sign-in's device may never open here (tried after every sync)."""
        event_id, sender = str(event.event_id), str(event.sender)
        when = int(event.server_timestamp or 0)
        if ids.own_echo(room_id, event, me, when):
            return []
        shown = _relation(event.source).get("rel_type") not in NOT_MESSAGES
        if event_id not in self._held:
            self._held[event_id] = _Held(room_id, peer, event, shown)
            self._saved = False
        while len(self._held) > MAX_LOCKED:
            lost = next(iter(self._held))
            log.warning("gave up waiting for the key of %s", lost)
            del self._held[lost]
        if not shown:
            return []
        try:
            return [
                wire.MessageFrame(
                    id=event_id,
                    sender=sender,
                    to=me if sender != me else peer,
                    timestamp=when,
                    kind="locked",
                    text=wire.TextContent(body=""),
                )  # fmt: skip
            ]
        except ValueError as exc:  # ids past the wire's limits: left out, as any such event is
            log.warning("left out a locked Matrix event: %s", exc)
            return []

    def opened(self, client: MatrixClient, ids: Ids) -> list[wire.Frame]:
        """The kept events whose key came since, opened, in the order they came: a message that stood
        waiting becomes an `UnlockFrame`; anything else is passed on as it would have been."""
        frames: list[wire.Frame] = []
        for event_id, held in list(self._held.items()):
            try:
                decrypted = client.nio.decrypt_event(held.event)
            except Exception:  # still no key (nio raises EncryptionError)
                continue
            del self._held[event_id]
            self._saved = False
            for frame in safely(
                timeline_frame, decrypted, held.room_id, client.login.user_id, held.peer, ids
            ):
                if held.shown and isinstance(frame, wire.MessageFrame) and frame.id == event_id:
                    frames.append(wire.UnlockFrame(message=frame))
                else:
                    frames.append(frame)
        self._save()
        return frames

    async def ask_keys(self, client: MatrixClient) -> None:
        """Ask the user's other devices once for each missing key (best effort: a refusal is logged)."""
        for held in list(self._held.values()):
            session = str(held.event.session_id)
            if session in self._asked:
                continue
            self._asked.add(session)
            try:
                await call(client.login.homeserver, client.nio.request_room_key(held.event))
            except LocalProtocolError:
                pass  # nio asked for this session already
            except MatrixError as exc:
                log.warning("could not ask for a missing message key: %s", exc)


def _relation(source: dict[str, Any]) -> dict[str, Any]:
    content = source.get("content")
    relates = content.get("m.relates_to") if isinstance(content, dict) else None
    return relates if isinstance(relates, dict) else {}
