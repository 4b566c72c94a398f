"""Files on the fake network: SkyWays sends a boarding pass PDF, Nordbank a statement when asked, the
network takes the user's files when their bytes match and refuses them otherwise."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from tui_messenger.domain.files import check_file
from tui_messenger.transport import wire
from tui_messenger.transport.fake import ScenarioError, load_world, parse_world
from tui_messenger.transport.fake.files import ERROR_MEDIA, pdf
from tui_messenger.transport.fake.player import play


def _documents(client, sender: str) -> list[wire.MessageFrame]:
    ordered = sorted(client.messages.values(), key=lambda m: m.timestamp)
    return [m for m in ordered if m.sender == sender and m.kind == "document"]


def _data(frame: wire.MessageFrame) -> bytes:
    assert frame.document is not None
    data = base64.b64decode(frame.document.data, validate=True)
    assert len(data) == frame.document.size
    assert hashlib.sha256(data).hexdigest() == frame.document.sha256
    return data


def assert_valid_pdf(data: bytes) -> None:
    """Header, every object where the cross-reference table says it is, startxref at the table."""
    assert data.startswith(b"%PDF-1.4\n") and data.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\n(\d+)\n", data).group(1))  # type: ignore[union-attr]
    assert data[startxref:].startswith(b"xref\n0 ")
    offsets = [int(m) for m in re.findall(rb"(\d{10}) 00000 n ", data)]
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(b"%d 0 obj\n" % number)
    length = int(re.search(rb"/Length (\d+) >>\nstream\n", data).group(1))  # type: ignore[union-attr]
    stream = data.split(b"stream\n", 1)[1]
    assert stream[length:].startswith(b"\nendstream")


def test_the_hand_written_pdf_is_well_formed_and_escapes_its_text() -> None:
    data = pdf(["Seat (9A) \\ back", "Grüße · SK 125", "漢字"], title="T")
    assert_valid_pdf(data)
    assert b"(Seat \\(9A\\) \\\\ back) Tj" in data and b"(Gr\xfc\xdfe \xb7 SK 125) Tj" in data
    assert b"(??) Tj" in data  # beyond Windows-1252: replaced, never raw bytes that break the string


async def test_skyways_sends_the_boarding_pass_pdf_after_rebooking(peer_for, client_cls) -> None:
    peer = peer_for(load_world("airline-delay"))
    client = client_cls(peer)
    await peer.connect("me")
    await client.settle()
    ask = wire.MessageFrame(
        id="c.1", sender="me", to="skyways", timestamp=0, kind="text",
        text=wire.TextContent(body="Hi, is my flight SK 123 on time?"), client_txn_id="t.1",
    )  # fmt: skip
    await peer.send(wire.encode(ask))
    await client.settle()
    notice = next(m for m in client.messages.values() if m.kind == "interactive")
    choose = wire.MessageFrame(
        id="c.2", sender="me", to="skyways", timestamp=0, kind="interactive_reply", client_txn_id="t.2",
        interactive_reply=wire.InteractiveReply(
            type="list_reply", id="sk125", title="SK 125 today 14:05", context_id=notice.id
        ),
    )  # fmt: skip
    await peer.send(wire.encode(choose))
    await client.settle()
    (boarding,) = _documents(client, "skyways")
    assert boarding.document.file_name == "boarding-pass-SK125.pdf"
    assert boarding.document.mime_type == "application/pdf" and "Gate B18" in boarding.document.caption
    data = _data(boarding)
    assert_valid_pdf(data)
    assert b"(SkyWays Airlines - Boarding pass) Tj" in data and b"Gate B18" in data
    checked = check_file(boarding.document.file_name, boarding.document.mime_type, data)
    assert checked.true_type.label == "PDF document" and checked.warning is None


@pytest.mark.parametrize(
    ("answer", "name", "label"),
    [("PDF", "nordbank-statement-2026-11.pdf", "PDF document"),
     ("CSV (spreadsheet)", "nordbank-statement-2026-11.csv", "CSV table")],
)  # fmt: skip
async def test_nordbank_sends_a_statement_when_asked(answer: str, name: str, label: str) -> None:
    lines = await play(load_world("default"), [answer], flow="statement")
    files = [line for line in lines if line.sender == "nordbank" and line.kind == "document"]
    assert [f.text for f in files] and all("4821" in f.text for f in files)
    world = load_world("default")
    from tui_messenger.transport.fake.files import make_document

    step = next(
        s for f in world.flows if f.id == "statement" for s in f.steps if s.file and s.file.name == name
    )
    document = make_document(step.file, step.text)  # type: ignore[arg-type]
    data = base64.b64decode(document.data)
    assert check_file(document.file_name, document.mime_type, data).true_type.label == label
    assert check_file(document.file_name, document.mime_type, data).warning is None


async def test_the_network_takes_good_files_and_refuses_bad_ones(tiny, peer_for, client_cls) -> None:
    peer = peer_for(tiny)
    client = client_cls(peer)
    await peer.connect("me")
    await client.settle()
    data = b"%PDF-1.4 a tiny file"

    def upload(n: int, sha: str) -> wire.MessageFrame:
        doc = wire.Document(
            file_name="receipt.pdf", mime_type="application/pdf", size=len(data), sha256=sha,
            data=base64.b64encode(data).decode(),
        )  # fmt: skip
        return wire.MessageFrame(
            id=f"c.{n}", sender="me", to="shop", timestamp=0, kind="document", document=doc,
            client_txn_id=f"t.{n}",
        )  # fmt: skip

    await peer.send(wire.encode(upload(1, hashlib.sha256(data).hexdigest())))
    await peer.send(wire.encode(upload(2, "0" * 64)))
    await client.settle()
    answers = {s.message_id: s for s in client.statuses if s.sender == "server"}
    assert answers["c.1"].status == "sent"
    assert answers["c.2"].status == "failed" and answers["c.2"].error.code == ERROR_MEDIA
    assert any(e.kind == "rejected" and e.message_id == "c.2" for e in peer.log)
    assert client.bodies("shop") == ["Thanks, we will get back to you."]  # the good one was answered


def test_a_file_step_cannot_carry_buttons() -> None:
    bad = """
[scenario]
name = "x"

[[accounts]]
id = "shop"
display_name = "Shop"
kind = "business"

[[flows]]
id = "f"
business = "shop"

[[flows.steps]]
id = "s"
text = "Your file"
file = { name = "a.pdf", kind = "statement" }
buttons = [{ title = "OK" }]
"""
    with pytest.raises(ScenarioError) as caught:
        parse_world(bad, "x.toml")
    assert "x.toml:17: flows[0].steps[0].file: a file is sent on its own" in str(caught.value)
    with pytest.raises(ScenarioError, match="kind"):
        parse_world(
            bad.replace('kind = "statement"', 'kind = "virus"').replace('buttons = [{ title = "OK" }]', "")
        )


async def test_the_impersonator_attaches_a_program_behind_a_bidi_override() -> None:
    lines = await play(load_world("impersonation"), ["Verify now"])
    (lure,) = [line for line in lines if line.kind == "document"]
    assert lure.sender == "nordbank-support" and lure.text == "Or fill in the unlock form attached."
    world = load_world("impersonation")
    step = next(s for f in world.flows for s in f.steps if s.file is not None)
    from tui_messenger.transport.fake.files import make_document

    document = make_document(step.file, step.text)  # type: ignore[arg-type]
    assert document.file_name == "unlock-form\u202efdp.exe"
    checked = check_file(document.file_name, document.mime_type, base64.b64decode(document.data))
    assert checked.shown_name == "unlock-form⟨U+202E⟩fdp.exe"
    assert checked.warning == "⚠ This is a Windows program, named .exe: opening it runs code"
