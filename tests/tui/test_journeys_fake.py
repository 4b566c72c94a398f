"""User journeys on the in-memory messenger double, by keyboard and by mouse."""

from __future__ import annotations

from typing import Any

from app_helpers import (
    SIZE,
    footer,
    highlighted_command,
    make_app,
    open_chat_by_keyboard,
    select_in_view,
    settle,
    text,
    toasts,
    until_dialog,
    view_text,
    wait_for,
)
from fake_messenger import demo_world
from textual.pilot import Pilot

from tui_messenger.domain.models import FeedbackKind, MessageKind, TemplateCategory
from tui_messenger.tui.widgets.composer import Composer
from tui_messenger.tui.widgets.interactive_panel import InteractivePanel
from tui_messenger.tui.widgets.message_view import MessageView

ANNA, BANK, AIR, DEALS, FAKE = 1, 2, 3, 4, 5


async def typing_goes_to_the_composer(pilot: Pilot[Any]) -> None:
    """After a press in the panel under the history (gone, or its buttons disabled): the next keys are
    typed into the composer (they went nowhere, the focus gone with the pressed button)."""
    await pilot.press(*"ok")
    composer = pilot.app.screen.query_one(Composer)
    assert composer.has_focus and composer.text == "ok"


async def test_main_screen_shows_the_chat_list_with_badges_and_warning() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = text(pilot)
        for name in ("Anna Becker", "Nordbank", "SkyWays Airlines", "MegaDeals 24"):
            assert name in screen
        assert "✔ Nordbank" in screen and "✔ SkyWays Airlines" in screen
        assert "✔ MegaDeals" not in screen
        assert "looks like Nordbank" in screen
        assert m.started


async def test_open_chat_and_send_by_keyboard_gets_a_reply() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, ANNA)
        assert isinstance(pilot.app.focused, Composer)
        assert "Hi! Are we still on for lunch?" in view_text(pilot)
        await pilot.press(*"Yes :thumbsup:", "enter")
        await settle(pilot)
        assert m.sent[-1] == (ANNA, "Yes 👍", None)
        shown = view_text(pilot)
        assert "Yes 👍" in shown and "Got it: Yes 👍" in shown
        assert "✓✓" in shown  # delivered ticks
        assert m.chats[ANNA].unread_count == 0


async def test_open_chat_and_send_by_mouse() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        options = pilot.app.screen.query_one("#chat-options")
        index = options.get_option_index(str(ANNA))
        options.highlighted = index
        await pilot.click(
            options,
            offset=(
                5,
                options.scroll_offset.y
                + sum(options.get_option_at_index(i).prompt.plain.count("\n") + 1 for i in range(index)),
            ),
        )  # rows are several lines high: click the first line of Anna's row
        await settle(pilot)
        assert pilot.app.screen.conversation.chat_id == ANNA
        composer = pilot.app.screen.query_one(Composer)
        await pilot.click(composer)
        composer.text = "See you at noon"
        await pilot.press("enter")
        await settle(pilot)
        assert "Got it: See you at noon" in view_text(pilot)


async def test_shift_enter_and_ctrl_j_insert_newlines() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, ANNA)
        await pilot.press("a", "shift+enter", "b", "ctrl+j", "c")
        assert pilot.app.screen.query_one(Composer).text == "a\nb\nc"
        await pilot.press("enter")
        await settle(pilot)
        assert m.sent[-1][1] == "a\nb\nc"


async def test_answer_buttons_by_keyboard_then_disabled() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, BANK)
        panel = pilot.app.screen.query_one(InteractivePanel)
        first = panel.query_one("#choice-0")
        first.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert m.choices == [(BANK, panel.message.message_id, "yes")]
        assert not pilot.app.screen.query(InteractivePanel)  # answered: the panel is gone
        assert "answered" in view_text(pilot)
        await typing_goes_to_the_composer(pilot)


async def test_answer_list_by_mouse() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, AIR)
        panel = pilot.app.screen.query_one(InteractivePanel)
        rows = panel.query_one("#choice-list")
        await pilot.click(rows, offset=(3, 3))  # border, then row 1 (title + description), then row 2
        await settle(pilot)
        assert m.choices and m.choices[0][2] == "12C"
        await typing_goes_to_the_composer(pilot)


async def test_stop_and_resume_promotions_from_the_header() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, DEALS)
        assert "Template · marketing" in view_text(pilot)
        await pilot.click("#header-stop-promotions")
        await settle(pilot)
        assert (await m.consent("megadeals")).marketing_stopped
        assert "Resume promotions" in text(pilot)
        await pilot.click("#header-resume-promotions")
        await settle(pilot)
        assert not (await m.consent("megadeals")).marketing_stopped


async def test_feedback_prompt_under_business_initiated_message() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, DEALS)
        assert "Was this message useful?" in text(pilot)
        await pilot.click("#feedback-spam")
        await settle(pilot)
        assert list(m.feedback.values()) == [FeedbackKind.SPAM]
        assert "Was this message useful?" not in text(pilot)
        await wait_for(pilot, lambda: bool(toasts(pilot)))  # spam: says what stops them
        assert toasts(pilot)[-1].endswith("To stop their messages, block them (ctrl+b); ctrl+r reports them.")
        await typing_goes_to_the_composer(pilot)


async def test_request_banner_continue() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, FAKE)
        screen = text(pilot)
        assert "Unknown business" in screen and "looks like Nordbank" in screen
        await pilot.click("#request-continue")
        await settle(pilot)
        assert not m.chats[FAKE].is_request
        assert "Unknown business" not in text(pilot)


async def test_block_from_the_request_banner_hides_everything() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, FAKE)
        await pilot.click("#request-block")
        await until_dialog(pilot)
        await pilot.click("#block-confirm")
        await settle(pilot)
        assert "n0rdbank" in m.blocks and m.reports  # "Also report" is checked by default
        screen = text(pilot)
        assert "You blocked this contact." in screen
        assert not pilot.app.screen.query_one(Composer).display
        m.put(m.make(FAKE, "still here?"), emit=True)  # a service would drop it; the view must not grow
        await pilot.click("#blocked-unblock")
        await settle(pilot)
        assert "n0rdbank" not in m.blocks
        assert pilot.app.screen.query_one(Composer).display


async def test_block_by_key_with_ctrl_b() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, DEALS)
        await pilot.press("ctrl+b")
        await until_dialog(pilot)
        await pilot.click("#block-confirm")
        await settle(pilot)
        assert "megadeals" in m.blocks
        assert "You blocked this contact." in text(pilot)


async def test_reply_to_and_jump_to_quoted() -> None:
    m = demo_world()
    for i in range(80):
        m.put(m.make(ANNA, f"filler {i}"))
    await m.mark_read(ANNA)  # read: the chat opens at the newest page, not at a first unread message
    first = m.messages[ANNA][0]
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, ANNA)
        view = pilot.app.screen.query_one(MessageView)
        view.focus()
        await pilot.press("up", "enter")  # select the newest, reply to it
        assert pilot.app.screen.conversation.reply_to is not None
        assert "Replying to" in text(pilot)
        await pilot.press(*"ok", "enter")
        await settle(pilot)
        assert m.sent[-1][2] == "m" + str(
            m.messages[ANNA][-3].id
        )  # the message before our reply and its echo
        # a reply to a message that is not loaded: jump loads the page around it
        m.put(m.make(ANNA, "about that", reply_to=first.message_id), emit=True)
        await settle(pilot)
        view.focus()
        await pilot.press("end")
        await settle(pilot)
        assert "Jump to quoted" in footer(pilot)  # offered on a message that quotes another
        await pilot.press("j")
        await settle(pilot)
        assert view.selected_message is not None and view.selected_message.message_id == first.message_id


async def test_search_and_jump() -> None:
    m = demo_world()
    for i in range(120):
        m.put(m.make(ANNA, f"chatter {i}"))
    m.messages[ANNA].insert(0, m.make(ANNA, "the secret pineapple", at=m.messages[ANNA][0].sent_at))
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await until_dialog(pilot)
        search = pilot.app.screen.query_one("Input")
        search.value = "pineapple"
        await wait_for(pilot, lambda: pilot.app.screen.query_one("#search-results").option_count > 0)
        await pilot.press("down", "enter")
        await settle(pilot)
        view = pilot.app.screen.query_one(MessageView)
        assert view.selected_message is not None and "pineapple" in view.selected_message.body
        assert "the secret pineapple" in view_text(pilot)


async def test_palette_opens_a_chat_by_name() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"anna")
        await wait_for(pilot, lambda: "Open chat: Anna Becker" in highlighted_command(pilot))
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen.conversation.chat_id == ANNA


async def test_palette_jump_ahead_closes_the_window() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, BANK)
        pilot.app.screen.query_one(Composer).text = "hello bank"
        await pilot.press("enter")
        await settle(pilot)
        assert "Window open until" in text(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"jump ahead")
        await wait_for(pilot, lambda: "Jump ahead 24 hours" in highlighted_command(pilot))
        await pilot.press("enter")
        await settle(pilot)
        assert "Window closed — only you can reopen it by writing" in text(pilot)


async def test_flags_by_key_and_archived_entry() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        options = pilot.app.screen.query_one("#chat-options")
        options.focus()
        options.highlighted = options.get_option_index(str(DEALS))
        await pilot.press("p")
        await settle(pilot)
        assert m.chats[DEALS].pinned
        assert options.get_option_at_index(0).id == str(DEALS)
        options.highlighted = options.get_option_index(str(ANNA))
        await pilot.press("m", "a")
        await settle(pilot)
        assert m.chats[ANNA].muted and m.chats[ANNA].archived
        assert "Archived (1)" in text(pilot)
        options.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert "Back to chats" in text(pilot) and "Anna Becker" in text(pilot)


async def test_draft_is_saved_and_restored() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, ANNA)
        pilot.app.screen.query_one(Composer).text = "half a thought"
        await open_chat_by_keyboard(pilot, BANK)
        assert m.drafts[ANNA] == "half a thought"
        assert pilot.app.screen.query_one(Composer).text == ""
    async with make_app(m).run_test(size=SIZE) as pilot:  # a restart
        await settle(pilot)
        await open_chat_by_keyboard(pilot, ANNA)
        assert pilot.app.screen.query_one(Composer).text == "half a thought"
        await pilot.press(*" goes on")  # typed after the draft, not before it
        assert pilot.app.screen.query_one(Composer).text == "half a thought goes on"


async def test_failed_message_retries_on_enter() -> None:
    from tui_messenger.domain.models import MessageStatus

    m = demo_world()
    failed = m.put(m.make(ANNA, "lost in space", outgoing=True, status=MessageStatus.FAILED))
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, ANNA)
        assert "Not sent" in view_text(pilot)
        view = pilot.app.screen.query_one(MessageView)
        await select_in_view(pilot, view, failed.message_id)
        await pilot.press("enter")
        await settle(pilot)
        assert "Not sent" not in view_text(pilot)


async def test_notification_toast_for_other_chats_only() -> None:
    from tui_messenger.domain.events import Notified

    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, ANNA)
        m.emit(Notified(BANK, "Nordbank [b]x[/b]", "New [@click=app.quit]offer[/]"))
        await settle(pilot)
        notes = list(pilot.app.shown_toasts)
        assert notes and notes[-1].message == "New [@click=app.quit]offer[/]" and not notes[-1].markup


async def test_template_marked_with_category() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, BANK)
        assert "Template · utility" in view_text(pilot)
        assert "✔ Verified" in text(pilot)
        assert any(
            x.kind is MessageKind.TEMPLATE and x.template_category is TemplateCategory.UTILITY
            for x in m.messages[BANK]
        )
