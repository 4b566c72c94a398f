"""The bots that speak for the accounts of the fake world.

Bots never run tasks of their own: they schedule actions on the peer (`BotHost.after`) and send through it
(`BotHost.post`), which applies the consent rules to businesses. Delays are in virtual seconds.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Protocol

from tui_messenger.transport import wire
from tui_messenger.transport.fake.content import text_spec
from tui_messenger.transport.fake.flows import FlowRunner
from tui_messenger.transport.fake.reactions import DEFAULT_EMOJI
from tui_messenger.transport.fake.repertoire import OPENERS, contains_any, reply_for
from tui_messenger.transport.fake.world import AccountSpec, FlowSpec, MessageSpec, World

IMPERSONATOR_LINES = (
    "Your account will be closed today unless you verify now.",
    "Please confirm your card number and the code we just sent you.",
    "This is urgent. Our security team is waiting for your confirmation.",
)


class BotHost(Protocol):
    """What a bot may do: the peer's side of the bargain."""

    user_id: str
    rng: random.Random

    def after(self, seconds: float, action: Callable[[], object], label: str = "") -> None: ...

    def post(
        self, sender: str, spec: MessageSpec, *, context_id: str | None = None, message_id: str | None = None
    ) -> str | None: ...

    def once(self, *parts: str) -> str | None: ...

    def receipt(self, sender: str, message_id: str, status: str) -> None: ...

    def typing(self, sender: str, on: bool) -> None: ...

    def react(self, sender: str, message_id: str, emoji: str) -> str | None: ...

    def edit_message(self, sender: str, message_id: str, body: str) -> str | None: ...

    def delete_message(self, sender: str, message_id: str) -> str | None: ...

    def note(self, kind: str, actor: str, detail: str) -> None: ...


class Bot:
    def __init__(self, host: BotHost, account: AccountSpec, world: World) -> None:
        self.host = host
        self.account = account
        self.world = world

    @property
    def id(self) -> str:
        return self.account.id

    def start(self) -> None:
        """Called once when the world starts."""

    def on_user_message(self, frame: wire.MessageFrame) -> None:
        """The user sent this account a message (already accepted by the network)."""

    def takes(self, text: str) -> bool:
        """Whether a message with this text would be answered by more than a receipt (`scenario play`
        says a spare reply only to someone who takes it)."""
        return True

    def _receipts(self, message_id: str, delivered: float, read: float) -> None:
        self.host.after(delivered, lambda: self.host.receipt(self.id, message_id, "delivered"), "delivered")
        self.host.after(read, lambda: self.host.receipt(self.id, message_id, "read"), "read")


class SilentBot(Bot):
    """An account nobody answers for: messages to it are sent, never delivered."""


class PersonBot(Bot):
    """Reads, types, answers from a small repertoire; sometimes writes first."""

    def __init__(self, host: BotHost, account: AccountSpec, world: World) -> None:
        super().__init__(host, account, world)
        self._replying = False
        self._next_line = 0

    def start(self) -> None:
        if self.account.writes_first and self.host.rng.random() < self.account.writes_first:
            opener = self.host.rng.choice(OPENERS)
            delay = self.host.rng.uniform(30.0, 600.0)  # drawn either way: the same seed, the same world
            message_id = self.host.once("o", self.id)
            if message_id is not None:  # not already said in an earlier run
                self._say(delay, opener, message_id=message_id)

    def on_user_message(self, frame: wire.MessageFrame) -> None:
        rng = self.host.rng
        self._receipts(frame.id, 0.5, 1.5 + rng.uniform(0.0, 1.0))
        if self.account.reacts and rng.random() < self.account.reacts:  # no draw for those who never do
            emoji = rng.choice(self.account.reaction_emoji or DEFAULT_EMOJI)
            self.host.after(2.0, lambda: self.host.react(self.id, frame.id, emoji), "reaction")
        if self._replying:  # one answer for a burst of messages, like a person would
            return
        self._replying = True
        self._say(3.0 + rng.uniform(0.0, 2.0), self._line_for(frame.body), context_id=None)

    def _line_for(self, text: str) -> str:
        if self.account.replies:
            line = self.account.replies[self._next_line % len(self.account.replies)]
            self._next_line += 1
            return line
        return reply_for(text, self.host.rng)

    def _say(
        self, delay: float, line: str, context_id: str | None = None, message_id: str | None = None
    ) -> None:
        typing_time = min(0.5 + len(line) * 0.05, 4.0)
        self.host.after(max(0.0, delay - typing_time), lambda: self.host.typing(self.id, True), "typing")

        def send() -> None:
            self.host.typing(self.id, False)
            self.host.post(self.id, text_spec(line), context_id=context_id, message_id=message_id)
            self._replying = False

        self.host.after(delay, send, "reply")


class BusinessBot(Bot):
    """Runs the business's flows; answers text no flow takes with its auto-reply."""

    def __init__(self, host: BotHost, account: AccountSpec, world: World) -> None:
        super().__init__(host, account, world)
        self.flows = world.flows_of(account.id)
        self.runner = FlowRunner(host, account.id, self.flows)

    def start(self) -> None:
        for flow in self.flows:
            if flow.trigger == "start":
                message_id = self.host.once("f", flow.id)
                if message_id is not None:  # an earlier run on this database did not already start it
                    self.runner.start(flow, first_id=message_id)

    def on_user_message(self, frame: wire.MessageFrame) -> None:
        self._receipts(frame.id, 0.3, 1.0)
        self.runner.last_user_message = frame.id
        if self.runner.answer(frame):
            return
        if frame.kind == "text":
            flow = self._flow_for(frame.body)
            if flow is not None:
                self.runner.start(flow)
                return
        self._fallback(frame)

    def takes(self, text: str) -> bool:
        """A flow waits for an answer, or this text starts one."""
        return self.runner.waiting is not None or self._flow_for(text) is not None

    def _flow_for(self, text: str) -> FlowSpec | None:
        keyed = [f for f in self.flows if f.trigger == "message" and f.keywords]
        for flow in keyed:
            if contains_any(text, flow.keywords):
                return flow
        catch_all = [f for f in self.flows if f.trigger == "message" and not f.keywords]
        return catch_all[0] if catch_all else None

    def _fallback(self, frame: wire.MessageFrame) -> None:
        if self.account.auto_reply:
            spec = text_spec(self.account.auto_reply)
            self.host.after(2.0, lambda: self.host.post(self.id, spec, context_id=frame.id), "auto-reply")


class MarketerBot(BusinessBot):
    """Pushes its promotions in turn, the first `FIRST_PUSH` seconds after the start (a demo of a spam wave
    shows it at once, not after `every`), the next `every` seconds apart; the network decides which get
    through.

    Pushy, as marketers are: whatever the user writes (a STOP too), it answers with its next promotion
    PUSH_AFTER seconds later, so a tester sees the network refuse it once promotions are stopped (131050)."""

    PUSH_AFTER = 30.0
    FIRST_PUSH = 10.0

    def __init__(self, host: BotHost, account: AccountSpec, world: World) -> None:
        super().__init__(host, account, world)
        self._pushed = 0

    def on_user_message(self, frame: wire.MessageFrame) -> None:
        super().on_user_message(frame)
        if not self.account.promotions:
            return
        promo = self.account.promotions[self._pushed % len(self.account.promotions)]
        self._pushed += 1
        self.host.after(self.PUSH_AFTER, lambda: self.host.post(self.id, promo), "promotion")

    def start(self) -> None:
        super().start()
        for n, promo in enumerate(self.account.promotions, start=1):
            message_id = self.host.once("p", self.id, str(n - 1))
            if message_id is None:  # delivered in an earlier run
                continue
            send = lambda p=promo, mid=message_id: self.host.post(self.id, p, message_id=mid)  # noqa: E731
            self.host.after(self.FIRST_PUSH + (n - 1) * self.account.every, send, "promotion")


class ImpersonatorBot(BusinessBot):
    """Runs its lure flows and answers anything else with pressure, instantly read."""

    def __init__(self, host: BotHost, account: AccountSpec, world: World) -> None:
        super().__init__(host, account, world)
        self._next_line = 0

    def _fallback(self, frame: wire.MessageFrame) -> None:
        lines = self.account.replies or list(IMPERSONATOR_LINES)
        line = lines[self._next_line % len(lines)]
        self._next_line += 1
        self.host.after(
            1.5, lambda: self.host.post(self.id, text_spec(line), context_id=frame.id), "pressure"
        )


_BOTS: dict[str, type[Bot]] = {
    "person": PersonBot,
    "business": BusinessBot,
    "marketer": MarketerBot,
    "impersonator": ImpersonatorBot,
    "silent": SilentBot,
}


def build_bots(host: BotHost, world: World) -> dict[str, Bot]:
    return {a.id: _BOTS[a.bot_kind](host, a, world) for a in world.accounts}
