"""The scenario model: a world of accounts, history, flows, scheduled messages and faults.

A `World` is what a scenario TOML file validates into. It is configuration only; the fake peer keeps the
running state (windows, consent, flow positions). Field names are the TOML keys, so a pydantic error
location is also a path in the file (see `toml_lines`). Every string here is untrusted data: it is sent as
message content and never interpreted.
"""

# No `from __future__ import annotations`: MessageSpec has a field called `list` (the TOML key), and
# eagerly evaluated annotations keep pydantic from resolving `list[...]` to that field later.
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from tui_messenger.transport.fake.faults import FaultPlan

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


MAX_DURATION = 3660 * 86400.0  # ten years: a clock holds any time that far ahead


def parse_duration(value: object) -> float:
    """Seconds from a number or a string such as "90s", "5m", "2h", "1d"."""
    if isinstance(value, bool):
        raise ValueError('a duration is a number of seconds or a string like "5m"')
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    else:
        raise ValueError(f'not a duration: {value!r} (use seconds or a string like "90s", "5m", "2h")')
    if seconds < 0:
        raise ValueError("a duration cannot be negative")
    if not seconds <= MAX_DURATION:  # also NaN and infinity
        raise ValueError(f"a duration is at most {MAX_DURATION // 86400:.0f}d")
    return seconds


Duration = Annotated[float, BeforeValidator(parse_duration)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ButtonSpec(_Spec):
    title: str
    id: str = ""  # defaults to the title, so testers may write just titles

    @property
    def key(self) -> str:
        return self.id or self.title


class RowSpec(_Spec):
    title: str
    id: str = ""
    description: str = ""

    @property
    def key(self) -> str:
        return self.id or self.title


class SectionSpec(_Spec):
    title: str = ""
    rows: list[RowSpec]


class ListSpec(_Spec):
    """An interactive list: `rows` for one untitled section, or `sections`."""

    button: str = "Choose"
    rows: list[RowSpec] = []
    sections: list[SectionSpec] = []

    def all_sections(self) -> list[SectionSpec]:
        return list(self.sections) + ([SectionSpec(rows=self.rows)] if self.rows else [])


class FileSpec(_Spec):
    """A file a bot sends: its name as sent (any text, hostile ones included) and what the fake network
    makes for it (see fake/files.py): a boarding pass or statement PDF, a statement CSV, or a "program"
    (a few bytes with a Windows program's header) to show how a lying name is caught."""

    name: str = Field(min_length=1, max_length=255)
    kind: Literal["boarding_pass", "statement", "statement_csv", "program"]
    mime: str | None = Field(default=None, min_length=1, max_length=127)  # claimed; default: the kind's


class MessageSpec(_Spec):
    """What one message says. `template` makes it a template; `buttons` or `list` make it interactive;
    `file` makes it a document whose caption is `text`."""

    text: str
    header: str = ""
    footer: str = ""
    template: str | None = None
    category: Literal["utility", "marketing", "authentication"] | None = None
    buttons: list[ButtonSpec] = []
    list: ListSpec | None = None
    file: FileSpec | None = None

    def choices(self) -> dict[str, str]:
        """Every choice the user can answer with: key (id or title) -> title."""
        out = {b.key: b.title for b in self.buttons}
        if self.list is not None:
            for section in self.list.all_sections():
                out.update({r.key: r.title for r in section.rows})
        return out


class BranchSpec(_Spec):
    """Where the flow goes next: on a chosen button or row (`choice`), or on words in the user's text."""

    goto: str
    choice: str | None = None
    text: list[str] = []

    @field_validator("text", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class ReactSpec(_Spec):
    """A flow step's reaction: to the user's latest message ("user") or to the message a step sent."""

    message: str = Field(min_length=1)  # "user" or a step id of the same flow
    emoji: str  # one emoji, or "" to take the reaction back

    @field_validator("emoji")
    @classmethod
    def _one_emoji(cls, value: str) -> str:
        from tui_messenger.domain.reactions import is_emoji

        if value and not is_emoji(value):
            raise ValueError(f"{value!r} is not one emoji")
        return value


class EditStepSpec(_Spec):
    """A flow step's correction of the message an earlier step of the same flow sent."""

    message: str = Field(min_length=1)  # a step id of the same flow
    text: str = Field(min_length=1)  # the new text (only text messages are edited)


class StepSpec(MessageSpec):
    id: str
    text: str = ""  # a step may only react
    react: ReactSpec | None = None  # sent before the step's message, if it has one
    edit: EditStepSpec | None = None  # corrects an earlier step's message (within 15 minutes)
    delete: str | None = None  # deletes an earlier step's message (its step id) for everyone
    delay: Duration = 0.0  # seconds before this step's message is sent
    branches: list[BranchSpec] = []
    otherwise: str | None = None  # step for an answer no branch matches
    next: str | None = None  # continue without waiting for the user
    end: bool = False

    @property
    def waits(self) -> bool:
        return bool(self.branches or self.otherwise)


class FlowSpec(_Spec):
    id: str
    business: str
    description: str = ""
    # start: the business opens it when the world starts; message: the user's text (matching `keywords`)
    trigger: Literal["start", "message"] = "message"
    keywords: list[str] = []
    opening: str | None = None  # the user's first line when `scenario play` starts this flow
    start: str | None = None  # first step id; defaults to the first step
    steps: list[StepSpec] = Field(min_length=1)

    def step(self, step_id: str) -> StepSpec | None:
        return next((s for s in self.steps if s.id == step_id), None)

    @property
    def first_step(self) -> StepSpec:
        return self.step(self.start) if self.start else self.steps[0]  # type: ignore[return-value]


class ProfileSpec(_Spec):
    about: str = ""
    description: str = ""
    category: str = ""
    address: str = ""
    email: str = ""
    websites: list[str] = []
    hours: str = ""


class AccountSpec(_Spec):
    id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    display_name: str
    kind: Literal["person", "business"] = "person"
    verified: bool = False
    scam: bool = False
    contact: bool = False
    # The user's own opt-in record for this business (synced to the client as account data).
    opt_in: Literal["user_message", "website", "app", "demo"] | None = None
    # The business says it has an opt-in the user never gave (a bought list): the network believes it,
    # the client does not, so its messages arrive as a request.
    claims_opt_in: bool = False
    bot: Literal["person", "business", "marketer", "impersonator", "silent"] | None = None
    profile: ProfileSpec | None = None
    replies: list[str] = []  # a person's or impersonator's repertoire, instead of the built-in one
    auto_reply: str | None = None  # a business's answer to text no flow understands
    writes_first: float = Field(default=0.0, ge=0.0, le=1.0)  # chance a person opens a chat at start
    tier_limit: int = Field(default=250, ge=1)  # distinct users reachable outside the window per 24 h
    reached_today: int = Field(default=0, ge=0)  # users already reached (to demo the tier limit)
    promotions: list[MessageSpec] = []  # a marketer's templates, sent in turn
    every: Duration = 1200.0  # seconds between a marketer's promotions
    reacts: float = Field(default=0.0, ge=0.0, le=1.0)  # chance a person reacts to each user message
    reaction_emoji: list[str] = []  # what it reacts with (default: ❤️ 👍 😂)

    @property
    def bot_kind(self) -> str:
        return self.bot or ("business" if self.kind == "business" else "person")


class HistorySpec(MessageSpec):
    chat: str  # the other account
    sender: str = Field(alias="from")  # "me" (the user) or the chat's account
    ago: Duration  # how long before the world starts

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ScheduledSpec(MessageSpec):
    sender: str = Field(alias="from")
    at: Duration  # seconds after the world starts

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ScenarioInfo(_Spec):
    name: str
    description: str = ""
    user: str = "me"
    play: str | None = None  # the flow `scenario play` starts (by its `opening` line) when not told


class World(_Spec):
    """One validated scenario file."""

    scenario: ScenarioInfo
    accounts: list[AccountSpec] = Field(min_length=1)
    history: list[HistorySpec] = []
    flows: list[FlowSpec] = []
    scheduled: list[ScheduledSpec] = []
    faults: FaultPlan = FaultPlan()

    @property
    def user_id(self) -> str:
        return self.scenario.user

    def account(self, account_id: str) -> AccountSpec | None:
        return next((a for a in self.accounts if a.id == account_id), None)

    def flows_of(self, business_id: str) -> list[FlowSpec]:
        return [f for f in self.flows if f.business == business_id]


Scenario = World
