"""The TUI's test double keeps to the `Messenger` protocol: every method the screens may call is there, with
the same parameters (names, kinds, defaults), and the same coroutine-ness. A method added to the protocol
and not to the double fails here, not in a screen test that happens to reach it."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from fake_messenger import FakeMessenger, demo_world

from tui_messenger.domain.models import MessageKind
from tui_messenger.services.port import Messenger

MEMBERS = sorted(
    name for name, value in vars(Messenger).items() if not name.startswith("_") and callable(value)
)


def test_the_protocol_has_members() -> None:
    assert len(MEMBERS) > 40  # the check below would pass on an empty list


@pytest.mark.parametrize("name", MEMBERS)
def test_the_double_has_the_method_with_the_same_parameters(name: str) -> None:
    assert hasattr(FakeMessenger, name), f"FakeMessenger lacks {name}"
    ours, theirs = getattr(Messenger, name), getattr(FakeMessenger, name)
    assert inspect.iscoroutinefunction(ours) == inspect.iscoroutinefunction(theirs), name

    def shape(function: object) -> list[tuple[str, object, bool]]:
        return [
            (p.name, p.kind, p.default is inspect.Parameter.empty)
            for p in inspect.signature(function).parameters.values()  # type: ignore[arg-type]
        ]

    assert shape(theirs) == shape(ours)


async def test_the_added_methods_do_what_they_say(tmp_path: Path) -> None:
    m = demo_world()
    anna = await m.chat_for_account("anna")
    assert anna is not None
    sent = await m.send_text(anna.chat.id, "see you")
    assert (await m.allowed_actions(sent.message_id)).edit
    edited = await m.edit_message(sent.message_id, "see you at 5")
    assert edited.body == "see you at 5" and edited.edited_at is not None
    assert (await m.delete_for_everyone(sent.message_id)).deleted
    await m.delete_for_me(sent.message_id)
    assert await m.message(sent.message_id) is None
    source = tmp_path / "plan.txt"
    source.write_text("the plan")
    document = await m.send_file(anna.chat.id, source, "here")
    assert document.kind is MessageKind.DOCUMENT and document.attachment is not None
    saved = await m.save_attachment(document.message_id, tmp_path / "out")
    assert saved.read_text() == "the plan"
    deals = await m.chat_for_account("megadeals")
    assert deals is not None
    assert (await m.stop_promotions(deals.chat.id)).marketing_stopped
    assert not (await m.resume_promotions(deals.chat.id)).marketing_stopped
    assert [a.id for a in await m.contact_list()] == ["anna"]
    assert (await m.open_chat("anna")).chat.id == anna.chat.id
    report = await m.pilot_report()
    assert {row["id"] for row in report["businesses"]} >= {"nordbank", "megadeals"}  # type: ignore[attr-defined]
