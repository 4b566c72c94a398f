"""The pilot report (services/pilot.py, `tui-messenger report`): a STOP is a stop and not a reply, refusals
and blocks are counted with codes and reasons, per business and per category; every key is documented."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from service_helpers import until

from tui_messenger.domain.clock import ManualClock
from tui_messenger.domain.models import BlockReason, FeedbackKind, MessageKind
from tui_messenger.services.service import MessengerService
from tui_messenger.transport.fake import FakePeer

DOCS = Path(__file__).resolve().parents[2] / "docs" / "report.md"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui_messenger", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ,
    )


async def _stopped_world(db) -> MessengerService:
    """The default world after: a day ahead, STOP to MegaDeals, its next promotion refused, "Spam" on its
    first promotion, N0rdbank blocked as spam, and an answer to Nordbank."""
    clock = ManualClock()
    peer = FakePeer.for_scenario("default", clock=clock)
    service = MessengerService(db, peer, clock=clock, user_id=peer.user_id)
    await service.start()
    await until(service, lambda: service.settings.sync_token() is not None and service.idle)
    await service.jump_ahead(86_400)
    await until(service, lambda: service.idle)
    mega = await service.chat_for_account("megadeals")
    first = next(m for m in await service.latest_page(mega.chat.id) if m.kind is MessageKind.TEMPLATE)
    await service.give_feedback(first.message_id, FeedbackKind.SPAM)
    await service.send_text(mega.chat.id, "STOP")
    await service.jump_ahead(60)
    nordbank = await service.chat_for_account("nordbank")
    await service.send_text(nordbank.chat.id, "balance")
    await service.block("nordbank-support", BlockReason.SPAM)
    await until(service, lambda: service.outbox_repo.all() == [] and service.idle)
    return service


async def test_stop_is_a_stop_not_a_reply(db) -> None:
    service = await _stopped_world(db)
    before = await service.pilot_report()
    rows = {row["id"]: row for row in before["businesses"]}
    mega = rows["megadeals"]
    assert (mega["stops"], mega["replies"]) == (1, 0)
    assert mega["refused"] == 1 and mega["refused_codes"] == {"131050": 1}
    assert mega["spam"] == 1 and mega["categories"]["marketing"]["spam"] == 1
    assert mega["categories"]["marketing"]["stops"] == 1 and mega["categories"]["marketing"]["refused"] == 1
    assert mega["negative_signals"] == 2  # the spam answer and the stop
    assert mega["negative_per_100"] == round(200 / mega["delivered"], 1)
    fake = rows["nordbank-support"]
    assert fake["blocks"] == 1 and fake["block_reasons"] == {BlockReason.SPAM.value: 1}
    assert rows["nordbank"]["replies"] >= 1
    totals = before["categories"]
    assert totals["marketing"]["stops"] == 1
    assert sum(c["delivered"] for c in totals.values()) == sum(r["delivered"] for r in rows.values())
    await service.stop()


async def test_report_command_after_the_subcommand_db_and_documented_keys(db, db_path: Path) -> None:
    service = await _stopped_world(db)
    await service.stop()
    result = run_cli("report", "--json", "--db", str(db_path))  # --db after the subcommand
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    mega = next(row for row in figures["businesses"] if row["name"] == "MegaDeals 24")
    assert (mega["stops"], mega["replies"]) == (1, 0)
    documented = set(re.findall(r"`([a-z_0-9]+)`", DOCS.read_text(encoding="utf-8")))
    keys = set(figures) | set(mega) | set(mega["categories"]) | set(mega["categories"]["marketing"])
    assert keys <= documented, keys - documented
    text = run_cli("--db", str(db_path), "report")
    assert text.returncode == 0, text.stderr
    header = text.stdout.splitlines()[1].split()
    assert "delivered" in header and "sent" not in header  # named as in the JSON
    line = next(line for line in text.stdout.splitlines() if line.startswith("MegaDeals 24"))
    assert "refused: 131050 1" in text.stdout and line


async def test_spam_wave_refusals_are_lines_and_figures(db) -> None:
    """131049 (no opt-in), 131048 (tier) and 131047 (free-form outside the window): each a dimmed line in
    the business's chat (a chat opened as a request when there was none) and a figure with its code."""
    clock = ManualClock()
    peer = FakePeer.for_scenario("spam-wave", clock=clock)
    service = MessengerService(db, peer, clock=clock, user_id=peer.user_id)
    await service.start()
    await until(service, lambda: service.settings.sync_token() is not None and service.idle)
    await service.jump_ahead(3600)
    await until(service, lambda: service.idle)
    expected = {(e.actor, e.code) for e in peer.failures()}
    assert {code for _, code in expected} >= {131047, 131048, 131049}
    rows = {row["id"]: row for row in (await service.pilot_report())["businesses"]}
    for business, code in expected:
        assert rows[business]["refused_codes"].get(str(code)), (business, code)
    prize = await service.chat_for_account("prizeclub")
    assert prize is not None and prize.chat.is_request and prize.chat.unread_count == 0
    (line,) = await service.latest_page(prize.chat.id)
    assert line.kind is MessageKind.SYSTEM and line.body.startswith("Refused by the platform (131049):")
    assert rows["prizeclub"]["delivered"] == 0 and rows["prizeclub"]["negative_per_100"] is None
    assert rows["megadeals"]["categories"]["service"]["refused_codes"] == {"131047": 1}
    await service.stop()
