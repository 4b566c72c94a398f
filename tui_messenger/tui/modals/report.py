"""The report dialog: a reason, an optional note, a preview of exactly what is sent, and
"Report" / "Report and block". The reported account is never notified, and the dialog says so."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from tui_messenger.domain.models import ChatMessage, ReportReason
from tui_messenger.tui.modals.base import DialogModal, SafeInput, as_content, stamp
from tui_messenger.tui.safe import safe_body, safe_name

NOTE_MAX_LENGTH = 500


@dataclass(frozen=True, slots=True)
class ReportResult:
    reason: ReportReason
    note: str
    also_block: bool


def evidence_line(message: ChatMessage, sender: str) -> Content:
    """One piece of evidence as the user knows it: who sent it (the display name, never the network's
    internal message id), time, kind, then the body."""
    kind = message.kind.value
    if message.template_category is not None:
        kind += f" ({message.template_category.value})"
    # Two lines per message and no gap between them: five messages fit at 40 rows without scrolling.
    header = Content.assemble(
        (safe_name(sender).plain, "bold underline"),
        f" · {stamp(message.sent_at)} · {kind}",
    )
    return Content.assemble(header, "\n", safe_body(message.body))


class ReportModal(DialogModal[ReportResult]):
    """Report an account. `evidence` is what `Messenger.report_evidence` returned (the last 5 messages
    from that account); all of it is shown, because the preview must match what is sent."""

    DEFAULT_CSS = """
    ReportModal > #dialog {
        width: 92;
    }
    ReportModal #report-reasons {
        margin-bottom: 1;
    }
    ReportModal #report-evidence {
        height: auto;
        max-height: 14;
        border: round $foreground 30%;
        padding: 0 1;
    }
    ReportModal .evidence {
        margin-bottom: 0;
    }
    ReportModal #report-not-notified {
        margin-top: 1;
    }
    """

    def __init__(self, name: str, evidence: Sequence[ChatMessage]) -> None:
        super().__init__()
        self._peer_name = name
        self._evidence = tuple(evidence)

    def compose(self) -> ComposeResult:
        name = safe_name(self._peer_name)
        with Vertical(id="dialog"):
            yield Static(Content.assemble("Report ", name), id="dialog-title")
            with VerticalScroll(id="dialog-body"):
                yield Label(as_content("Reason"))
                with RadioSet(id="report-reasons"):
                    for index, reason in enumerate(ReportReason):
                        yield RadioButton(
                            as_content(reason.value), value=index == 0, id=f"report-reason-{index}"
                        )
                yield SafeInput(
                    placeholder="Add a note (optional)",
                    max_length=NOTE_MAX_LENGTH,
                    id="report-note",
                )
                yield Label(as_content(evidence_title(len(self._evidence))), id="report-evidence-title")
                with VerticalScroll(id="report-evidence"):
                    for message in self._evidence:
                        yield Static(evidence_line(message, self._peer_name), classes="evidence")
                    if not self._evidence:
                        yield Static(Content.assemble("No messages from ", name, " are included."))
                yield Static(Content.assemble(name, " will not be notified."), id="report-not-notified")
            with Horizontal(classes="buttons"):
                yield Button(as_content("Report"), variant="warning", id="report-confirm")
                yield Button(as_content("Report and block"), variant="error", id="report-and-block")
                yield Button(as_content("Cancel"), id="report-cancel")

    def on_mount(self) -> None:
        self.query_one("#report-reasons", RadioSet).focus()

    def _result(self, *, also_block: bool) -> ReportResult:
        pressed = self.query_one("#report-reasons", RadioSet).pressed_index
        reasons = list(ReportReason)
        reason = reasons[pressed] if 0 <= pressed < len(reasons) else ReportReason.OTHER
        note = self.query_one("#report-note", Input).value.strip()
        return ReportResult(reason=reason, note=note, also_block=also_block)

    @on(Button.Pressed, "#report-confirm")
    def _report(self) -> None:
        self.dismiss(self._result(also_block=False))

    @on(Button.Pressed, "#report-and-block")
    def _report_and_block(self) -> None:
        self.dismiss(self._result(also_block=True))

    @on(Button.Pressed, "#report-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


def evidence_title(count: int) -> str:
    """What goes with the report, in words ("the last 1 message" read as a slip)."""
    if count == 0:
        return "Sent with the report: no messages"
    if count == 1:
        return "Sent with the report: their last message"
    return f"Sent with the report: their last {count} messages"
