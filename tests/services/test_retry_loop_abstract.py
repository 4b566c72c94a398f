"""The retry loop is abstract: a loop that does not say how an attempt is recorded cannot be built
(before, it was built and failed only at its first send with NotImplementedError)."""

from __future__ import annotations

import inspect

import pytest

from tui_messenger.services import retry_loop
from tui_messenger.services.retry_loop import RetryLoop


def test_a_retry_loop_without_a_recorder_cannot_be_built() -> None:
    with pytest.raises(TypeError, match="_record"):
        RetryLoop(repo=None, transport=None, clock=None, policy=None, online=lambda: True)  # type: ignore[abstract, arg-type]


def test_no_not_implemented_stub_left_in_the_retry_loop() -> None:
    assert "NotImplementedError" not in inspect.getsource(retry_loop)
