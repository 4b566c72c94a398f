"""The first sync of a run, asked for before matrix-nio is imported: the server works on it meanwhile.

After the first frame the service is built in a thread, and its imports (SQLAlchemy, pydantic, nio) take
~1-2 s here; a login's first sync of 50 rooms takes the server ~0.3-1 s. Sent by this module (standard
library only, in a thread of its own) as soon as the build starts, the answer is usually there when nio
is: the client then builds its first batch from these bytes (client.py) instead of asking again. The
request is exactly the client's own (same filter, full state, no wait); the answer is used only for the
same position (`since`) and only if the server said 200: anything else, and the client asks as usual.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request
from typing import Any

# A login's first sync: the newest events of each chat (matrix-js-sdk's default is 8). Synapse's answer
# grows with the events it carries: 50 rooms took ~0.3-0.5 s at 10 events each, ~0.6 s at 15, ~0.65 s at
# 20 and ~1.1 s at 30 here, and nio's parsing of it 116 ms at 10, 165 at 15. A chat opened reads back a
# page from the server at once either way (its first page is short), so more only delays the list.
FIRST_TIMELINE_LIMIT = 10
TIMELINE_LIMIT = 30  # a later sync's events per room (the server's default is 10); more: read back
FIRST_SYNC_FILTER: dict[str, Any] = {"room": {"timeline": {"limit": FIRST_TIMELINE_LIMIT}}}
SYNC_FILTER: dict[str, Any] = {"room": {"timeline": {"limit": TIMELINE_LIMIT}}}
TIMEOUT = 60.0  # seconds: a full-state sync of a big account is slow, and nothing waits on it but the list


def sync_filter(since: str | None) -> dict[str, Any]:
    return FIRST_SYNC_FILTER if since is None else SYNC_FILTER


class EarlySync:
    def __init__(self, homeserver: str, access_token: str, since: str | None) -> None:
        self.since = since
        self._body: bytes | None = None
        query = {"filter": json.dumps(sync_filter(since), separators=(",", ":")), "full_state": "true"}
        query |= {"timeout": "0"} | ({"since": since} if since is not None else {})
        url = f"{homeserver.rstrip('/')}/_matrix/client/v3/sync?{urllib.parse.urlencode(query)}"
        self._request = urllib.request.Request(url, headers={"Authorization": f"Bearer {access_token}"})
        self._thread = threading.Thread(target=self._fetch, name="matrix-early-sync", daemon=True)
        self._thread.start()

    def _fetch(self) -> None:
        try:
            with urllib.request.urlopen(self._request, timeout=TIMEOUT) as reply:  # noqa: S310 - https/http
                if reply.status == 200:
                    self._body = reply.read()
        except Exception:  # noqa: BLE001 - the client asks again, and tells whatever is wrong
            self._body = None

    def take(self, since: str | None, *, wait: float) -> bytes | None:
        """The answer (blocking up to `wait` seconds until it came) if it is for `since`; else None. Once."""
        if since != self.since:
            return None
        self._thread.join(wait)
        body, self._body = self._body, None
        self.since = "\0taken"  # never for another call
        return body
