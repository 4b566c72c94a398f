"""Why a message of the user's shows "✗ Not sent": a few words for the code the network refused it with.

Matrix gives the HTTP status of the server's refusal (transport/matrix/transport.py), the fake network a
code of its own (transport/wire.py); a message that ran out of attempts has none. The network's own words
(a server's error text) are in the log: they are data from elsewhere, not for the bubble.
"""

from __future__ import annotations

_REASONS = {  # short: the bubble's last line holds the time, this and "Enter to retry"
    400: "refused",
    403: "not allowed here",
    404: "no such chat",
    413: "too large",
    131026: "no such recipient",
}


def not_sent_reason(code: int | None) -> str:
    """What follows "Not sent": ": too large", ": refused (418)"; "" without a code."""
    if code is None:
        return ""
    return ": " + _REASONS.get(code, f"refused ({code})")
