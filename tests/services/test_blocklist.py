"""The block list is one small object (not a bare set shared by reference): block/unblock change it,
`replace` takes the stored list on start, and readers only ask membership."""

from __future__ import annotations

from tui_messenger.services.blocklist import BlockList


def test_block_list_add_discard_replace() -> None:
    blocked = BlockList(["a"])
    blocked.add("b")
    blocked.discard("a")
    assert "b" in blocked and "a" not in blocked and len(blocked) == 1
    blocked.replace(["c", "d"])
    assert "b" not in blocked and "c" in blocked and len(blocked) == 2


def test_block_list_is_not_a_set() -> None:
    # readers cannot mutate it as a set (no update/clear/pop): only safety changes it
    assert not isinstance(BlockList(), set)
    assert not hasattr(BlockList(), "update")
