"""Files in the domain: the true type from the first bytes, names that lie, safe display and save names."""

from __future__ import annotations

import pytest

from tui_messenger.domain import files
from tui_messenger.domain.files import (
    MAX_FILE_BYTES,
    REMOTE,
    caption_of,
    check_file,
    display_name,
    document_body,
    extension,
    file_facts,
    human_size,
    safe_file_name,
    sniff,
    too_large,
)
from tui_messenger.domain.models import AttachmentInfo

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"
RLO = "\u202e"


@pytest.mark.parametrize(
    ("head", "label", "ext"),
    [
        (PDF, "PDF document", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image", "jpg"),
        (b"GIF89a\x01\x00", "GIF image", "gif"),
        (ZIP, "ZIP archive", "zip"),
        (EXE, "Windows program", "exe"),
        (b"\x7fELF\x02\x01\x01", "Linux program", "elf"),
        (b"#!/bin/sh\nrm -rf ~\n", "script", "sh"),
        (b"date;payee;amount\n2026-11-02;Bakery Nord;-4.20\n2026-11-03;Salary;2500.00\n", "CSV table", "csv"),
        ("Grüße aus Lissabon\nbis bald\n".encode(), "text file", "txt"),
        (b"<!DOCTYPE html><html><body>hi", "HTML page", "html"),
        (bytes(range(256)), "unknown binary file", ""),
        (b"", "empty file", ""),
    ],
)
def test_sniff_reads_the_first_bytes(head: bytes, label: str, ext: str) -> None:
    kind = sniff(head)
    assert (kind.label, kind.extension) == (label, ext)


def test_text_cut_in_the_middle_of_a_character_is_still_text() -> None:
    sample = ("é" * 3000).encode()[: files.SNIFF_BYTES - 1]  # ends on half a character
    assert sniff(sample).label == "text file"


def test_honest_files_have_no_warning() -> None:
    for name, mime, head in [
        ("boarding-pass.pdf", "application/pdf", PDF),
        ("statement-2026-11.csv", "text/csv", b"a,b\n1,2\n3,4\n"),
        ("report.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
        ("notes.md", "text/markdown", b"# Notes\n"),
        ("blob.dat", "application/octet-stream", bytes(range(256))),
    ]:
        checked = check_file(name, mime, head)
        assert checked.warning is None, (name, checked.warning)


@pytest.mark.parametrize(
    ("name", "mime", "head", "words"),
    [
        ("invoice.pdf", "application/pdf", ZIP, "Named .pdf but it is a ZIP archive"),
        ("invoice.pdf", "application/pdf", EXE, "Windows program"),
        (f"invoice{RLO}fdp.exe", "application/pdf", EXE, "runs code"),
        (f"invoice{RLO}fdp.exe", "application/pdf", PDF, "ends in .exe"),
        ("photo.jpg.exe", "image/jpeg", b"\xff\xd8\xff\xe0", "ends in .exe"),
        ("scan.pdf", "application/pdf", bytes(range(256)), "not a PDF document"),
        ("paper.pdf", "application/zip", PDF, "Sent as application/zip"),
        (f"bank{RLO}statement.pdf", "application/pdf", PDF, "hides characters"),
        ("summary.txt", "text/plain", PDF, "Named .txt but it is a PDF document"),
    ],
)
def test_lying_names_are_warned_about(name: str, mime: str, head: bytes, words: str) -> None:
    checked = check_file(name, mime, head)
    assert checked.lies and words in (checked.warning or "")


def test_the_real_extension_ignores_hidden_characters() -> None:
    assert extension(f"invoice{RLO}fdp.exe") == "exe"
    assert extension("archive.tar.GZ") == "gz"
    assert extension(".bashrc") == "" and extension("noext") == "" and extension("dots...") == ""


def test_display_name_shows_bidi_and_drops_controls() -> None:
    shown = display_name(f"invoice{RLO}fdp.exe\x1b]2;pwned\x07\x00")
    assert shown == "invoice⟨U+202E⟩fdp.exe"
    assert "\x1b" not in display_name("a\x1b[31mred\nline.pdf") and "\n" not in display_name("a\nb.pdf")


def test_display_name_keeps_the_end_of_a_long_name() -> None:
    shown = display_name("a" * 200 + "-final.pdf", max_len=40)
    assert len(shown) == 40 and shown.endswith("final.pdf") and "…" in shown


@pytest.mark.parametrize(
    ("size", "shown"),
    [(0, "0 B"), (1023, "1023 B"), (1024, "1 KB"), (86_016, "84 KB"), (1_258_291, "1.2 MB"),
     (1024 * 1024, "1 MB"), (10_239, "10 KB"), (1536, "1.5 KB")],
)  # fmt: skip
def test_human_sizes(size: int, shown: str) -> None:
    assert human_size(size) == shown


@pytest.mark.parametrize(
    ("name", "head", "saved"),
    [
        ("boarding-pass.pdf", PDF, "boarding-pass.pdf"),
        ("../../.ssh/authorized_keys", b"ssh-ed25519 AAAA\n", "_._.ssh_authorized_keys.txt"),
        ("..", PDF, "file.pdf"),
        ("CON.pdf", PDF, "file_CON.pdf"),
        ("nul", b"hello", "file_nul.txt"),
        (".bashrc", b"alias ls=rm\n", "bashrc.txt"),
        ("C:\\Windows\\evil.pdf", PDF, "C__Windows_evil.pdf"),
        (f"invoice{RLO}fdp.exe", EXE, "invoicefdp.exe"),
        ("invoice.pdf", ZIP, "invoice.pdf.zip"),
        ("statement", b"a,b\n1,2\n", "statement.csv"),
        ("red\x1b[31m.pdf\x07", PDF, "red.pdf"),
        ("scan.pdf", bytes(range(256)), "scan.pdf"),
    ],
)
def test_safe_save_names(name: str, head: bytes, saved: str) -> None:
    assert safe_file_name(name, sniff(head)) == saved


def test_safe_save_name_is_bounded_and_keeps_the_extension() -> None:
    saved = safe_file_name("ü" * 400 + ".pdf", sniff(PDF))
    assert saved.endswith(".pdf") and len(saved.encode()) <= files.MAX_NAME_BYTES
    assert "/" not in safe_file_name("a/" * 100, None) and safe_file_name("", None) == "file"


def test_document_body_names_the_file_then_the_caption() -> None:
    body = document_body("boarding\npass.pdf", "Your pass")
    assert body == "📄 boarding pass.pdf\nYour pass"
    assert caption_of(body) == "Your pass" and caption_of(document_body("a.pdf")) == ""


def test_the_domain_cap_is_the_wire_cap() -> None:
    from tui_messenger.transport import wire

    assert files.MAX_FILE_BYTES == wire.MAX_FILE_BYTES


def test_a_file_still_on_the_network_is_judged_by_its_name_only() -> None:
    # nothing is known of the bytes: no "named .pdf but it is not a PDF", no mime complaint
    assert check_file("report.pdf", "application/pdf", kind=REMOTE).warning is None
    assert check_file("photo.png", "text/plain", kind=REMOTE).warning is None
    # the name can still lie
    assert check_file("invoice.pdf.exe", "application/pdf", kind=REMOTE).warning == (
        "⚠ Its name ends in .exe: opening it runs code"
    )
    assert "hides characters" in (check_file("invoice\u202efdp.txt", "text/plain", kind=REMOTE).warning or "")
    small = AttachmentInfo("a.pdf", "application/pdf", 84 * 1024, "", remote=True)
    assert file_facts(small, REMOTE) == "application/pdf · 84 KB"
    big = AttachmentInfo("a.pdf", "\x1b[31mapplication/pdf", 5 * 1024 * 1024, "", remote=True)
    assert file_facts(big, REMOTE) == "application/pdf · 5 MB · over the 1 MB limit"
    assert file_facts(small, files.PDF) == "PDF document · 84 KB"


def test_over_the_cap_is_said_in_bytes_when_the_rounded_sizes_look_equal() -> None:
    assert too_large("a.pdf", MAX_FILE_BYTES + 1, verb="saved") == (
        "a.pdf is 1,048,577 bytes: files up to 1,048,576 bytes can be saved"
    )
    assert too_large("a.pdf", 3 * MAX_FILE_BYTES) == "a.pdf is 3 MB: files up to 1 MB can be sent"
