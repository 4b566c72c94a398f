"""The accounts the user has blocked, as one small object shared by the parts that filter with it
(receiving, reactions, edits, sending), instead of a bare set passed around by reference. Only the
safety feature changes it (block, unblock, load from the store)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


class BlockList:
    def __init__(self, ids: Iterable[str] = ()) -> None:
        self._ids: set[str] = set(ids)

    def __contains__(self, account_id: object) -> bool:
        return account_id in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._ids))

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, account_id: str) -> None:
        self._ids.add(account_id)

    def discard(self, account_id: str) -> None:
        self._ids.discard(account_id)

    def replace(self, ids: Iterable[str]) -> None:
        """Take the stored list as it is now (on start)."""
        self._ids = set(ids)
