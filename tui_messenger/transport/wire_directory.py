"""The directory part of the wire format: the network's own record of accounts, the only source of badges.

Re-exported by `transport/wire.py`, where every frame is encoded and decoded.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.functional_validators import BeforeValidator

MAX_PROFILE_FIELD = 2000  # characters per business profile field (and website); longer is cut


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _cut(value: object) -> object:
    return value[:MAX_PROFILE_FIELD] if isinstance(value, str) else value


ProfileText = Annotated[str, BeforeValidator(_cut)]


class Profile(_Model):
    """A business's profile. Each field is cut at MAX_PROFILE_FIELD characters, not refused: one oversized
    profile must not cost the whole directory frame (every badge in it). `scenario check` reports it."""

    about: ProfileText = ""
    description: ProfileText = ""
    category: ProfileText = ""
    address: ProfileText = ""
    email: ProfileText = ""
    websites: list[ProfileText] = Field(default=[], max_length=2)
    hours: ProfileText = ""


class OptIn(_Model):
    """The user's recorded opt-in to a business: how and when."""

    source: Literal["user_message", "website", "app", "demo"]
    timestamp: int


class DirectoryEntry(_Model):
    id: str = Field(min_length=1, max_length=200)
    display_name: str = Field(max_length=256)
    kind: Literal["person", "business"]
    verified: bool = False
    scam: bool = False
    profile: Profile | None = None
    # The user's own account data, synced like Matrix account data: address book and consent records.
    contact: bool = False
    opt_in: OptIn | None = None
    # The network's word that the user's chat with this account is end-to-end encrypted (a Matrix room
    # with m.room.encryption); the header's lock comes from here only.
    encrypted: bool = False


class DirectoryFrame(_Model):
    """The network's own record of accounts: the only source of badges and scam flags."""

    type: Literal["directory"] = "directory"
    accounts: list[DirectoryEntry]
    # Which revision of the directory this is; the client acks it as `directory:<version>`.
    version: int | None = None
