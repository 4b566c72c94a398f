"""Dialogs the main screen pushes: one modal per module, each returning a small result dataclass
(or None when cancelled with Escape)."""

from tui_messenger.tui.modals.block import BlockModal, BlockResult
from tui_messenger.tui.modals.blocked_list import BlockedListModal
from tui_messenger.tui.modals.confirm import ConfirmModal
from tui_messenger.tui.modals.profile import ProfileAction, ProfileModal
from tui_messenger.tui.modals.report import ReportModal, ReportResult
from tui_messenger.tui.modals.search import SearchModal, SearchResult

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
