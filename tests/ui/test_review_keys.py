"""The review screen's Anki keys and flows: space/enter, a footer that follows the state, the
new/learning/review counts, flags (ctrl+1..4 and the f menu), card info, escape's summary,
the end screen's next card, scrolling a long card, one deck from the CLI's --deck."""

from __future__ import annotations

from studyapp.core.cards import CardSpec
from studyapp.ui.screens.card_info import CardInfoScreen
from studyapp.ui.screens.flag_menu import FlagMenu
from studyapp.ui.screens.review import ReviewScreen

from .conftest import SPECS, wait_until


def _footer(screen) -> dict[str, str]:
    """key -> action of the bindings the footer shows now."""
    return {k: b.binding.action for k, b in screen.active_bindings.items() if b.binding.show}


def _counts(screen) -> str:
    return str(screen.query_one("#review-counts").render())


async def test_space_and_enter_show_then_rate_good_and_the_footer_follows(make_app):
    app = make_app(start="review")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert _footer(screen)["space"] == "reveal"
        first = screen.card.key
        await pilot.press("enter")
        assert screen.revealed and _footer(screen)["space"] == "good"
        await pilot.press("enter")  # Good
        assert [h["rating"] for h in app.storage.card_history(first)] == [3]
        assert not screen.revealed and _footer(screen)["space"] == "reveal"
        second = screen.card.key
        await pilot.press("space", "space")  # show, then Good
        assert [h["rating"] for h in app.storage.card_history(second)] == [3]


async def test_counts_move_between_new_learning_and_review(make_app):
    app = make_app(start="review")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert _counts(screen) == "4 new · 0 learning · 0 review"
        await pilot.press("space", "1")  # Again: the new card is a learning card now
        assert _counts(screen) == "3 new · 1 learning · 0 review"
        await pilot.press("space", "4")  # Easy: out of today's queues
        assert _counts(screen) == "2 new · 1 learning · 0 review"


async def test_flags_by_ctrl_digit_and_by_the_f_menu(make_app):
    app = make_app(start="review")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        key = screen.card.key
        await pilot.press("ctrl+1")
        assert app.storage.get_card(key).flag == 1
        assert "⚑ red" in str(screen.query_one("#review-deck").render())
        assert screen.query_one("#review-card").has_class("flag-1")
        await pilot.press("ctrl+1")  # the same flag again takes it off
        assert app.storage.get_card(key).flag == 0
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FlagMenu)
        await pilot.press("3")
        await pilot.pause()
        assert app.screen is screen and app.storage.get_card(key).flag == 3
        await pilot.press("f", "0")
        await pilot.pause()
        assert app.storage.get_card(key).flag == 0 and screen.card.key == key


def _plain(static) -> str:
    """The text a Static shows (tables included), as the terminal would print it."""
    import io

    from rich.console import Console

    console = Console(width=100, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


async def test_card_info_shows_history_and_memory(make_app):
    app = make_app(start="review", specs=SPECS[:1])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("space", "3")  # Good: learning, shown again (nothing else left)
        await pilot.press("i")
        await pilot.pause()
        info = app.screen
        assert isinstance(info, CardInfoScreen)
        figures = _plain(info.query_one("#info-figures"))
        assert "Retrievability  100% chance of recall now" in figures
        assert "State           learning" in figures and "Stability" in figures
        history = _plain(info.query_one("#info-history"))
        assert "Good" in history and "10 min" in history
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_escape_mid_session_shows_the_summary_then_leaves(make_app):
    app = make_app(start="review")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("space", "3", "escape")
        summary = str(screen.query_one("#review-summary").render())
        assert "Session paused" in summary and "cards reviewed   1" in summary
        assert "Good 1" in summary and "left now: 3 new · 1 learning · 0 review" in summary
        assert _footer(screen).get("enter") == "go_on" and "space" not in _footer(screen)
        await pilot.press("enter")  # go on
        assert screen.card is not None and not screen.paused
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"


async def test_the_end_screen_says_when_the_next_card_comes(make_app):
    app = make_app(start="review", specs=SPECS[:2])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.storage.save_settings({"learning_steps_min": [30.0]})
        screen = app.screen
        await pilot.press("space", "1", "space", "4")  # Again (30 min step), Easy
        assert screen.card is None
        summary = str(screen.query_one("#review-summary").render())
        assert "Session finished" in summary and "next card in 30 min" in summary


async def test_a_long_card_scrolls_with_the_keyboard(make_app):
    long = CardSpec.plain(
        "long::x", "long", "x", "terms", "DL::Terms", "A long card?", "\n".join(map(str, range(80)))
    )
    app = make_app(start="review", specs=[long])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("space")
        view = screen.query_one("#review-card")
        assert view.max_scroll_y > 0 and view.scroll_y == 0
        await pilot.press("down", "down")
        await wait_until(pilot, lambda: view.scroll_y == 2)
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: view.scroll_y > 5)
        await pilot.press("space")  # still rates Good
        assert [h["rating"] for h in app.storage.card_history("long::x")] == [3]


async def test_review_one_deck_from_the_start(make_app):
    app = make_app(start="review", deck="optimizers")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.card.topic == "optimizers" and screen.sub_title == "Review · Optimizers"
        assert _counts(screen) == "1 new · 0 learning · 0 review"
        await pilot.press("space", "4")
        assert screen.card is None
