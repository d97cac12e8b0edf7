"""lendcrm.lifecycle against transitions and python-statemachine, in the same run.

Three figures, each printed next to the peers' figure as a ratio:

1. Audited transitions per second for one client on the six-stage client cycle
   (acquisition -> activation -> growth, then growth -> maturity -> decline -> growth
   repeated). "Audited" means, for lendcrm, `advance`: guards checked, a record
   (from, to, event, date, reason, actor) appended to the immutable history and
   SHA-256 hash-chained. For the peers it means what their users would write: an
   after-transition callback that appends a plain dict record (from, to, event, date,
   reason) to a list on the model, with no hashing (the peers then do less work),
   and a second variant whose callback also SHA-256-chains each record with
   ``json.dumps`` (the same audit as lendcrm).
2. Memory of holding the state of many clients, measured with tracemalloc: lendcrm
   holds 100,000 `LifecycleState`s (each with its own history); the peers hold one
   machine (transitions) or one `StateMachine` instance (python-statemachine) per
   client. The peers are measured on 1,500 clients because building 100,000 peer
   machines under tracemalloc takes minutes on these shared machines; per-client
   figures are compared.
   Measured twice: fresh clients, and clients after two audited transitions.
3. `assess_stages` on the shared harness (`_harness`: 10k, 100k and 1M clients,
   median of 3 with range, the growth slope), beside its plain numpy floor (the
   thirteen built-in rules written as numpy comparisons on the frame's columns, the
   stage by ``np.select`` in precedence order, the reasons as a categorical of the
   distinct fired-rule combinations; no input checks) and row-by-row `assess_stage`
   (the loop a user writes first) at 10k and 100k. The peak memory of one run at
   the largest size is printed after the table. The signals frame is
   `lendcrm.synthetic.generate_frames(...).signals` (a numpy-built frame of the same
   columns if the generator is not installed).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import statistics
import time
import tracemalloc
from collections.abc import Callable

import _harness
import numpy as np
import pandas as pd

from lendcrm.frames import columns as schema
from lendcrm.lifecycle import (
    CLIENT_LIFECYCLE,
    ClientEvent,
    StageRules,
    advance,
    assess_stage,
    start,
)
from lendcrm.lifecycle.frames import assess_stages

STAGES = ["acquisition", "activation", "growth", "maturity", "decline", "exited"]
LOOP = [
    "stabilise",
    "deteriorate",
    "recover",
]  # growth -> maturity -> decline -> growth
DAY = dt.date(2026, 1, 15)
#: Peer machines held for the memory figure (building one takes milliseconds).
PEER_CLIENTS = 1_500


# --- peers -----------------------------------------------------------------------------


class _Audit:
    """What a peer's after-transition callback records: a dict per move in a list,
    optionally SHA-256 chained like lendcrm's records (``hashed=True``)."""

    def __init__(self, *, hashed: bool) -> None:
        self.history: list[dict[str, object]] = []
        self.hashed = hashed
        self.head = "0" * 64

    def record(
        self, source: str, dest: str, event: str, on: object, reason: object
    ) -> None:
        rec: dict[str, object] = {
            "from": source,
            "to": dest,
            "event": event,
            "on": on,
            "reason": reason,
        }
        if self.hashed:
            payload = [
                len(self.history),
                source,
                dest,
                event,
                str(on),
                reason,
                self.head,
            ]
            self.head = hashlib.sha256(
                json.dumps(payload, separators=(",", ":")).encode()
            ).hexdigest()
            rec["hash"] = self.head
        self.history.append(rec)


def _transitions_factory(*, hashed: bool = False) -> Callable[[], object] | str:
    try:
        from transitions import Machine
    except ImportError as exc:  # pragma: no cover - depends on the bench extra
        return f"transitions not installed ({exc})"

    table = [
        {"trigger": "first_drawdown", "source": "acquisition", "dest": "activation"},
        {"trigger": "expand", "source": ["activation", "maturity"], "dest": "growth"},
        {"trigger": "stabilise", "source": "growth", "dest": "maturity"},
        {
            "trigger": "deteriorate",
            "source": ["activation", "growth", "maturity"],
            "dest": "decline",
        },
        {"trigger": "recover", "source": "decline", "dest": "growth"},
        {"trigger": "exit", "source": "decline", "dest": "exited"},
        {
            "trigger": "terminate",
            "source": ["acquisition", "activation", "growth", "maturity", "decline"],
            "dest": "exited",
        },
    ]

    class Client(_Audit):
        def after(self, event: object) -> None:
            self.record(
                event.transition.source,  # type: ignore[attr-defined]
                event.transition.dest,  # type: ignore[attr-defined]
                event.event.name,  # type: ignore[attr-defined]
                event.kwargs.get("on"),  # type: ignore[attr-defined]
                event.kwargs.get("reason"),  # type: ignore[attr-defined]
            )

    def make() -> object:
        client = Client(hashed=hashed)
        Machine(
            model=client,
            states=STAGES,
            transitions=table,
            initial="acquisition",
            after_state_change="after",
            send_event=True,
        )
        return client

    return make


def _statemachine_factory(*, hashed: bool = False) -> Callable[[], object] | str:
    try:
        from statemachine import State, StateMachine
    except ImportError as exc:  # pragma: no cover
        return f"python-statemachine not installed ({exc})"

    class ClientMachine(StateMachine):  # type: ignore[misc]
        acquisition = State(initial=True)
        activation = State()
        growth = State()
        maturity = State()
        decline = State()
        exited = State(final=True)

        first_drawdown = acquisition.to(activation)
        expand = activation.to(growth) | maturity.to(growth)
        stabilise = growth.to(maturity)
        deteriorate = activation.to(decline) | growth.to(decline) | maturity.to(decline)
        recover = decline.to(growth)
        exit = decline.to(exited)
        terminate = (
            acquisition.to(exited)
            | activation.to(exited)
            | growth.to(exited)
            | maturity.to(exited)
            | decline.to(exited)
        )

        def __init__(self) -> None:
            self.audit = _Audit(hashed=hashed)
            super().__init__()

        @property
        def history(self) -> list[dict[str, object]]:
            return self.audit.history

        def after_transition(
            self,
            event: str,
            source: object,
            target: object,
            on: object = None,
            reason: object = None,
        ) -> None:
            self.audit.record(source.id, target.id, event, on, reason)  # type: ignore[attr-defined]

    return ClientMachine


# --- 1. audited transitions per second -----------------------------------------------------


def _rate(run: Callable[[int], None], n: int, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        run(n)
        times.append(time.perf_counter() - t0)
    return n / statistics.median(times)


def _lendcrm_cycle(n: int) -> None:
    s = start(CLIENT_LIFECYCLE, entity_id="C-1")
    s = advance(s, ClientEvent.FIRST_DRAWDOWN, on=DAY, actor="rm")
    s = advance(s, ClientEvent.EXPAND, on=DAY, actor="rm")
    events = [ClientEvent(e) for e in LOOP]
    for i in range(n - 2):
        s = advance(s, events[i % 3], on=DAY, actor="rm")
    assert len(s.history) == n


def _peer_cycle(make: Callable[[], object], style: str) -> Callable[[int], None]:
    def run(n: int) -> None:
        c = make()
        if style == "transitions":
            trigger = c.trigger  # type: ignore[attr-defined]
            trigger("first_drawdown", on=DAY)
            trigger("expand", on=DAY)
            for i in range(n - 2):
                trigger(LOOP[i % 3], on=DAY)
        else:
            send = c.send  # type: ignore[attr-defined]
            send("first_drawdown", on=DAY)
            send("expand", on=DAY)
            for i in range(n - 2):
                send(LOOP[i % 3], on=DAY)
        assert len(c.history) == n  # type: ignore[attr-defined]

    return run


# --- 2. memory per client ------------------------------------------------------------------


def _memory(build: Callable[[int], list[object]], n: int) -> tuple[float, float]:
    """Bytes per client held after building ``n`` clients, and seconds per client."""
    gc.collect()
    tracemalloc.start()
    t0 = time.perf_counter()
    held = build(n)
    seconds = time.perf_counter() - t0
    gc.collect()
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(held) == n
    del held
    gc.collect()
    return current / n, seconds / n


def _lendcrm_clients(moves: int) -> Callable[[int], list[object]]:
    def build(n: int) -> list[object]:
        out: list[object] = []
        for i in range(n):
            s = start(CLIENT_LIFECYCLE, entity_id=f"C-{i:07d}")
            if moves:
                s = advance(s, ClientEvent.FIRST_DRAWDOWN, on=DAY)
                s = advance(s, ClientEvent.EXPAND, on=DAY)
            out.append(s)
        return out

    return build


def _peer_clients(
    make: Callable[[], object], style: str, moves: int
) -> Callable[[int], list[object]]:
    def build(n: int) -> list[object]:
        out: list[object] = []
        for _ in range(n):
            c = make()
            if moves:
                go = c.trigger if style == "transitions" else c.send  # type: ignore[attr-defined]
                go("first_drawdown", on=DAY)
                go("expand", on=DAY)
            out.append(c)
        return out

    return build


# --- 3. assess_stages on 1,000,000 clients -------------------------------------------------


def signals_frame(n: int, seed: int = 2026) -> pd.DataFrame:
    """A realistic book of ``n`` clients' signals, built with numpy."""
    rng = np.random.default_rng(seed)
    drawn = rng.random(n) < 0.88
    has_dscr = rng.random(n) < 0.25
    return pd.DataFrame(
        {
            schema.SIG_HAS_FACILITY: drawn | (rng.random(n) < 0.4),
            schema.SIG_HAS_DRAWN: drawn,
            schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: np.where(
                drawn, rng.integers(0, 180, n), 0
            ),
            schema.SIG_TENURE_MONTHS: rng.integers(0, 240, n),
            schema.SIG_EXPOSURE_GROWTH_YOY: rng.normal(0.03, 0.12, n).clip(-1),
            schema.SIG_REVENUE_GROWTH_YOY: rng.normal(0.03, 0.15, n),
            schema.SIG_PRODUCT_COUNT_CHANGE: rng.integers(-1, 2, n),
            schema.SIG_UTILISATION_CHANGE: rng.normal(0.0, 0.1, n).clip(-1, 1),
            schema.SIG_RATING_NOTCHES_MOVED: rng.choice(
                [-1, 0, 1, 2, 3], n, p=[0.08, 0.80, 0.08, 0.03, 0.01]
            ),
            schema.SIG_ON_WATCHLIST: rng.random(n) < 0.04,
            schema.SIG_DAYS_PAST_DUE: np.where(
                rng.random(n) < 0.06, rng.integers(1, 120, n), 0
            ),
            schema.SIG_COVENANT_BREACHES: (rng.random(n) < 0.03).astype(np.int64),
            schema.SIG_HAS_DSCR: has_dscr,
            schema.SIG_DSCR_HEADROOM: np.where(
                has_dscr, rng.normal(0.25, 0.25, n), 0.0
            ),
        },
        index=pd.RangeIndex(n, name="client_id"),
    )


def main() -> None:
    """Print each figure beside the peers' figures from the same run."""
    peers: dict[str, Callable[[], object]] = {}
    hashed_peers: dict[str, Callable[[], object]] = {}
    for name, factory, hashed in (
        ("transitions", _transitions_factory(), _transitions_factory(hashed=True)),
        (
            "python-statemachine",
            _statemachine_factory(),
            _statemachine_factory(hashed=True),
        ),
    ):
        if isinstance(factory, str) or isinstance(hashed, str):
            print(f"  {name}: skipped, {factory}")
        else:
            peers[name] = factory
            hashed_peers[name] = hashed

    _throughput(peers, hashed_peers)
    _memory_per_client(peers)
    _assessment()


def _throughput(
    peers: dict[str, Callable[[], object]],
    hashed_peers: dict[str, Callable[[], object]],
) -> None:
    """Paired rounds: each round times lendcrm and every peer back to back, so a
    burst of load from other processes hits both sides of a ratio; medians of the
    rates and of the per-round ratios are reported."""
    print("1. audited transitions per second, one client, six-stage client cycle")
    n = 20_000
    runs: dict[str, Callable[[int], None]] = {"lendcrm": _lendcrm_cycle}
    for name, make in peers.items():
        runs[f"{name} (dict record in a list)"] = _peer_cycle(make, name)
        runs[f"{name} (same, SHA-256 chained)"] = _peer_cycle(hashed_peers[name], name)
    rates: dict[str, list[float]] = {label: [] for label in runs}
    for _ in range(5):
        for label, run in runs.items():
            rates[label].append(_rate(run, n, repeats=1))
    ours = rates.pop("lendcrm")
    print(
        f"   {'lendcrm advance (SHA-256 chained record)':<47}"
        f"{statistics.median(ours):10,.0f} /s"
    )
    for label, theirs in rates.items():
        ratio = statistics.median(o / t for o, t in zip(ours, theirs, strict=True))
        print(
            f"   {label:<47}{statistics.median(theirs):10,.0f} /s"
            f"   lendcrm is {ratio:5.1f}x (median of 5 paired rounds)"
        )


def _memory_per_client(peers: dict[str, Callable[[], object]]) -> None:
    print("2. memory per client (tracemalloc), fresh and after 2 audited transitions")
    for moves in (0, 2):
        ours_b, ours_s = _memory(_lendcrm_clients(moves), 100_000)
        print(
            f"   [{moves} moves] lendcrm, 100,000 clients  {ours_b:10,.0f} B/client"
            f"  ({ours_b * 100_000 / 2**20:6.1f} MiB; build {ours_s * 1e6:6.1f} us/client)"
        )
        for name, make in peers.items():
            b, s = _memory(_peer_clients(make, name, moves), PEER_CLIENTS)
            print(
                f"   [{moves} moves] {name}, {PEER_CLIENTS:,} clients {b:10,.0f} B/client"
                f"  (build {s * 1e6:7.1f} us/client)   lendcrm uses {b / ours_b:5.1f}x less"
            )


AS_OF = dt.date(2026, 6, 30)
#: Largest book the row-by-row loop runs on (1M rows would take minutes per run).
LOOP_ROWS = 100_000


def _signals(n: int) -> pd.DataFrame:
    try:
        from lendcrm.synthetic import generate_frames
    except ImportError:
        return signals_frame(n)  # numpy-built: lendcrm.synthetic not available
    return generate_frames(n, seed=2026, as_of=AS_OF, periods=1).signals


#: The built-in rules' names, in rule order (the reasons are joined in this order).
_RULE_NAMES = StageRules.builtin().names


def numpy_stages(frame: pd.DataFrame) -> tuple[np.ndarray, pd.Categorical]:
    """The built-in rules by hand: stage codes (`ClientStage` order) and reasons.

    The floor of `assess_stages`: what a competent numpy user writes for the same
    thirteen rules with their default thresholds, the default precedence
    (acquisition, decline, activation, growth, maturity; maturity when none fires)
    and the reasons as a categorical of the distinct combinations. No input checks.
    """
    names = (
        schema.SIG_HAS_DRAWN, schema.SIG_EXPOSURE_GROWTH_YOY, schema.SIG_REVENUE_GROWTH_YOY,
        schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN, schema.SIG_PRODUCT_COUNT_CHANGE,
        schema.SIG_TENURE_MONTHS, schema.SIG_ON_WATCHLIST, schema.SIG_DAYS_PAST_DUE,
        schema.SIG_COVENANT_BREACHES, schema.SIG_RATING_NOTCHES_MOVED,
        schema.SIG_HAS_DSCR, schema.SIG_DSCR_HEADROOM, schema.SIG_UTILISATION_CHANGE,
    )  # fmt: skip
    col = {name: frame[name].to_numpy() for name in names}
    drawn = col[schema.SIG_HAS_DRAWN]
    exposure = col[schema.SIG_EXPOSURE_GROWTH_YOY]
    revenue = col[schema.SIG_REVENUE_GROWTH_YOY]
    fired = [
        ~drawn,  # no_drawdown: acquisition
        drawn & (col[schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN] < 12),  # activation
        exposure >= 0.10,  # growth: exposure, revenue, products
        revenue >= 0.10,
        col[schema.SIG_PRODUCT_COUNT_CHANGE] >= 1,
        drawn  # maturity: steady relationship
        & (col[schema.SIG_TENURE_MONTHS] >= 36)
        & (np.abs(exposure) <= 0.05)
        & (np.abs(revenue) <= 0.05),
        col[schema.SIG_ON_WATCHLIST],  # decline: seven distress signals
        col[schema.SIG_DAYS_PAST_DUE] >= 30,
        col[schema.SIG_COVENANT_BREACHES] >= 1,
        col[schema.SIG_RATING_NOTCHES_MOVED] >= 2,
        col[schema.SIG_HAS_DSCR] & (col[schema.SIG_DSCR_HEADROOM] < 0.0),
        drawn & (revenue <= -0.20),
        col[schema.SIG_UTILISATION_CHANGE] >= 0.30,
    ]
    # ClientStage order: acquisition 0, activation 1, growth 2, maturity 3, decline 4
    stage = np.select(
        [fired[0], np.logical_or.reduce(fired[6:]), fired[1],
         fired[2] | fired[3] | fired[4], fired[5]],
        [0, 4, 1, 2, 3],
        default=3,
    ).astype(np.int8)  # fmt: skip
    keys = np.zeros(len(frame), dtype=np.int64)
    for j, hit in enumerate(fired):
        keys |= hit.astype(np.int64) << j
    combos, inverse = np.unique(keys, return_inverse=True)
    labels = [
        ",".join(name for j, name in enumerate(_RULE_NAMES) if combo >> j & 1)
        for combo in combos.tolist()
    ]
    return stage, pd.Categorical.from_codes(inverse, categories=pd.Index(labels))


def _same_assessment(
    out: pd.DataFrame, floor: tuple[np.ndarray, pd.Categorical]
) -> bool:
    stage, reasons = floor
    ours = out["reasons"].array
    return bool(
        np.array_equal(out["stage"].cat.codes.to_numpy(), stage)
        and np.array_equal(
            np.asarray(ours.categories, dtype=object)[ours.codes],
            np.asarray(reasons.categories, dtype=object)[reasons.codes],
        )
    )


def _assess(n: int) -> _harness.Contest:
    frame = _signals(n)
    rules = StageRules.builtin()
    out = assess_stages(frame, as_of=AS_OF, rules=rules)
    assert _same_assessment(out, numpy_stages(frame))  # the floor agrees
    loop = None
    if n <= LOOP_ROWS:
        rows = frame.to_dict("records")
        stages = [assess_stage(r, as_of=AS_OF, rules=rules).stage for r in rows[:500]]
        assert [s.value for s in stages] == out["stage"].iloc[:500].tolist()

        def loop() -> None:
            for row in rows:
                assess_stage(row, as_of=AS_OF, rules=rules)

    return _harness.Contest(
        ours=lambda: assess_stages(frame, as_of=AS_OF, rules=rules),
        floor=lambda: numpy_stages(frame),
        floor_name="numpy",
        peer=loop,
        peer_name="row-by-row assess_stage",
    )


def _assessment() -> None:
    print("3. assess_stages")
    rows = _harness.scale("assess_stages (built-in rules)", _assess)
    n = rows[-1].n
    frame = _signals(n)
    rules = StageRules.builtin()
    gc.collect()
    tracemalloc.start()
    out = assess_stages(frame, as_of=AS_OF, rules=rules)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"   at {n:,} clients: peak {peak / 2**20:6.1f} MiB above the input frame "
        f"({frame.memory_usage(deep=True).sum() / 2**20:.0f} MiB); stages "
        f"{out['stage'].value_counts().to_dict()}"
    )


if __name__ == "__main__":
    main()
