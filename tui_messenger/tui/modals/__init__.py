"""Dialogs the main screen pushes: one modal per module, each returning a small result dataclass
(or None when cancelled with Escape).

The names load on first use (PEP 562): the first frame imports only the modules it needs, and importing
one dialog module (`modals.help`) does not import all the others.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_WHERE = {
    "BlockModal": "block",
    "BlockResult": "block",
    "BlockedListModal": "blocked_list",
    "ConfirmModal": "confirm",
    "ProfileAction": "profile",
    "ProfileModal": "profile",
    "ReportModal": "report",
    "ReportResult": "report",
    "SearchModal": "search",
    "SearchResult": "search",
}

__all__ = [
    "BlockModal",
    "BlockResult",
    "BlockedListModal",
    "ConfirmModal",
    "ProfileAction",
    "ProfileModal",
    "ReportModal",
    "ReportResult",
    "SearchModal",
    "SearchResult",
]

if TYPE_CHECKING:
    from tui_messenger.tui.modals.block import BlockModal, BlockResult
    from tui_messenger.tui.modals.blocked_list import BlockedListModal
    from tui_messenger.tui.modals.confirm import ConfirmModal
    from tui_messenger.tui.modals.profile import ProfileAction, ProfileModal
    from tui_messenger.tui.modals.report import ReportModal, ReportResult
    from tui_messenger.tui.modals.search import SearchModal, SearchResult


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
