"""A Matrix account as the messenger keeps it: names and checks, no network. Standard library only.

A database belongs to one account: the demo world, or one Matrix account. The access token and the key
store's pickle key are secrets: never in a repr, a log line, config.toml or the process list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# The spec's user id grammar (localpart of the historical, wider set; server name host[:port]).
_USER_ID = re.compile(r"@(?P<local>[!-9;-~]+):(?P<server>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?")
MAX_USER_ID = 255
KEYS_SUFFIX = ".keys"


class AccountInputError(ValueError):
    """A user id or homeserver URL that cannot be right: one line for the user."""


@dataclass(frozen=True, slots=True)
class MatrixLogin:
    """A signed-in device: what the database keeps to open the account again without the password."""

    homeserver: str
    user_id: str
    device_id: str
    access_token: str = field(repr=False)
    pickle_key: str = field(repr=False)  # encrypts the key store's secrets at rest


def localpart(user_id: str) -> str:
    """`anna` of `@anna:example.org`, once `user_id` passed `check_user_id`."""
    return user_id[1:].split(":", 1)[0]


def check_user_id(text: str) -> str:
    """`text` if it is a Matrix user id (`@name:server`), else AccountInputError."""
    if len(text) > MAX_USER_ID or not _USER_ID.fullmatch(text):
        shown = text[:80].encode("ascii", "backslashreplace").decode("ascii")
        raise AccountInputError(
            f"not a Matrix user id: {shown!r} (expected @name:server, e.g. @anna:matrix.org)"
        )
    return text


def check_homeserver(text: str) -> str:
    """The homeserver's base URL (http or https, a host, no query), without a trailing slash."""
    shown = text[:80].encode("ascii", "backslashreplace").decode("ascii")
    try:
        parts = urlsplit(text.strip())
        port = parts.port  # raises on a port that is not a number or out of range
    except ValueError:
        parts, port = None, None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
        or not text.isascii()
        or any(c.isspace() or not c.isprintable() for c in text.strip())
    ):
        raise AccountInputError(f"not a homeserver URL: {shown!r} (expected e.g. https://matrix.org)")
    del port
    return text.strip().rstrip("/")


def keys_folder(db_path: Path) -> Path:
    """The account's key store: a folder beside its database (`messenger.db` -> `messenger.db.keys`)."""
    return db_path.with_name(db_path.name + KEYS_SUFFIX)
