"""Signing a Matrix account in and out, on matrix-nio (imported with this module: import it lazily).

A sign-in makes a device with end-to-end encryption: nio's key store (`store_path`, a 0700 folder beside
the database, its files 0600) and a random pickle key that encrypts the secrets in it. Without a store nio
has no `olm` and would send plaintext into encrypted rooms, so a sign-in without one is refused (and its
session ended on the server). The device's keys are uploaded at once, so others can encrypt to it.

Every failure is a `MatrixError` with one line for the user: the server refused (wrong password, name
taken), cannot be reached (down, unknown host, not a Matrix server), or the token was revoked. nio retries
a connection error forever by default: here a request fails at the first one (`max_timeouts=0`).
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
from collections.abc import Awaitable
from pathlib import Path
from typing import TypeVar

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    DiscoveryInfoResponse,
    ErrorResponse,
    KeysUploadResponse,
    LoginResponse,
    LogoutResponse,
    RegisterResponse,
    Response,
    WhoamiResponse,
)

from tui_messenger.domain.matrix_account import AccountInputError, MatrixLogin, check_homeserver, localpart
from tui_messenger.domain.private import FILE_MODE, FOLDER_MODE, make_private_folder, tighten
from tui_messenger.domain.safe_text import clean_name
from tui_messenger.transport.matrix.offloop import KeyStore, OffLoopClient

REQUEST_TIMEOUT = 30.0  # seconds for one request (sign-in, sign-out); a long-poll sync sets its own
UNKNOWN_TOKEN = "M_UNKNOWN_TOKEN"
_TRY_AGAIN = frozenset({401, 408, 429})  # a token to renew, a timeout, a rate limit: not a refusal for good
_LOGGERS = ("nio", "peewee", "aiohttp")
R = TypeVar("R")


class MatrixError(Exception):
    """A Matrix request that failed: one line for the user. `revoked`: the server no longer knows the
    token (signed out elsewhere, or revoked); `unreachable`: no answer from a Matrix server."""

    def __init__(
        self, message: str, *, revoked: bool = False, unreachable: bool = False, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.revoked = revoked
        self.unreachable = unreachable
        self.status = status  # the HTTP status of the server's refusal, when it refused

    @property
    def refused(self) -> bool:
        """The server said no for good (a 4xx other than a lost token, a timeout or too many requests):
        asking the same again cannot help."""
        return self.status is not None and 400 <= self.status < 500 and self.status not in _TRY_AGAIN


def route_logs(path: Path) -> None:
    """nio's (and its store's and HTTP library's) log records go to `path` (0600, folder 0700), at WARNING,
    never to the terminal: without a handler, Python prints warnings on stderr, over the screen."""
    make_private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, FILE_MODE)
    os.close(fd)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if isinstance(h, logging.FileHandler)]:
            logger.removeHandler(old)
            old.close()
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
        logger.propagate = False


def client_for(
    homeserver: str,
    user_id: str,
    *,
    keys: Path | None,
    pickle_key: str = "",
    device_id: str | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> AsyncClient:
    """A nio client; with `keys` (an existing folder) end-to-end encryption and its store there."""
    config = AsyncClientConfig(
        encryption_enabled=keys is not None,
        store_sync_tokens=False,  # the database keeps the sync token, with its batch (client.py)
        pickle_key=pickle_key or "DEFAULT_KEY",
        max_timeouts=0,
        max_limit_exceeded=3,
        request_timeout=timeout,
        store=KeyStore,
    )
    return OffLoopClient(  # syncs parsed off the event loop
        homeserver, user_id, device_id=device_id, store_path=str(keys) if keys else "", config=config
    )


def _reason(exc: BaseException) -> str:
    cause = getattr(exc, "os_error", None) or exc
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    text = getattr(cause, "strerror", None) or str(cause) or type(cause).__name__
    return clean_name(text, 120)


async def call(homeserver: str, request: Awaitable[R]) -> R:
    """Await a nio request; a connection problem becomes MatrixError(unreachable)."""
    try:
        return await request
    except TimeoutError as exc:  # asyncio.TimeoutError is TimeoutError since 3.11
        raise MatrixError(f"{homeserver} did not answer in time", unreachable=True) from exc
    except aiohttp.ClientConnectorError as exc:
        raise MatrixError(f"cannot reach {homeserver}: {_reason(exc)}", unreachable=True) from exc
    except (aiohttp.ClientError, ValueError) as exc:  # a bad URL, a broken answer
        raise MatrixError(f"cannot talk to {homeserver}: {_reason(exc)}", unreachable=True) from exc


def refusal(what: str, homeserver: str, resp: Response) -> MatrixError:
    """The one line for an answer that is not the success wanted."""
    if not isinstance(resp, ErrorResponse):
        return MatrixError(f"{what}: unexpected answer from {homeserver}", unreachable=True)
    status = getattr(resp.transport_response, "status", None)
    if resp.status_code is None:  # no Matrix error body: not a Matrix server, or not its client API
        return MatrixError(
            f"{what}: {homeserver} did not answer as a Matrix homeserver (HTTP {status})", unreachable=True
        )
    message = clean_name(resp.message or "refused", 160)
    return MatrixError(
        f"{what}: {message} ({clean_name(resp.status_code, 40)})",
        revoked=resp.status_code == UNKNOWN_TOKEN,
        status=status if isinstance(status, int) else None,
    )


async def discover(client: AsyncClient, homeserver: str) -> str:
    """The client API's base URL: the one `homeserver/.well-known/matrix/client` names, if it names one
    (people give their server's name, https://example.org, whose API may live at matrix.example.org),
    else `homeserver` itself. The client is pointed there."""
    resp = await call(homeserver, client.discovery_info())
    if isinstance(resp, DiscoveryInfoResponse):
        try:
            client.homeserver = check_homeserver(resp.homeserver_url)
        except AccountInputError as exc:
            raise MatrixError(f"{homeserver} names a homeserver that is not an http(s) URL") from exc
    return str(client.homeserver)


def _private_files(folder: Path) -> None:
    for path in folder.rglob("*"):
        tighten(path, mode=FOLDER_MODE if path.is_dir() else FILE_MODE, what="file")


async def sign_in(
    homeserver: str,
    user_id: str,
    password: str,
    *,
    keys: Path,
    register: bool = False,
    device_name: str = "tui-messenger",
) -> MatrixLogin:
    """Sign in (or register and sign in) a new device with its key store in `keys`: the login to keep.

    On any failure nothing is left behind: no session on the server, no key store this call made."""
    if keys.is_symlink() or (keys.exists() and not keys.is_dir()):
        raise MatrixError(f"{keys} should be the key store's folder, and is not a plain folder")
    made = not keys.exists()
    make_private_folder(keys)
    tighten(keys, mode=FOLDER_MODE, what="folder")
    pickle_key = secrets.token_urlsafe(32)
    client = client_for(homeserver, user_id, keys=keys, pickle_key=pickle_key)
    signed_in = False
    try:
        homeserver = await discover(client, homeserver)
        if register:
            resp: Response = await call(
                homeserver, client.register(localpart(user_id), password, device_name)
            )
        else:
            resp = await call(homeserver, client.login(password, device_name=device_name))
        if not isinstance(resp, LoginResponse | RegisterResponse):
            raise refusal("registration failed" if register else "sign-in failed", homeserver, resp)
        signed_in = True
        if client.olm is None:  # no key store: encrypted rooms would get plaintext
            raise MatrixError("end-to-end encryption is not available: no key store was loaded")
        if client.should_upload_keys:
            uploaded = await call(homeserver, client.keys_upload())
            if not isinstance(uploaded, KeysUploadResponse):
                raise refusal("uploading the device keys failed", homeserver, uploaded)
        _private_files(keys)
        return MatrixLogin(homeserver, resp.user_id, resp.device_id, resp.access_token, pickle_key)
    except BaseException:
        if signed_in:
            try:
                await call(homeserver, client.logout())
            except MatrixError:
                pass  # the sign-in failed already: that is the line to show
        if made:
            shutil.rmtree(keys, ignore_errors=True)
        raise
    finally:
        await client.close()


async def sign_out(login: MatrixLogin) -> None:
    """End the device's session on the server (its token is revoked, the device deleted). A token the
    server no longer knows is signed out already; anything else is MatrixError."""
    client = client_for(login.homeserver, login.user_id, keys=None, device_id=login.device_id)
    client.restore_login(login.user_id, login.device_id, login.access_token)
    try:
        resp = await call(login.homeserver, client.logout())
    finally:
        await client.close()
    if isinstance(resp, LogoutResponse):
        return
    error = refusal("sign-out failed", login.homeserver, resp)
    if not error.revoked:
        raise error


async def whoami(login: MatrixLogin) -> str:
    """The user id the server has for the token; MatrixError (revoked) when it no longer knows it."""
    client = client_for(login.homeserver, login.user_id, keys=None, device_id=login.device_id)
    client.restore_login(login.user_id, login.device_id, login.access_token)
    try:
        resp = await call(login.homeserver, client.whoami())
    finally:
        await client.close()
    if not isinstance(resp, WhoamiResponse):
        raise refusal("the session is not valid", login.homeserver, resp)
    return str(resp.user_id)


def remove_keys(keys: Path) -> None:
    """Delete the account's key store (its device's secrets)."""
    if keys.is_dir() and not keys.is_symlink():
        shutil.rmtree(keys)
    elif keys.exists() or keys.is_symlink():
        keys.unlink()
