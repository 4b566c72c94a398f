"""Files as the user sees them: the true type from the first bytes, the name shown safely, a human size,
and a safe name to save under. Standard library only; no I/O (the services read and write files).

A file's name and mime type are what the sender claims; its first bytes say what it is. The two are
compared, and a lie is shown as a warning next to the file: `invoice.pdf` that is a ZIP archive or a
program, a right-to-left override that makes `invoice<U+202E>fdp.exe` look like `invoiceexe.pdf`, a
program behind a harmless double extension (`photo.jpg.exe`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tui_messenger.domain.models import AttachmentInfo, ChatMessage
from tui_messenger.domain.safe_text import clean_body, clean_name

__all__ = [
    "MAX_FILE_BYTES",
    "FileCheck",
    "FileRefused",
    "FileType",
    "caption_of",
    "check_file",
    "document_body",
    "document_payload",
    "message_file",
    "too_large",
    "type_key",
    "display_name",
    "file_facts",
    "extension",
    "human_size",
    "safe_file_name",
    "sniff",
]

SNIFF_BYTES = 4096  # how much of a file `sniff` looks at
MAX_FILE_BYTES = 1024 * 1024  # the largest file sent or taken (the wire's cap; a test keeps them equal)


class FileRefused(ValueError):
    """A file that is not sent, taken or saved; the message is one line fit to show the user."""


@dataclass(frozen=True, slots=True)
class FileType:
    """What a file's bytes are: a label for people, the extensions that fit it, its mime type."""

    label: str
    extensions: tuple[str, ...]  # the first is the one a saved file gets
    mime: str
    program: bool = False  # opening it runs code

    @property
    def extension(self) -> str:
        return self.extensions[0] if self.extensions else ""


PDF = FileType("PDF document", ("pdf",), "application/pdf")
PNG = FileType("PNG image", ("png",), "image/png")
JPEG = FileType("JPEG image", ("jpg", "jpeg", "jpe", "jfif"), "image/jpeg")
GIF = FileType("GIF image", ("gif",), "image/gif")
WEBP = FileType("WebP image", ("webp",), "image/webp")
# Office documents, EPUB, JAR and APK are ZIP archives inside: a .docx that is a ZIP is not a lie.
ZIP = FileType(
    "ZIP archive",
    ("zip", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub", "jar", "apk", "kmz"),
    "application/zip",
)
GZIP = FileType("gzip archive", ("gz", "tgz"), "application/gzip")
SEVEN_ZIP = FileType("7-Zip archive", ("7z",), "application/x-7z-compressed")
RAR = FileType("RAR archive", ("rar",), "application/vnd.rar")
EXE = FileType(
    "Windows program", ("exe", "dll", "scr", "com", "sys", "msi"), "application/x-msdownload", True
)
ELF = FileType("Linux program", ("elf", "so", "bin"), "application/x-executable", True)
MACHO = FileType("macOS program", ("macho", "dylib"), "application/x-mach-binary", True)
SCRIPT = FileType("script", ("sh", "py", "pl", "rb", "bash", "zsh"), "text/x-script", True)
HTML = FileType("HTML page", ("html", "htm", "xhtml"), "text/html")
CSV = FileType("CSV table", ("csv", "tsv", "txt"), "text/csv")
TEXT = FileType("text file", ("txt", "text", "md", "log", "csv", "tsv", "json", "xml", "ini", "toml", "yaml",
                          "yml", "ics", "vcf", "srt"), "text/plain")  # fmt: skip
BINARY = FileType("unknown binary file", (), "application/octet-stream")
# A file whose bytes are still on the network: nothing is known of them until it is saved.
REMOTE = FileType("not downloaded yet", (), "application/octet-stream")
EMPTY = FileType("empty file", (), "application/octet-stream")

_MAGIC: tuple[tuple[bytes, FileType], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"PK\x03\x04", ZIP),
    (b"PK\x05\x06", ZIP),  # an empty archive
    (b"PK\x07\x08", ZIP),  # a spanned archive
    (b"\x1f\x8b", GZIP),
    (b"7z\xbc\xaf\x27\x1c", SEVEN_ZIP),
    (b"Rar!\x1a\x07", RAR),
    (b"MZ", EXE),
    (b"\x7fELF", ELF),
    (b"\xcf\xfa\xed\xfe", MACHO),
    (b"\xce\xfa\xed\xfe", MACHO),
    (b"\xfe\xed\xfa\xcf", MACHO),
    (b"#!", SCRIPT),
)
# Names that run code when opened, whatever their bytes: a program hides best behind a harmless-looking
# first extension (`photo.jpg.exe`) or a right-to-left override.
PROGRAM_EXTENSIONS = frozenset(
    "exe dll scr com msi bat cmd pif cpl lnk vbs vbe js jse wsf wsh hta ps1 psm1 jar apk app sh bash"
    " command run reg inf".split()
)
_KNOWN_BY_EXTENSION = {ext: t for t in (PDF, PNG, JPEG, GIF, WEBP, ZIP, GZIP, SEVEN_ZIP, RAR, EXE)
                       for ext in t.extensions}  # fmt: skip
_TEXTUAL = {"text", "application"}  # mime families a text file may be claimed under


def sniff(head: bytes) -> FileType:
    """The type of a file from its first bytes (pass at least the first SNIFF_BYTES)."""
    if not head:
        return EMPTY
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    text = _as_text(head[:SNIFF_BYTES])
    if text is None:
        return BINARY
    start = text.lstrip("\ufeff \t\r\n")[:64].lower()
    if start.startswith(("<!doctype html", "<html")):
        return HTML
    return CSV if _looks_like_csv(text) else TEXT


def _as_text(head: bytes) -> str | None:
    """The bytes as text if they look like it: UTF-8 (a character cut at the end is fine), no NUL, and
    almost no control characters besides tab, newline and carriage return."""
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut off by the sample's end
            return None
        text = head[: exc.start].decode("utf-8")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return text if controls * 100 <= len(text) else None


def _looks_like_csv(text: str) -> bool:
    """At least two lines that split into the same number (> 1) of fields on `,`, `;` or tab."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if len(text) >= SNIFF_BYTES and len(lines) > 2:
        lines = lines[:-1]  # the sample may end in the middle of a line
    if len(lines) < 2:
        return False
    for sep in (",", ";", "\t"):
        counts = {line.count(sep) for line in lines}
        if len(counts) == 1 and counts.pop() >= 1:
            return True
    return False


# --- names --------------------------------------------------------------------------------------------
_BIDI_AND_CONTROLS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def extension(name: str) -> str:
    """The extension the operating system sees (lower case, without the dot): hidden characters do not
    count, so `invoice<U+202E>fdp.exe` ends in `exe`. Empty when there is none."""
    plain = _BIDI_AND_CONTROLS.sub("", name).strip().rstrip(". ")
    stem, dot, ext = plain.rpartition(".")
    if not dot or not stem.strip(".") or not ext or len(ext) > 16 or not ext.isalnum():
        return ""
    return ext.lower()


def display_name(name: str, max_len: int = 60) -> str:
    """A file name fit to show on one line: controls removed, bidi and invisible characters shown as
    `⟨U+202E⟩` (so an override cannot disguise the real ending), the middle cut when it is long so the
    end (the extension) stays in view."""
    shown = clean_body(name[: max_len * 8 + 256]).replace("\n", " ").strip() or "(no name)"
    if len(shown) <= max_len:
        return shown
    tail = max(max_len // 3, 8)
    return shown[: max_len - tail - 1] + "…" + shown[-tail:]


def _has_hidden(name: str) -> bool:
    """Controls, bidi or invisible characters: whatever the safe text path would show as a marker."""
    return clean_body(name) != name


def _ext_lies(ext: str, true_type: FileType) -> bool:
    """The name's extension promises another type than the bytes are (unknowable for unknown bytes)."""
    if not ext or true_type in (BINARY, EMPTY) or ext in true_type.extensions:
        return False
    if true_type in (TEXT, CSV, HTML):  # a text file may be code, a note or data under any name ...
        return ext in _KNOWN_BY_EXTENSION
    return True  # ... but not a PDF, an image or an archive


def human_size(size: int) -> str:
    """1 023 B, 84 KB, 1.2 MB (binary units, as file managers show them)."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            if value < 10:
                return f"{value:.1f} {unit}".replace(".0 ", " ")
            return f"{round(value)} {unit}"
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class FileCheck:
    """What the screen shows of a file: its name (safe), its true type, and a warning if it lies."""

    shown_name: str
    true_type: FileType
    name_extension: str
    warning: str | None = None

    @property
    def lies(self) -> bool:
        return self.warning is not None


def check_file(file_name: str, mime_type: str, head: bytes | None = None, *, kind: FileType | None = None
               ) -> FileCheck:  # fmt: skip
    """Compare a file's claimed name and mime type with what its first bytes say (`head`), or with a
    type sniffed earlier (`kind`). The warning names the first lie found, the most dangerous first."""
    true_type = kind if kind is not None else sniff(head or b"")
    ext = extension(file_name)
    shown = display_name(file_name)
    warning = None
    claimed = _KNOWN_BY_EXTENSION.get(ext)
    if true_type is REMOTE:  # only the name can lie before the bytes are here
        if ext in PROGRAM_EXTENSIONS:
            warning = f"⚠ Its name ends in .{ext}: opening it runs code"
        elif _has_hidden(file_name):
            warning = "⚠ Its name hides characters; the real ending is " + (f".{ext}" if ext else "none")
        return FileCheck(shown, true_type, ext, warning)
    if true_type.program:
        what = f"named .{ext}" if ext else "without an extension"
        warning = f"⚠ This is a {true_type.label}, {what}: opening it runs code"
    elif ext in PROGRAM_EXTENSIONS:
        warning = f"⚠ Its name ends in .{ext}: opening it runs code"
    elif _has_hidden(file_name):
        warning = "⚠ Its name hides characters; the real ending is " + (f".{ext}" if ext else "none")
    elif _ext_lies(ext, true_type):
        warning = f"⚠ Named .{ext} but it is a {true_type.label}"
    elif true_type in (BINARY, EMPTY) and claimed is not None:
        warning = f"⚠ Named .{ext} but it is not a {claimed.label}"
    if warning is None and not _mime_fits(mime_type, true_type):
        warning = f"⚠ Sent as {clean_name(mime_type, 40)} but it is a {true_type.label}"
    return FileCheck(shown, true_type, ext, warning)


def _mime_fits(mime: str, true_type: FileType) -> bool:
    mime = mime.split(";")[0].strip().lower()
    if true_type in (BINARY, EMPTY) or mime in ("", "application/octet-stream", true_type.mime):
        return True
    family = mime.partition("/")[0]
    if true_type in (TEXT, CSV, HTML):
        return family in _TEXTUAL
    if true_type is ZIP:
        return "zip" in mime or "officedocument" in mime or "opendocument" in mime or "java" in mime
    if true_type is JPEG:
        return mime in ("image/jpg", "image/pjpeg")
    return False


# --- saving -------------------------------------------------------------------------------------------
_UNSAFE_IN_NAMES = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$", re.IGNORECASE)
MAX_NAME_BYTES = 200  # file systems allow 255; room for " (12)" and a temporary suffix


def safe_file_name(name: str, true_type: FileType | None = None) -> str:
    """A name to save a file under in the downloads folder: one plain component (no path separators,
    no `..`, no hidden or control characters, not a reserved device name, no leading dot), at most
    MAX_NAME_BYTES of UTF-8, ending in the file's true extension (added when the name lies about it)."""
    text = unicodedata.normalize("NFC", clean_name(name[:2048], max_len=1024).replace("…", ""))
    text = _UNSAFE_IN_NAMES.sub("_", text)
    text = re.sub(r"\.{2,}", ".", text).strip(" .")
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    stem, ext = stem.strip(" ."), ext.strip()
    if not ext.isalnum() or len(ext) > 16:
        stem, ext = text, ""
    if not stem or _RESERVED.match(stem.split(".")[0]):
        stem = f"file_{stem}" if stem else "file"
    if true_type is not None and true_type.extension and (not ext or _ext_lies(ext.lower(), true_type)):
        stem, ext = (f"{stem}.{ext}" if ext else stem), true_type.extension
    tail = f".{ext}" if ext else ""
    budget = MAX_NAME_BYTES - len(tail.encode())
    while len(stem.encode()) > budget:
        stem = stem[:-1]
    return stem.rstrip(" .") + tail or "file"


# --- a document message's text --------------------------------------------------------------------------
FILE_MARK = "📄 "


def document_body(file_name: str, caption: str = "") -> str:
    """A document message's body: the plain-text fallback that previews, notifications, search and export
    use. Its first line names the file (`📄 name`), the caption follows on the next lines."""
    first = FILE_MARK + " ".join(file_name.split())
    return f"{first}\n{caption}" if caption.strip() else first


def caption_of(body: str) -> str:
    """The caption of a document message's body (see `document_body`)."""
    return body.partition("\n")[2] if body.startswith(FILE_MARK) else body


# --- what a message says about its file ---------------------------------------------------------------
TYPES: dict[str, FileType] = {
    "pdf": PDF, "png": PNG, "jpeg": JPEG, "gif": GIF, "webp": WEBP, "zip": ZIP, "gzip": GZIP,
    "7z": SEVEN_ZIP, "rar": RAR, "exe": EXE, "elf": ELF, "macho": MACHO, "script": SCRIPT, "html": HTML,
    "csv": CSV, "text": TEXT, "binary": BINARY, "empty": EMPTY, "remote": REMOTE,
}  # fmt: skip
_KEYS = {id(t): k for k, t in TYPES.items()}


def type_key(kind: FileType) -> str:
    """A short stable name for a sniffed type, kept in a document message's payload (the store keeps
    the bytes apart, so a page of history knows the true type without reading them)."""
    return _KEYS.get(id(kind), "binary")


def document_payload(kind: FileType) -> dict[str, dict[str, str]]:
    return {"document": {"type": type_key(kind)}}


def message_file(message: ChatMessage) -> FileCheck | None:
    """The check of a document message's file (name, true type, warning), or None without a file."""
    info = message.attachment
    if info is None:
        return None
    data = (message.payload or {}).get("document") or {}
    kind = TYPES.get(str(data.get("type", "")), REMOTE if info.remote else BINARY)  # saved: what it is
    return check_file(info.file_name, info.mime_type, kind=kind)


def too_large(shown: str, size: int, cap: int = MAX_FILE_BYTES, *, verb: str = "sent") -> str:
    """The one line shown when a file is over the cap (in bytes when the rounded sizes would look equal)."""
    size_text, cap_text = human_size(size), human_size(cap)
    if size_text == cap_text:
        size_text, cap_text = f"{size:,} bytes", f"{cap:,} bytes"
    return f"{shown} is {size_text}: files up to {cap_text} can be {verb}"


def file_facts(info: AttachmentInfo, true_type: FileType) -> str:
    """What a file card says after the name: its type and size (for a file still on the network, the type
    its sender claims, and that it is over the cap when it is)."""
    if true_type is not REMOTE:
        return f"{true_type.label} · {human_size(info.size)}"
    facts = f"{clean_name(info.mime_type, 40) or 'file'} · {human_size(info.size)}"
    return facts + (f" · over the {human_size(MAX_FILE_BYTES)} limit" if info.size > MAX_FILE_BYTES else "")
