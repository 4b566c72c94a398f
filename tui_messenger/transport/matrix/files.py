"""Files over Matrix: `m.file` and `m.image` messages, their media uploaded, fetched only when saved.

- Sending: the document frame's bytes are uploaded to the homeserver's media repository: encrypted
  (AES-CTR; the keys go only inside the end-to-end encrypted event) unless the room is known to be plain;
  then the message names the media: `file` (url, key, iv, hashes, v) or `url`, with `body` the
  file's safe name (a caption, when there is one, is the `body` and the name is `filename`, as the Matrix
  spec has it since v1.10) and `info` {size, mimetype}. An encrypted upload names neither the file nor
  its type to the server.
- Receiving: a file message becomes a document frame that names the media (`source`) instead of carrying
  its bytes, with the sender's name, type and size; nothing is downloaded. A message whose media address,
  keys or size are not what the spec says is left out (logged): there would be nothing to fetch.
- Saving (`fetch`): the media is read from the server, at most `max_bytes` (the answer is streamed and cut
  off, never read whole), then decrypted after its ciphertext's sha256 is checked.
Imports matrix-nio: import this module lazily.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import logging
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import aiohttp
from nio import EncryptionError, RoomEncryptedMedia, RoomMessageMedia, UploadResponse
from nio.crypto.attachments import decrypt_attachment

from tui_messenger.domain.files import human_size, safe_file_name
from tui_messenger.transport import wire
from tui_messenger.transport.base import FileUnavailable, TransportClosed
from tui_messenger.transport.matrix.account import MatrixError, call, refusal
from tui_messenger.transport.matrix.client import MatrixClient

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from tui_messenger.transport.matrix.events import Ids

MEDIA_TYPES = (RoomMessageMedia, RoomEncryptedMedia)  # m.file, m.image (also m.audio, m.video)
DOWNLOAD_PATH = "/_matrix/client/v1/media/download/{server}/{media}"  # authenticated media (spec v1.11)
DOWNLOAD_TIMEOUT = 60.0  # seconds for one file of at most the cap
CHUNK = 64 * 1024
MAX_NAME_CHARS = 255  # the wire's limit on a file name
# mxc://<server name>/<media id>: a host name or IP literal with an optional port, then the spec's media id.
_MXC = re.compile(
    r"mxc://((?:[A-Za-z0-9.-]{1,255}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?)/([A-Za-z0-9_-]{1,255})"
)
_B64 = re.compile(r"[A-Za-z0-9+/_-]{16,64}={0,2}")  # a key, an iv or a sha256, unpadded base64(url)
_MIME = re.compile(r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}")


# --- sending --------------------------------------------------------------------------------------------
async def message_content(client: MatrixClient, room_id: str, frame: wire.MessageFrame) -> dict[str, Any]:
    """A message frame's content: its text, or its file uploaded and named (`document_content`)."""
    if frame.document is None:
        return {"msgtype": "m.text", "body": frame.body}
    return await document_content(client, room_id, frame.document)


async def document_content(client: MatrixClient, room_id: str, doc: wire.Document) -> dict[str, Any]:
    """Upload the document's bytes (encrypted for an encrypted room) and return the message content that
    names them. An encrypted room never gets the plaintext: without encryption this refuses."""
    if doc.data is None:
        raise MatrixError("a file to send must carry its bytes")
    data = base64.b64decode(doc.data, validate=True)
    # Plain only in a room known to be plain: a room whose state has not come yet gets the encrypted upload.
    encrypt = room_id not in client.nio.rooms or client.room_is_encrypted(room_id)
    if encrypt and not client.encrypted:
        raise MatrixError("refusing to send a file into an encrypted room without encryption")
    name = safe_file_name(doc.file_name)
    mime = doc.mime_type if _MIME.fullmatch(doc.mime_type) else "application/octet-stream"
    upload = client.nio.upload(
        io.BytesIO(data),
        content_type="application/octet-stream" if encrypt else mime,
        filename=None if encrypt else name,  # an encrypted file's name travels only inside the event
        encrypt=encrypt,
        filesize=len(data),
    )
    resp, keys = await call(client.login.homeserver, upload)
    if not isinstance(resp, UploadResponse):
        raise refusal("uploading the file failed", client.login.homeserver, resp)
    content: dict[str, Any] = {
        "msgtype": "m.image" if mime.startswith("image/") else "m.file",
        "body": name,
        "info": {"size": len(data), "mimetype": mime},
    }
    if doc.caption.strip():
        content["body"], content["filename"] = doc.caption, name
    if encrypt:
        if not keys:
            raise MatrixError("the file was not encrypted: not sent")
        content["file"] = {"url": resp.content_uri, **keys}
    else:
        content["url"] = resp.content_uri
    return content


# --- receiving ------------------------------------------------------------------------------------------
def file_frame(event: Any, room_id: str, me: str, peer: str, when: int, ids: Ids) -> wire.MessageFrame | None:
    """A file message of a personal chat as a document frame; None for one this database sent (the
    services have it, with its bytes). One that names nothing to fetch (no valid address, keys or
    size) shows its body as text, as a message of a kind not known here does, so it is not lost unseen."""
    sender, event_id = str(event.sender), str(event.event_id)
    if ids.own_echo(room_id, event, me, when):
        return None
    content = event.source.get("content", {})
    relates = content.get("m.relates_to") if isinstance(content, dict) else None
    if isinstance(relates, dict) and relates.get("rel_type") == "m.replace":
        return None  # an edit of a file's message (a new caption): not a second file
    reply = relates.get("m.in_reply_to") if isinstance(relates, dict) else None
    quoted = reply.get("event_id") if isinstance(reply, dict) else None
    context = wire.Context(message_id=ids.local(quoted)) if isinstance(quoted, str) else None
    to = me if sender != me else peer
    doc = document(event)
    if doc is None:
        body = content.get("body") if isinstance(content, dict) else None
        if not isinstance(body, str) or not body.strip():
            return None
        text = wire.TextContent(body=f"📄 {body}\n(a file that cannot be downloaded)")
        return wire.MessageFrame(
            id=event_id, sender=sender, to=to, timestamp=when, kind="text", text=text, context=context
        )
    return wire.MessageFrame(
        id=event_id, sender=sender, to=to, timestamp=when, kind="document", document=doc, context=context
    )


def document(event: Any) -> wire.Document | None:
    """The document a file message names (not its bytes); None (logged) for one that names nothing a
    client could fetch, or claims a size that is not a size."""
    content = event.source.get("content")
    if not isinstance(content, dict):
        return None
    info = content.get("info")
    info = info if isinstance(info, dict) else {}
    size = info.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= wire.MAX_CLAIMED_SIZE:
        log.warning("a file message without a valid size (%r): its body shown as text", type(size).__name__)
        return None
    source = _source(content)
    if source is None:
        log.warning("a file message without a valid media address or keys: its body shown as text")
        return None
    raw_body, filename = content.get("body"), content.get("filename")
    body = raw_body if isinstance(raw_body, str) else ""
    name, caption = (filename, body) if isinstance(filename, str) and filename.strip() else (body, "")
    if caption == name:
        caption = ""
    mime = info.get("mimetype")
    return wire.Document(
        file_name=_short(name.strip() or "file"),
        mime_type=mime if isinstance(mime, str) and _MIME.fullmatch(mime) else "application/octet-stream",
        size=size,
        source=json.dumps(source, separators=(",", ":")),
        caption=caption,
    )


def _source(content: dict[str, Any]) -> dict[str, str] | None:
    """What `fetch` needs: the media address and, for an encrypted file, its key, iv and sha256."""
    file = content.get("file")
    if file is None:
        url = content.get("url")
        return {"url": url} if isinstance(url, str) and _MXC.fullmatch(url) else None
    if not isinstance(file, dict):
        return None
    url, key, iv, hashes = file.get("url"), file.get("key"), file.get("iv"), file.get("hashes")
    k = key.get("k") if isinstance(key, dict) else None
    sha256 = hashes.get("sha256") if isinstance(hashes, dict) else None
    if not (isinstance(url, str) and _MXC.fullmatch(url)):
        return None
    if not all(isinstance(v, str) and _B64.fullmatch(v) for v in (k, iv, sha256)):
        return None
    return {"url": url, "k": str(k), "iv": str(iv), "sha256": str(sha256)}


def _short(name: str) -> str:
    """A name the wire takes (at most 255 characters), cut in the middle so its ending stays."""
    if len(name) <= MAX_NAME_CHARS:
        return name
    tail = name[-32:]
    return name[: MAX_NAME_CHARS - len(tail) - 1] + "…" + tail


# --- saving ---------------------------------------------------------------------------------------------
async def fetch(client: MatrixClient | None, source: str, *, max_bytes: int) -> bytes:
    """The file `source` names, downloaded (at most `max_bytes`) and, if encrypted, checked and decrypted.
    Raises FileUnavailable with a line fit to show, TransportClosed without a client."""
    if client is None:
        raise TransportClosed("not connected")
    ref = _parsed(source)
    match = _MXC.fullmatch(ref["url"])
    if match is None:
        raise FileUnavailable("its address is not a Matrix media address")
    server = client.login.homeserver
    path = DOWNLOAD_PATH.format(server=quote(match[1], safe=""), media=quote(match[2], safe=""))
    headers = {"Authorization": f"Bearer {client.login.access_token}"}
    try:
        response = await call(server, client.nio.send("GET", path, headers=headers, timeout=DOWNLOAD_TIMEOUT))
    except MatrixError as exc:
        raise FileUnavailable(str(exc)) from exc
    try:
        if response.status == 404:
            raise FileUnavailable("the server no longer has it")
        if response.status >= 400:
            raise FileUnavailable(f"the server refused it (HTTP {response.status})")
        data = await _read_capped(response, max_bytes)
    finally:
        response.release()
    if "k" not in ref:
        return data
    try:
        plain = await asyncio.to_thread(decrypt_attachment, data, ref["k"], ref["sha256"], ref["iv"])
        return bytes(plain)
    except (EncryptionError, ValueError, TypeError) as exc:
        log.warning("a file did not decrypt: %s", exc)
        raise FileUnavailable("its contents do not match its checksum") from None


def _parsed(source: str) -> dict[str, str]:
    try:
        ref = json.loads(source)
    except ValueError:
        ref = None
    if not isinstance(ref, dict) or not all(isinstance(v, str) for v in ref.values()) or "url" not in ref:
        raise FileUnavailable("its reference is damaged")
    return ref


async def _read_capped(response: Any, max_bytes: int) -> bytes:
    """The answer's body, or FileUnavailable as soon as it is longer than `max_bytes`."""
    too_large = FileUnavailable(f"it is larger than the {human_size(max_bytes)} limit")
    if (response.content_length or 0) > max_bytes:
        raise too_large
    chunks, total = [], 0
    try:
        async for chunk in response.content.iter_chunked(CHUNK):
            total += len(chunk)
            if total > max_bytes:
                raise too_large
            chunks.append(chunk)
    except (OSError, TimeoutError, aiohttp.ClientError) as exc:
        raise FileUnavailable("the download broke off") from exc
    return b"".join(chunks)
