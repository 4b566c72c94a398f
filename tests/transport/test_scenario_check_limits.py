"""`scenario check` applies every limit the wire and the directory apply, and reports every error (file,
field, line) even when one of them is a type error; `scenario play` refuses such a file the same way."""

from __future__ import annotations

from click.testing import CliRunner

from tui_messenger.cli import main
from tui_messenger.transport import wire

HEAD = """\
[scenario]
name = "limits"

[[accounts]]
id = "bank"
display_name = "{name}"
kind = "business"
opt_in = "app"
"""
FLOW = """
[[flows]]
id = "f"
business = "bank"
trigger = "start"

[[flows.steps]]
id = "a"
template = "t"
category = "utility"
text = "{text}"
buttons = [{{ id = "{button_id}", title = "Yes" }}]
"""


def write(tmp_path, text: str):
    path = tmp_path / "limits.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_a_display_name_over_the_directory_limit_fails_check_and_play(tmp_path) -> None:
    name = "N" * 300
    path = write(tmp_path, HEAD.format(name=name))
    check = run("scenario", "check", path)
    assert check.exit_code == 2
    assert check.stderr.splitlines() == [
        f"{path}:6: accounts[0].display_name: has 300 characters; the limit on the network is 256"
    ]
    play = run("scenario", "play", path, "--json")
    assert play.exit_code == 2
    assert play.stderr.splitlines() == check.stderr.splitlines()  # one clear line, not pydantic's
    assert "validation error" not in play.stderr and play.stdout == ""


def test_body_size_button_ids_and_websites_are_checked_with_their_lines(tmp_path, monkeypatch) -> None:
    # A scenario file may not exceed the frame cap itself (loader.SCENARIO_MAX_BYTES), so a smaller frame cap
    # shows the body check at work on a file the loader still reads.
    monkeypatch.setattr(wire, "MAX_FRAME_BYTES", 64 * 1024)
    body = "x" * (wire.MAX_FRAME_BYTES + 10)
    text = HEAD.format(name="Bank") + 'profile = { websites = ["a", "b", "c"] }\n'
    text += FLOW.format(text=body, button_id="b" * 300)
    path = write(tmp_path, text)
    found = run("scenario", "check", path).stderr.splitlines()
    assert found == [
        f"{path}:9: accounts[0].profile.websites: has 3 items; the limit on the network is 2",
        f"{path}:21: flows[0].steps[0].buttons[0].id: has 300 characters; the limit on the network is 256",
    ]
    fixed = text.replace("b" * 300, "yes")
    found = run("scenario", "check", write(tmp_path, fixed)).stderr.splitlines()
    assert len(found) == 2 and found[1].startswith(f"{path}:20: flows[0].steps[0].text: the message is ")
    assert f"a frame holds at most {wire.MAX_FRAME_BYTES:,}" in found[1]


def test_a_type_error_does_not_hide_the_errors_after_it(tmp_path) -> None:
    text = (
        HEAD.format(name="Bank")
        + '\n[[accounts]]\nid = "ghost"\ndisplay_name = 42\n'
        + FLOW.format(text="Pick", button_id="yes").replace('template = "t"\n', "delay = true\n")
        + '\n[[flows.steps]]\nid = "b"\ntext = "Pick"\nbuttons = [{ title = "A very long button title" }]\n'
        + '\n[[flows]]\nid = "g"\nbusiness = "ghost"\nsteps = [{ id = "x", text = "hi", next = "nowhere" }]\n'
    )
    path = write(tmp_path, text)
    result = run("scenario", "check", path)
    assert result.exit_code == 2
    fields = [line.removeprefix(f"{path}:").split(": ")[1] for line in result.stderr.splitlines()]
    assert fields == [
        "accounts[1].display_name",  # the type errors ...
        "flows[0].steps[0].delay",
        "flows[0].steps[1].buttons[0].title",  # ... and what the whole-scenario checks find after them
        "flows[1].steps[0].next",
    ]
    assert "unknown account 'ghost'" not in result.stderr  # its own type error is the one reported


def test_an_oversized_profile_field_is_reported_at_its_line(tmp_path) -> None:
    about = "A" * (wire.MAX_PROFILE_FIELD + 500)
    path = write(tmp_path, HEAD.format(name="Bank") + f'\n[accounts.profile]\nabout = "{about}"\n')
    check = run("scenario", "check", path)
    assert check.exit_code == 2
    limit = wire.MAX_PROFILE_FIELD
    assert check.stderr.splitlines() == [
        f"{path}:11: accounts[0].profile.about: has {limit + 500:,} characters;"
        f" a profile field holds at most {limit:,}"
    ]
