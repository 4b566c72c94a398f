"""The receiver's frame converters are given at construction (not patched into it afterwards)."""

from __future__ import annotations

import inspect

from tui_messenger.services.blocklist import BlockList
from tui_messenger.services.consent_actions import refusal_converters
from tui_messenger.services.edits import inbound_converters
from tui_messenger.services.receive import Receiver
from tui_messenger.transport import wire


def test_receiver_takes_its_converters_in_the_constructor() -> None:
    assert "converters" in inspect.signature(Receiver).parameters


def test_feature_converters_are_returned_not_registered() -> None:
    class Clock:
        def now(self) -> object:
            return None

    edits = inbound_converters(user_id="me", clock=Clock(), blocked=BlockList())  # type: ignore[arg-type]
    assert set(edits) == {wire.EditFrame, wire.DeleteFrame}
    assert set(refusal_converters(user_id="me")) == {wire.RefusalFrame}


def test_progress_and_directory_hooks_are_constructor_parameters() -> None:
    from tui_messenger.services.actions import ActionSender
    from tui_messenger.services.outbox import Outbox
    from tui_messenger.services.retry_loop import LoopParts, RetryLoop

    assert "on_directory" in inspect.signature(Receiver).parameters
    assert "on_pass" in inspect.signature(RetryLoop).parameters
    assert "on_pass" in LoopParts.__annotations__
    for loop in (Outbox, ActionSender):  # both take the retry loop's parts, on_pass among them
        assert "LoopParts" in str(inspect.signature(loop).parameters["loop"].annotation)
