"""Emoji shortcodes (`:thumbsup:` -> 👍), replaced when a message is sent. The table lives in the domain
(`domain.reactions`), shared with the reaction picker."""

from __future__ import annotations

from tui_messenger.domain.reactions import SHORTCODES, replace_shortcodes

__all__ = ["SHORTCODES", "replace_shortcodes"]
