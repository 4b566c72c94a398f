"""What the services refuse, as exceptions the screen can show in one line."""

from __future__ import annotations


class MessengerError(Exception):
    """A request the messenger cannot do; the message is fit to show."""


class NotFoundError(MessengerError, LookupError):
    pass


class BlockedError(MessengerError):
    """The account is blocked: nothing is sent to it until it is unblocked."""


class InvalidMessageError(MessengerError, ValueError):
    """Empty, too large, or a choice the message does not offer."""
