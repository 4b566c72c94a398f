"""The settings of a run, in one model: `AppSettings` holds what the command line (or a test) chose, and
`resolve` fills the rest from config.toml, read once. Environment variables are read only in `folders`.

Not settings, and kept apart: the remembered theme (`ui_state`, written when the user picks one) and what
the database keeps about its own sync (`store/settings.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tui_messenger.folders import config_dir

if TYPE_CHECKING:
    from tui_messenger.domain.clock import Clock


@dataclass
class AppSettings:
    """What one run is built from: the command line's choices (or a test's); config.toml fills the rest
    (`resolve`)."""

    db_path: Path | None = None
    scenario: str = "default"
    seed: int = 0
    speed: float = 1.0
    theme: str | None = None
    faults: dict[str, float] = field(default_factory=dict)
    config_dir: Path | None = None
    downloads: Path | None = None  # where saved files go; else config.toml [files], else the system's
    clock: Clock | None = None  # None: the tester's virtual clock, resumed from the database
    show_refusals: bool | None = None  # None: config.toml's [testers] show_refusals, else shown
    keymap: dict[str, str] | None = None  # None: config.toml's [keys]
    bell: bool | None = None  # None: config.toml's bell

    @property
    def folder(self) -> Path:
        """The settings folder: config.toml, the remembered theme, the user's themes."""
        return self.config_dir or config_dir()


@dataclass(frozen=True)
class Resolved:
    """The settings of one run with config.toml read once: the command line's (or a test's) choices first,
    then the file's, then the defaults."""

    downloads: Path | None  # None: the service asks platformdirs when a file is first saved
    show_refusals: bool
    keymap: dict[str, str]
    bell: bool
    problems: tuple[str, ...]  # what was wrong with config.toml, shown once in the app


def resolve(settings: AppSettings) -> Resolved:
    from tui_messenger.tui.config import load_config

    config = load_config(settings.folder)
    refusals = settings.show_refusals
    if refusals is None:  # on unless the file says: the demo world is a scenario on the fake network
        refusals = True if config.show_refusals is None else config.show_refusals
    return Resolved(
        downloads=settings.downloads or config.downloads,
        show_refusals=refusals,
        keymap=config.keymap if settings.keymap is None else settings.keymap,
        bell=config.bell if settings.bell is None else settings.bell,
        problems=tuple(config.problems),
    )


def show_refusals(settings: AppSettings) -> bool:
    """Whether refused messages are shown as dimmed lines (config.toml's [testers] show_refusals)."""
    return resolve(settings).show_refusals
