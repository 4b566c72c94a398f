"""Files of the fake network: what bots send (boarding passes, statements) and what it takes from the user.

PDFs are written by hand (PDF 1.4, one page, Helvetica, a few lines of text, a correct cross-reference
table), so no dependency is needed and every run makes the same bytes. Everything is deterministic: the
content comes from the scenario's step (its text is the caption and the first line of the document).
"""

from __future__ import annotations

import base64
import hashlib

from tui_messenger.transport import wire
from tui_messenger.transport.fake.world import FileSpec

ERROR_MEDIA = 131053  # WhatsApp's "media upload error": a file whose bytes do not match what it claims

_BOARDING_PASS = (
    "SkyWays Airlines - Boarding pass",
    "",
    "Passenger: ME / TRAVELLER",
    "Booking: ABC123",
    "Please be at the gate 30 minutes before departure.",
)
_STATEMENT = (
    "Nordbank - Account statement",
    "",
    "Account ending 4821 · November 2026",
    "2026-11-02  Bakery Nord              -4.20 EUR",
    "2026-11-05  City Parking            -12.00 EUR",
    "2026-11-15  Salary                +2500.00 EUR",
    "2026-11-20  Streaming                -9.99 EUR",
    "Closing balance                    2431.18 EUR",
)
_STATEMENT_CSV = (
    "date,description,amount,currency\n"
    "2026-11-02,Bakery Nord,-4.20,EUR\n"
    "2026-11-05,City Parking,-12.00,EUR\n"
    "2026-11-15,Salary,2500.00,EUR\n"
    "2026-11-20,Streaming,-9.99,EUR\n"
)
# Not a working program: a Windows executable's first bytes ("MZ" and the DOS stub's message), enough for
# the client to tell what the file claims to be from what it is.
_PROGRAM = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + (b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 64)
)
_MIME = {
    "boarding_pass": "application/pdf",
    "statement": "application/pdf",
    "statement_csv": "text/csv",
    "program": "application/pdf",  # it claims to be a document
}


def file_bytes(spec: FileSpec, caption: str = "") -> bytes:
    """The bytes of a file a bot sends."""
    if spec.kind == "boarding_pass":
        lines = [_BOARDING_PASS[0], *caption.splitlines(), *_BOARDING_PASS[1:]]
        return pdf(lines, title="Boarding pass")
    if spec.kind == "statement":
        return pdf(list(_STATEMENT), title="Account statement")
    if spec.kind == "statement_csv":
        return _STATEMENT_CSV.encode()
    return _PROGRAM


def make_document(spec: FileSpec, caption: str) -> wire.Document:
    data = file_bytes(spec, caption)
    return wire.Document(
        file_name=spec.name, mime_type=spec.mime or _MIME[spec.kind], size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), data=base64.b64encode(data).decode("ascii"), caption=caption,
    )  # fmt: skip


def upload_problem(frame: wire.MessageFrame) -> str | None:
    """Why the network refuses a file the user sends (bytes that do not match the frame), or None."""
    doc = frame.document
    if doc is None:
        return None
    if doc.data is None:
        return "the network keeps no files elsewhere: the file's data is missing"
    try:
        data = base64.b64decode(doc.data, validate=True)
    except ValueError:
        return "the file's data is not valid base64"
    if len(data) != doc.size or hashlib.sha256(data).hexdigest() != doc.sha256:
        return "the file does not match its size or checksum"
    return None


def refused_upload(frame: wire.MessageFrame, timestamp: int, server: str) -> wire.StatusFrame:
    """The network's `failed` answer to a file it refuses."""
    error = wire.ErrorInfo(code=ERROR_MEDIA, title="Media upload error: the file does not match its checksum")
    return wire.StatusFrame(
        message_id=frame.id, status="failed", sender=server, to=frame.sender, timestamp=timestamp,
        client_txn_id=frame.client_txn_id, error=error,
    )  # fmt: skip


# --- a minimal PDF --------------------------------------------------------------------------------------
def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")  # WinAnsiEncoding: the standard 14 fonts' encoding
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf(lines: list[str], *, title: str = "") -> bytes:
    """A one-page PDF 1.4 showing `lines` in Helvetica (text beyond Windows-1252 becomes `?`)."""
    text = b"BT /F1 12 Tf 16 TL 56 780 Td " + b" ".join(_pdf_string(line) + b" Tj T*" for line in lines[:45])
    text += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text + b"\nendstream",
        b"<< /Title " + _pdf_string(title) + b" /Producer (tui-messenger fake network) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
