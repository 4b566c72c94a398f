"""Run a business's scenario flows: send each step after its delay, wait for the user's answer, branch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui_messenger.transport import wire
from tui_messenger.transport.fake.repertoire import contains_any, normalise
from tui_messenger.transport.fake.world import FlowSpec, StepSpec

if TYPE_CHECKING:
    from tui_messenger.transport.fake.bots import BotHost


@dataclass
class _Waiting:
    flow: FlowSpec
    step: StepSpec
    message_id: str  # the prompt the user answers (an interactive reply's context_id)


class FlowRunner:
    """One business's flows with the one user. A new flow replaces a waiting one, as a real bot would."""

    def __init__(self, host: BotHost, business: str, flows: list[FlowSpec]) -> None:
        self.host = host
        self.business = business
        self.flows = flows
        self.waiting: _Waiting | None = None
        self._generation = 0  # bumps when a flow starts, so steps of a replaced flow stop quietly
        self.last_user_message: str | None = None  # what a `react = {message = "user"}` step reacts to
        self._sent: dict[str, str] = {}  # step id -> the message it sent (for react steps naming a step)

    def start(self, flow: FlowSpec, *, first_id: str | None = None) -> None:
        """Start `flow`; its first message gets `first_id` (a start flow's stable id) if given."""
        self._generation += 1
        self.waiting = None
        self.host.note("flow", self.business, f"flow {flow.id!r} starts")
        self._schedule(flow, flow.first_step, message_id=first_id)

    def _schedule(
        self, flow: FlowSpec, step: StepSpec, context_id: str | None = None, message_id: str | None = None
    ) -> None:
        generation = self._generation
        self.host.after(
            step.delay, lambda: self._send(flow, step, generation, context_id, message_id), f"step {step.id}"
        )

    def _send(
        self,
        flow: FlowSpec,
        step: StepSpec,
        generation: int,
        context_id: str | None,
        message_id: str | None = None,
    ) -> None:
        if generation != self._generation:
            return
        if step.edit is not None or step.delete is not None:
            self._change(step)
            if not step.text and step.react is None and getattr(step, "file", None) is None:
                self._after_send(flow, step)  # only corrects: straight on
                return
        if step.react is not None:
            self._react(step)
            if not step.text and getattr(step, "file", None) is None:  # only reacts: straight on
                self._after_send(flow, step)
                return
        message_id = self.host.post(self.business, step, context_id=context_id, message_id=message_id)
        if message_id is None:  # refused by the consent rules: the flow cannot go on
            self.host.note("flow", self.business, f"flow {flow.id!r} stops at step {step.id!r}: send failed")
            return
        self._sent[step.id] = message_id
        if step.waits:
            self.waiting = _Waiting(flow, step, message_id)
        else:
            self._after_send(flow, step)

    def _after_send(self, flow: FlowSpec, step: StepSpec) -> None:
        if step.next and not step.end:
            self._schedule(flow, flow.step(step.next))  # type: ignore[arg-type]  # checked on load
        else:
            self.host.note("flow", self.business, f"flow {flow.id!r} ends at step {step.id!r}")

    def _react(self, step: StepSpec) -> None:
        react = step.react
        assert react is not None
        target = self.last_user_message if react.message == "user" else self._sent.get(react.message)
        if target is None:
            self.host.note("flow", self.business, f"step {step.id!r}: nothing to react to yet")
        else:
            self.host.react(self.business, target, react.emoji)

    def _change(self, step: StepSpec) -> None:
        """Edit or delete the message an earlier step sent (the network checks the 15-minute window)."""
        ref = step.edit.message if step.edit is not None else step.delete
        target = self._sent.get(ref or "")
        if target is None:
            self.host.note("flow", self.business, f"step {step.id!r}: step {ref!r} sent nothing to change")
        elif step.edit is not None:
            self.host.edit_message(self.business, target, step.edit.text)
        else:
            self.host.delete_message(self.business, target)

    def answer(self, frame: wire.MessageFrame) -> bool:
        """Branch on the user's message if a flow waits for it; False when no flow takes it."""
        waiting, reply = self.waiting, frame.interactive_reply
        if waiting is None and reply is not None:
            waiting = self._prompt_of_an_earlier_run(reply)
        if waiting is None:
            return False
        if reply is not None and reply.context_id != waiting.message_id:
            return False  # a tap on an older prompt: the current step does not take it
        target = self._branch(waiting.step, frame)
        if target is None:
            return False
        self.waiting = None
        self._generation += 1
        self._schedule(waiting.flow, waiting.flow.step(target), context_id=frame.id)  # type: ignore[arg-type]
        return True

    def _prompt_of_an_earlier_run(self, reply: wire.InteractiveReply) -> _Waiting | None:
        """A choice tapped on a prompt sent before the app restarted (the fake network keeps no flow's
        place across runs): the step that offers it waits for it again, so its flow goes on."""
        for flow in self.flows:
            for step in flow.steps:
                if step.waits and reply.id in step.choices():
                    self.host.note("flow", self.business, f"flow {flow.id!r} resumes at step {step.id!r}")
                    return _Waiting(flow, step, reply.context_id)
        return None

    @staticmethod
    def _branch(step: StepSpec, frame: wire.MessageFrame) -> str | None:
        choices = step.choices()
        reply = frame.interactive_reply
        said = normalise(frame.body).strip()
        for branch in step.branches:
            if branch.choice is not None:
                wanted = {branch.choice, choices.get(branch.choice, branch.choice)}
                wanted_norm = {normalise(w).strip() for w in wanted}
                if reply is not None and (
                    reply.id in wanted or normalise(reply.title).strip() in wanted_norm
                ):
                    return branch.goto
                if reply is None and said in wanted_norm:  # the user typed the button's title
                    return branch.goto
            elif branch.text and reply is None and contains_any(frame.body, branch.text):
                return branch.goto
        return step.otherwise
