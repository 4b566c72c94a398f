"""Scenario files: the built-ins load, and every error names the file, the line and the field."""

from __future__ import annotations

import pytest

from tui_messenger.transport.fake import BUILTINS, ScenarioError, list_builtins, load_world, parse_world

HEAD = """\
[scenario]
name = "broken"

[[accounts]]
id = "bank"
display_name = "Bank"
kind = "business"
opt_in = "app"
"""  # 8 lines: a flow written below starts on line 9


def errors(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_world(text, "broken.toml")
    return [str(issue) for issue in caught.value.issues]


def flow(steps: str, **flow_keys: str) -> str:
    keys = "".join(f"{k} = {v}\n" for k, v in flow_keys.items())
    return HEAD + f'[[flows]]\nid = "f"\nbusiness = "bank"\n{keys}' + steps


def test_the_five_builtins_load_and_are_listed() -> None:
    listed = dict(list_builtins())
    assert set(listed) == {"default", "bank-fraud-alert", "airline-delay", "spam-wave", "impersonation"}
    assert all(listed.values())  # each has a one-line description
    for name in BUILTINS:
        assert load_world(name).scenario.name == name


def test_default_world_has_the_demo_cast() -> None:
    world = load_world("default")
    names = {a.id: a.display_name for a in world.accounts}
    assert names == {
        "anna": "Anna Becker",
        "jonas": "Jonas Weber",
        "mia": "Mia Schneider",
        "nordbank": "Nordbank",
        "skyways": "SkyWays Airlines",
        "megadeals": "MegaDeals 24",
        "nordbank-support": "N0rdbank Support ✓",
    }
    verified = {a.id for a in world.accounts if a.verified}
    assert verified == {"nordbank", "skyways"}
    assert {h.chat for h in world.history} == {
        "anna",
        "jonas",
        "mia",
        "nordbank",
        "skyways",
        "megadeals",
        "nordbank-support",
    }


def test_bad_toml_gives_tomllib_line() -> None:
    assert errors('[scenario]\nname = "x"\n\nthis is not toml\n') == [
        "broken.toml:4: bad TOML: Expected '=' after a key in a key/value pair"
    ]


def test_unknown_start_step() -> None:
    text = flow('[[flows.steps]]\nid = "a"\ntext = "hi"\n', start='"nope"')
    assert errors(text) == ["broken.toml:12: flows[0].start: unknown step 'nope'"]


def test_branch_to_a_missing_step() -> None:
    steps = (
        '[[flows.steps]]\nid = "a"\ntext = "Pick"\n'
        'buttons = [{ id = "y", title = "Yes" }]\n'
        'branches = [\n  { choice = "y", goto = "b" },\n  { choice = "y", goto = "ghost" },\n]\n'
        '[[flows.steps]]\nid = "b"\ntext = "ok"\nend = true\n'
    )
    assert errors(flow(steps)) == [
        "broken.toml:18: flows[0].steps[0].branches[1].goto: branch to a missing step 'ghost'"
    ]


def test_button_title_over_20_characters() -> None:
    steps = (
        '[[flows.steps]]\nid = "a"\ntext = "Pick"\n'
        'buttons = [\n  { title = "ok" },\n  { title = "This title is far too long" },\n]\n'
    )
    assert errors(flow(steps)) == [
        "broken.toml:17: flows[0].steps[0].buttons[1].title: "
        "button title 'This title is far too long' has 26 characters; the limit is 20"
    ]


def test_more_than_three_buttons() -> None:
    steps = (
        '[[flows.steps]]\nid = "a"\ntext = "Pick"\n'
        'buttons = [{ title = "a" }, { title = "b" }, { title = "c" }, { title = "d" }]\n'
    )
    assert errors(flow(steps)) == ["broken.toml:15: flows[0].steps[0].buttons: more than 3 buttons (4)"]


def test_list_limits() -> None:
    rows = ", ".join(f'{{ title = "row {n}" }}' for n in range(11))
    steps = f'[[flows.steps]]\nid = "a"\ntext = "Pick"\nlist = {{ rows = [{rows}] }}\n'
    assert errors(flow(steps)) == [
        "broken.toml:15: flows[0].steps[0].list: a list has 1 to 10 rows in all, this one has 11"
    ]
    steps = (
        '[[flows.steps]]\nid = "a"\ntext = "Pick"\n'
        'list = { rows = [{ title = "A row title of thirty chars!!" }] }\n'
    )
    assert errors(flow(steps))[0].startswith(
        "broken.toml:15: flows[0].steps[0].list.rows[0].title: row title"
    )


def test_structural_errors_name_line_and_field() -> None:
    text = (
        HEAD
        + 'colour = "red"\n\n[[accounts]]\ndisplay_name = "No id"\n\n'
        + '[[history]]\nchat = "bank"\nfrom = "me"\nago = "soon"\ntext = "x"\n'
    )
    assert errors(text) == [
        "broken.toml:9: accounts[0].colour: unknown field",
        "broken.toml:11: accounts[1].id: required field is missing",
        "broken.toml:17: history[0].ago: not a duration: 'soon' "
        '(use seconds or a string like "90s", "5m", "2h")',
    ]


def test_references_to_unknown_accounts() -> None:
    text = HEAD + '\n[[scheduled]]\nfrom = "ghost"\nat = "5m"\ntext = "boo"\n'
    assert errors(text) == ["broken.toml:11: scheduled[0].from: unknown account 'ghost'"]


def test_all_errors_are_reported_at_once_sorted_by_line() -> None:
    steps = (
        '[[flows.steps]]\nid = "a"\ntext = "x"\nnext = "zz"\n'
        '[[flows.steps]]\nid = "b"\ntext = "y"\nbuttons = [{ title = "123456789012345678901" }]\n'
    )
    found = errors(flow(steps))
    assert [line.split(":")[1] for line in found] == ["15", "19"]


def test_a_missing_file_is_one_clear_error(tmp_path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_world(tmp_path / "nope.toml")
    assert "no such file or built-in scenario" in str(caught.value)


def test_scenario_text_is_data(tmp_path) -> None:
    hostile = HEAD.replace('display_name = "Bank"', 'display_name = "[bold]\\u001b]2;pwned\\u0007 Bank"')
    path = tmp_path / "hostile.toml"
    path.write_text(hostile, encoding="utf-8")
    world = load_world(path)
    assert world.accounts[0].display_name == "[bold]\x1b]2;pwned\x07 Bank"  # kept verbatim, never run


def test_the_documented_example_is_valid() -> None:
    import re
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "scenarios.md").read_text(encoding="utf-8")
    example = re.search(r"## A commented example\n\n```toml\n(.*?)```", doc, re.S)
    assert example is not None
    world = parse_world(example.group(1), "docs/scenarios.md")
    assert world.scenario.play == "fraud-alert"
