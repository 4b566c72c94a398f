"""Turn a scenario's message spec into a wire MessageFrame: text, template, buttons, list or file."""

from __future__ import annotations

from tui_messenger.transport import wire
from tui_messenger.transport.fake.files import make_document
from tui_messenger.transport.fake.world import MessageSpec


def build_message(
    spec: MessageSpec, *, message_id: str, sender: str, to: str, timestamp: int, context_id: str | None = None
) -> wire.MessageFrame:
    """Raises pydantic's ValidationError when the spec breaks a wire limit (checks.py catches most first)."""
    common = {
        "id": message_id,
        "from": sender,
        "to": to,
        "timestamp": timestamp,
        "context": wire.Context(message_id=context_id) if context_id else None,
    }
    if spec.file is not None:
        return wire.MessageFrame(kind="document", document=make_document(spec.file, spec.text), **common)
    buttons = [wire.Button(id=b.key, title=b.title) for b in spec.buttons]
    if spec.template is not None:
        template = wire.Template(
            name=spec.template, category=spec.category or "utility", body=spec.text, buttons=buttons
        )
        return wire.MessageFrame(kind="template", template=template, **common)
    if buttons:
        interactive = wire.Interactive(
            type="button", header=spec.header, body=spec.text, footer=spec.footer, buttons=buttons
        )
        return wire.MessageFrame(kind="interactive", interactive=interactive, **common)
    if spec.list is not None:
        sections = [
            wire.ListSection(
                title=s.title,
                rows=[wire.ListRow(id=r.key, title=r.title, description=r.description) for r in s.rows],
            )
            for s in spec.list.all_sections()
        ]
        interactive = wire.Interactive(
            type="list",
            header=spec.header,
            body=spec.text,
            footer=spec.footer,
            button_label=spec.list.button,
            sections=sections,
        )
        return wire.MessageFrame(kind="interactive", interactive=interactive, **common)
    return wire.MessageFrame(kind="text", text=wire.TextContent(body=spec.text), **common)


def text_spec(body: str) -> MessageSpec:
    return MessageSpec(text=body)
