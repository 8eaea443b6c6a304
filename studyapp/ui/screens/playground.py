"""The playground: train a small network on 2-D points and race the optimizers, live.

Two views in tabs. **Train**: pick the data set, hidden layers, activation, output and loss,
optimizer and learning rate; the decision boundary is drawn as a half-block heatmap with the
points on it, next to the loss curve and each layer's gradient norm on a log scale. **Race**: the
optimizers' paths drawn step by step on a contour picture of a test surface, with a legend giving
each one's f (or "diverged"); change the learning rate and watch SGD crawl or blow up.

Each view's simulation runs on its own worker thread (``studyapp.ui.live.LiveLoop``): the view
sends it commands and draws the frames it posts back, counting its redraws for the fps figure in
its corner. Leaving a view pauses it.

``PlaygroundScreen(preset=NAME)`` opens one of ``studyapp.core.playground.PRESETS`` (the hook a
card uses to show what it teaches).
"""

from __future__ import annotations

import dataclasses
from abc import abstractmethod
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Select, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from engine.activations import HIDDEN_ACTIVATIONS
from engine.optimizers import OPTIMIZERS
from engine.playground.datasets import DATASETS
from engine.playground.race import RACE_HYPERPARAMETERS
from engine.playground.surfaces import SURFACES
from engine.playground.trainer import TrainConfig
from studyapp.core.playground import (
    DEFAULT_TRAIN,
    OUTPUTS,
    PRESETS,
    Preset,
    RaceSetup,
    next_lr,
    output_layer,
    parse_hidden,
    parse_lr,
)
from studyapp.ui.app import _one_line
from studyapp.ui.live import FrameCounter, LiveLoop
from studyapp.ui.screens.playground_runs import (
    RaceFrame,
    RaceRun,
    TrainFrame,
    TrainRun,
    next_speed,
)
from studyapp.ui.widgets.half_block import HalfBlockImage
from studyapp.ui.widgets.log_bars import LogBars
from studyapp.ui.widgets.series_plot import SeriesPlot

#: Every optimizer the race can run, in legend order (keys 1–8 toggle them).
RACE_OPTIMIZERS: tuple[str, ...] = tuple(RACE_HYPERPARAMETERS)


class LiveFrame(Message):
    """A frame from a view's worker; ``running`` says whether the worker goes on."""

    def __init__(self, frame, running: bool) -> None:
        super().__init__()
        self.frame = frame
        self.running = running


class LiveError(Message):
    """A command or step failed on the worker (one line for the user)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


def _lr_text(lr: float | None) -> str:
    return "default" if lr is None else f"{lr:g}"


def one_line_error(exc: Exception) -> str:
    """An option error for the user: one line, without the CLI's "--" before the option name."""
    return _one_line(exc).removeprefix("--")


class Run(Protocol):
    """What a view asks of its simulation (a TrainRun or a RaceRun), besides its frames."""

    speed: int

    def advance(self) -> bool: ...
    def frame(self) -> Any: ...
    def resize(self, width: int, height: int) -> None: ...
    def step(self, n: int = 1) -> None: ...
    def reset(self) -> None: ...
    def set_speed(self, speed: int) -> None: ...


R = TypeVar("R", bound=Run)  # the view's simulation
FrameT = TypeVar("FrameT")  # and its frames


class LiveView(Vertical, Generic[R, FrameT]):
    """A view whose simulation runs in a worker thread (a :class:`LiveLoop`).

    Subclasses give the simulation and define ``draw(frame)`` (show a frame, on the UI thread)
    and ``change_lr(direction)``; this class starts the worker, passes commands, draws frames as
    they come and counts the redraws (``counter``).
    """

    def __init__(self, simulation: R, *, id: str) -> None:
        super().__init__(id=id)
        self.loop: LiveLoop[R, FrameT] = LiveLoop(simulation, self._deliver, self._report)
        self.speed = simulation.speed  # the UI's copy: the simulation belongs to the worker
        self.counter = FrameCounter()
        self.running = False
        self.frame: FrameT | None = None
        self._rejected: tuple[str | None, str] | None = None  # the bad field value last reported

    def on_mount(self) -> None:
        self.run_worker(self._work, thread=True, group=f"live-{self.id}", exit_on_error=False)

    def _work(self) -> None:
        worker = get_current_worker()
        self.loop.run(lambda: worker.is_cancelled)

    # worker thread -> UI (post_message is thread-safe)
    def _deliver(self, frame: FrameT, running: bool) -> None:
        self.post_message(LiveFrame(frame, running))

    def _report(self, text: str) -> None:
        self.post_message(LiveError(text))

    def on_live_frame(self, message: LiveFrame) -> None:
        message.stop()
        self.frame, self.running = message.frame, message.running
        self.draw(message.frame)
        self.counter.tick()
        self.loop.frame_drawn()
        # Per-frame texts sit in boxes of fixed size (playground.tcss), so no layout pass.
        self.query_one(".pg-fps", Static).update(
            f"{self.counter.per_second():.0f} fps" if self.running else "paused", layout=False
        )

    @abstractmethod
    def draw(self, frame: FrameT) -> None:
        """Show ``frame`` (on the UI thread)."""

    @abstractmethod
    def change_lr(self, direction: int) -> None:
        """The next learning rate up (+1) or down (−1)."""

    def on_live_error(self, message: LiveError) -> None:
        message.stop()
        self.notify(message.text, severity="error", markup=False)

    def on_half_block_image_resized(self, message: HalfBlockImage.Resized) -> None:
        message.stop()
        width, height = message.image.pixel_size
        self.loop.send(lambda run: run.resize(width, height))

    # UI -> worker
    def toggle(self) -> None:
        self.loop.set_running(None)

    def pause(self) -> None:
        self.loop.set_running(False)

    def step(self) -> None:
        """Pause and take one step."""
        self.loop.set_running(False)
        self.loop.send(lambda run: run.step(1))

    def reset(self) -> None:
        self.loop.send(lambda run: run.reset())

    def change_speed(self, direction: int) -> None:
        self.speed = speed = next_speed(self.speed, direction)
        self.loop.send(lambda run: run.set_speed(speed))

    def field_done(
        self, event: Input.Submitted | Input.Blurred, apply: Callable[[str], object], shown: str
    ) -> None:
        """Apply a text field when it is submitted (enter) or left. A bad value is one line in
        a notification (once per value); leaving the field then puts back ``shown``, the value
        in use. After enter the focus leaves the field, so the view's keys work again."""
        event.stop()
        field = event.input
        try:
            apply(field.value)
        except ValueError as exc:
            if self._rejected != (field.id, field.value):
                self.notify(one_line_error(exc), severity="error", markup=False)
            self._rejected = (field.id, field.value)
            if isinstance(event, Input.Blurred):
                field.value = shown
            return
        self._rejected = None
        if isinstance(event, Input.Submitted):
            self.screen.set_focus(None)

    def show_note(self, preset: Preset | None) -> None:
        note = self.query_one(".pg-note", Static)
        note.display = preset is not None
        if preset is not None:
            note.update(Text(preset.note))


def _option(label: str, widget) -> ComposeResult:
    yield Label(label, classes="pg-label")
    yield widget


class TrainView(LiveView[TrainRun, TrainFrame]):
    """The decision boundary, loss curve and gradient norms of a network as it trains."""

    def __init__(self, config: TrainConfig) -> None:
        self.config = config
        super().__init__(TrainRun(config), id="pg-train")

    def compose(self) -> ComposeResult:
        c = self.config
        with Horizontal(classes="pg-options"):
            yield from _option("data", _select("pg-dataset", DATASETS, c.dataset))
            yield from _option("hidden", _input("pg-hidden", _hidden_text(c.layers), r"[0-9, ]*"))
            yield from _option("act", _select("pg-activation", HIDDEN_ACTIVATIONS, c.activation))
            yield from _option(
                "out",
                Select(
                    [(f"{a} · {loss}", (a, loss)) for a, loss in OUTPUTS],
                    value=(c.output_activation, c.loss),
                    allow_blank=False,
                    compact=True,
                    id="pg-output",
                ),
            )
        with Horizontal(classes="pg-options"):
            yield from _option("optimizer", _select("pg-optimizer", tuple(OPTIMIZERS), c.optimizer))
            yield from _option("lr", _input("pg-lr", f"{c.lr:g}", r"[0-9.eE+\-]*"))
            yield Static("", id="pg-train-seed", classes="pg-info")
        with Horizontal(classes="pg-body"):
            yield HalfBlockImage(id="pg-heatmap")
            with Vertical(classes="pg-side"):
                yield SeriesPlot("loss (log scale)", id="pg-loss")
                yield Label("|∂L/∂Wᵐ| per layer (log scale)", classes="pg-caption")
                yield LogBars(id="pg-grads")
        yield Static("", classes="pg-note")
        with Horizontal(classes="pg-status"):
            yield Static("", id="pg-train-status", classes="pg-status-text")
            yield Static("paused", classes="pg-fps")

    def draw(self, frame: TrainFrame) -> None:
        e = frame.evaluation
        self.query_one("#pg-heatmap", HalfBlockImage).show(frame.strips)
        self.query_one("#pg-loss", SeriesPlot).show(frame.loss_steps, frame.loss_values)
        self.query_one("#pg-grads", LogBars).show(
            [f"W{m}" for m in range(1, len(e.grad_norms) + 1)], e.grad_norms
        )
        state = "  [b]diverged[/b] (r resets)" if frame.diverged else ""
        self.query_one("#pg-train-status", Static).update(
            f"step {e.step} · loss {e.loss:.4g} · accuracy {e.accuracy:.1%} · "
            f"{frame.speed} steps/frame{state}",
            layout=False,
        )
        self.query_one("#pg-train-seed", Static).update(
            f"{'-'.join(map(str, frame.config.layers))} · seed {frame.config.seed}", layout=False
        )

    def apply(self, **changes) -> None:
        """Restart with the config changed as given (the same seed: the same data and start).
        Raises OptionError (a ValueError) naming the option for a bad combination."""
        config = dataclasses.replace(self.config, **changes)
        if config == self.config:
            return
        config.validate()
        self.config = config
        self.loop.send(lambda run: run.configure(config))

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        field = {
            "pg-dataset": "dataset",
            "pg-activation": "activation",
            "pg-optimizer": "optimizer",
        }.get(event.select.id or "")
        # every select here has allow_blank=False: its value is one of its options
        changes: dict[str, Any] = {field: event.value} if field else {}
        if event.select.id == "pg-output":
            activation, loss = cast(tuple[str, str], event.value)
            layers = (*self.config.layers[:-1], output_layer(activation))
            changes = {"output_activation": activation, "loss": loss, "layers": layers}
        try:
            self.apply(**changes)
        except ValueError as exc:
            self.notify(one_line_error(exc), severity="error", markup=False)

    @on(Input.Submitted, "#pg-hidden")
    @on(Input.Blurred, "#pg-hidden")
    def _hidden_done(self, event: Input.Submitted | Input.Blurred) -> None:
        def apply(text: str) -> None:
            self.apply(layers=(2, *parse_hidden(text), self.config.layers[-1]))

        self.field_done(event, apply, _hidden_text(self.config.layers))

    @on(Input.Submitted, "#pg-lr")
    @on(Input.Blurred, "#pg-lr")
    def _lr_done(self, event: Input.Submitted | Input.Blurred) -> None:
        self.field_done(event, lambda text: self.apply(lr=parse_lr(text)), f"{self.config.lr:g}")

    def change_lr(self, direction: int) -> None:
        lr = next_lr(self.config.lr, direction)
        self.apply(lr=lr)
        self.query_one("#pg-lr", Input).value = f"{lr:g}"

    def swap_activation(self) -> None:
        """sigmoid ↔ tanh (any other goes to sigmoid): the same seed, so the two are compared
        from the same data and the same start."""
        following = "tanh" if self.config.activation == "sigmoid" else "sigmoid"
        self.query_one("#pg-activation", Select).value = following

    def new_seed(self) -> None:
        self.apply(seed=self.config.seed + 1)


class RaceView(LiveView[RaceRun, RaceFrame]):
    """The optimizers' paths on a contour picture of a surface, with a legend."""

    def __init__(self, setup: RaceSetup) -> None:
        self.setup = setup
        super().__init__(RaceRun(setup), id="pg-race")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="pg-options"):
            yield from _option(
                "surface", _select("pg-surface", tuple(SURFACES), self.setup.surface)
            )
            yield from _option(
                "lr", _input("pg-race-lr", _lr_text(self.setup.lr), r"[0-9a-zA-Z.+\-]*")
            )
            yield Static("", id="pg-formula", classes="pg-info")
        with Horizontal(classes="pg-body"):
            yield HalfBlockImage(id="pg-contour")
            yield Static("", id="pg-legend")
        yield Static("", classes="pg-note")
        with Horizontal(classes="pg-status"):
            yield Static("", id="pg-race-status", classes="pg-status-text")
            yield Static("paused", classes="pg-fps")

    def draw(self, frame: RaceFrame) -> None:
        self.query_one("#pg-contour", HalfBlockImage).show(frame.strips)
        surface = SURFACES[frame.setup.surface]
        self.query_one("#pg-formula", Static).update(
            Text(f"{surface.formula}  from ({surface.start[0]:g}, {surface.start[1]:g})"),
            layout=False,
        )
        self.query_one("#pg-legend", Static).update(legend(frame), layout=False)
        done = "  finished (r runs it again)" if frame.finished else ""
        self.query_one("#pg-race-status", Static).update(
            f"step {frame.t}/{frame.horizon} · lr {_lr_text(frame.setup.lr)} · "
            f"{frame.speed} steps/frame{done}",
            layout=False,
        )

    def apply(self, setup: RaceSetup) -> None:
        """Start the race over with ``setup`` (unless nothing changed)."""
        if setup != self.setup:
            self.setup = setup
            self.loop.send(lambda run: run.configure(setup))

    @on(Select.Changed, "#pg-surface")
    def _surface_changed(self, event: Select.Changed) -> None:
        event.stop()
        surface = cast(str, event.value)  # allow_blank=False: one of the surfaces' names
        self.apply(dataclasses.replace(self.setup, surface=surface))

    @on(Input.Submitted, "#pg-race-lr")
    @on(Input.Blurred, "#pg-race-lr")
    def _lr_done(self, event: Input.Submitted | Input.Blurred) -> None:
        def apply(text: str) -> None:
            self.apply(dataclasses.replace(self.setup, lr=parse_lr(text, allow_default=True)))

        self.field_done(event, apply, _lr_text(self.setup.lr))

    def change_lr(self, direction: int) -> None:
        lr = next_lr(self.setup.lr, direction)
        self.query_one("#pg-race-lr", Input).value = _lr_text(lr)
        self.apply(dataclasses.replace(self.setup, lr=lr))

    def toggle_optimizer(self, index: int) -> None:
        """Add or remove the index-th optimizer of RACE_OPTIMIZERS (at least one stays)."""
        if not 0 <= index < len(RACE_OPTIMIZERS):
            return
        name = RACE_OPTIMIZERS[index]
        chosen = set(self.setup.optimizers) ^ {name}
        if not chosen:
            self.notify("At least one optimizer races.", severity="warning")
            return
        ordered = tuple(n for n in RACE_OPTIMIZERS if n in chosen)
        self.apply(dataclasses.replace(self.setup, optimizers=ordered))


def legend(frame: RaceFrame) -> Text:
    """Key, colour, name and f (or "diverged") of each optimizer; keys toggle them."""
    text = Text(no_wrap=True, overflow="ellipsis")
    states = {r.name: r for r in frame.runners}
    for key, name in enumerate(RACE_OPTIMIZERS, start=1):
        state = states.get(name)
        if state is None:
            text.append(f"{key} ○ {name}\n", style="dim")
            continue
        text.append(f"{key} ")
        text.append("● ", style="rgb({},{},{})".format(*state.rgb))
        text.append(f"{name:<9}")
        if state.diverged:
            text.append(f"diverged at {state.steps + 1}", style="bold red")
        else:
            text.append(f"f {state.f:.3g}")
        text.append("\n")
    text.append("1–8 toggle", style="dim")
    return text


def _select(id: str, names, value: str) -> Select:
    return Select([(n, n) for n in names], value=value, allow_blank=False, compact=True, id=id)


def _input(id: str, value: str, restrict: str) -> Input:
    return Input(value=value, restrict=restrict, compact=True, id=id)


def _hidden_text(layers: tuple[int, ...]) -> str:
    return ",".join(map(str, layers[1:-1]))


#: The footer shows [ and ] as one item.
_LR_KEYS = Binding.Group("lr", compact=True)


class PlaygroundScreen(Screen):
    """The playground's two views in tabs; ``preset`` opens one of PRESETS (its view first),
    ``view`` picks the first tab otherwise, ``start`` sets it running at once."""

    CSS_PATH = "playground.tcss"
    SUB_TITLE = "Playground"
    AUTO_FOCUS = "Tabs"  # ← → switch views; the view's keys pass through the tabs

    BINDINGS = [
        Binding("space", "toggle_run", "Run/pause", priority=True),
        Binding("n", "step", "Step"),
        Binding("r", "reset", "Reset"),
        Binding("left_square_bracket", "lr(-1)", "Lower lr", key_display="[", group=_LR_KEYS),
        Binding("right_square_bracket", "lr(1)", "Raise lr", key_display="]", group=_LR_KEYS),
        Binding("v", "switch_view", "View"),
        Binding("escape", "back", "Back"),
        Binding(
            "plus,equals_sign", "speed(1)", "More steps per frame", key_display="+", show=False
        ),
        Binding("minus", "speed(-1)", "Fewer steps per frame", key_display="-", show=False),
        Binding("a", "swap_activation", "sigmoid ↔ tanh (train)", show=False),
        Binding("s", "new_seed", "New data and start (train)", show=False),
        *(
            Binding(str(i), f"toggle_optimizer({i - 1})", f"Toggle {name} (race)", show=False)
            for i, name in enumerate(RACE_OPTIMIZERS, start=1)
        ),
    ]

    def __init__(
        self, preset: str | None = None, view: str | None = None, start: bool = False
    ) -> None:
        if preset is not None and preset not in PRESETS:
            raise ValueError(
                f"unknown playground preset {preset!r} (allowed: {', '.join(PRESETS)})"
            )
        if view not in (None, "train", "race"):
            raise ValueError(f"unknown playground view {view!r} (use 'train' or 'race')")
        super().__init__()
        self.preset = PRESETS[preset] if preset else None
        self.initial = view or (self.preset.view if self.preset else "train")
        self.start = start

    def compose(self) -> ComposeResult:
        yield Header()
        preset = self.preset
        with TabbedContent(initial=self.initial):
            with TabPane("Train", id="train"):
                yield TrainView(preset.train if preset else DEFAULT_TRAIN)
            with TabPane("Race", id="race"):
                yield RaceView(preset.race if preset else RaceSetup())
        yield Footer()

    def on_mount(self) -> None:
        if self.preset is not None:
            self.sub_title = f"Playground · {self.preset.title}"
        for view in (self.train_view, self.race_view):
            is_preset_view = self.preset is not None and view.id == f"pg-{self.preset.view}"
            view.show_note(self.preset if is_preset_view else None)
        if self.start:
            self.view.loop.set_running(True)

    @property
    def train_view(self) -> TrainView:
        return self.query_one(TrainView)

    @property
    def race_view(self) -> RaceView:
        return self.query_one(RaceView)

    @property
    def view(self) -> LiveView:
        """The view on the active tab."""
        active = self.query_one(TabbedContent).active
        return self.race_view if active == "race" else self.train_view

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # Leaving a view pauses it: one simulation at a time shares the CPU with the UI.
        for view in (self.train_view, self.race_view):
            if view is not self.view:
                view.pause()

    def action_toggle_run(self) -> None:
        self.view.toggle()

    def action_step(self) -> None:
        self.view.step()

    def action_reset(self) -> None:
        self.view.reset()

    def action_lr(self, direction: int) -> None:
        self.view.change_lr(direction)

    def action_speed(self, direction: int) -> None:
        self.view.change_speed(direction)

    def action_switch_view(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "train" if tabs.active == "race" else "race"

    def action_swap_activation(self) -> None:
        if self.view is self.train_view:
            self.train_view.swap_activation()

    def action_new_seed(self) -> None:
        if self.view is self.train_view:
            self.train_view.new_seed()

    def action_toggle_optimizer(self, index: int) -> None:
        if self.view is self.race_view:
            self.race_view.toggle_optimizer(index)

    def action_back(self) -> None:
        """Leave a text field or list being edited; otherwise go back to the previous screen."""
        if isinstance(self.focused, (Input, Select)):
            self.set_focus(None)
        else:
            self.app.pop_screen()
