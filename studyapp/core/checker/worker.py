"""Symbolic confirmation with sympy in a separate, killable, memory-limited process.

The numeric test (:mod:`.numeric`) settles almost every answer. When it cannot (too few
points where both formulas are defined), the two *trees* - never the typed text - are sent
as JSON to a small worker process that has sympy imported already and answers
``equal``/``different``/``unknown``. The client waits at most until a deadline; a worker
that is late is killed (its whole process group) and a fresh one is started in the
background, so the next question finds it warm.

The worker runs with an address-space limit (``WORKER_MEMORY_BYTES``), no core dumps and a
file-size limit of 0 bytes (it cannot leave files behind), and exits when its stdin closes.

Run as a worker: ``python -c "from studyapp.core.checker.worker import serve; serve()"``.
"""

from __future__ import annotations

import atexit
import itertools
import json
import math
import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

WORKER_MEMORY_BYTES = 1 << 30  # 1 GiB of address space: sympy needs ~300 MB
WORKER_CPU_SECONDS = 600  # a worker is recycled long before; this only stops a runaway
MAX_REQUESTS_PER_WORKER = 200  # sympy's caches grow; recycle the process now and then
_ROOT = str(Path(__file__).resolve().parents[3])
EQUALS_SEEDS = (
    0,
    1,
    2,
)  # sympy's equals() tries random points: these, in turn, until one decides  # the directory that holds the studyapp package


# --------------------------------------------------------------------------- worker side


def _limit_resources() -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return
    for limit, value in (
        (resource.RLIMIT_AS, WORKER_MEMORY_BYTES),
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_FSIZE, 0),
        (resource.RLIMIT_CPU, WORKER_CPU_SECONDS),
    ):
        try:
            soft, hard = resource.getrlimit(limit)
            new = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(limit, (new, hard))
        except (ValueError, OSError):  # pragma: no cover - platform refuses; keep going
            pass


_ASSUMPTIONS = ("positive", "nonnegative", "negative", "nonpositive", "integer")  # and real


def decide(expected_json, answer_json, assumptions=None) -> str:
    """``equal``, ``different`` or ``unknown`` for two serialized trees (runs in the worker).

    ``assumptions``: name -> {"positive": true, "integer": true, ...} (from the symbols'
    domains); every symbol is real.
    """
    import sympy as sp
    from sympy.core import random as sympy_random
    from sympy.core.cache import clear_cache

    from studyapp.core.checker.nodes import from_json
    from studyapp.core.checker.to_sympy import to_sympy

    # A verdict must depend on the two formulas only. sympy's equals() evaluates the difference at
    # random points drawn from one process-wide generator, so the same pair was "different" or
    # "unknown" (4 seeds in 12) depending on the process and on every question asked before it;
    # its global cache carries history too. So: an empty cache, and seeds of our own.
    clear_cache()
    symbols: dict = {}
    for name, facts in (assumptions or {}).items():
        if isinstance(name, str) and isinstance(facts, dict):
            kw = {k: True for k in _ASSUMPTIONS if facts.get(k) is True}
            symbols[name] = sp.Symbol(name, real=True, **kw)
    e = to_sympy(from_json(expected_json), symbols)
    a = to_sympy(from_json(answer_json), symbols)
    if isinstance(e, sp.MatrixBase) or isinstance(a, sp.MatrixBase):
        return "unknown"
    diff = e - a
    if diff == 0:
        return "equal"
    simplified = sp.simplify(diff)
    if simplified == 0:
        return "equal"
    rewritten = sp.simplify(diff.rewrite(sp.exp))
    if rewritten == 0:
        return "equal"
    if _differs_somewhere(e, a):  # fixed points first: no randomness at all
        return "different"
    for seed in EQUALS_SEEDS:  # random points that decide it, the same ones every time
        sympy_random.seed(seed)
        verdict = e.equals(a)
        if verdict is True:
            return "equal"
        if verdict is False:
            return "different"
    return "unknown"


# Fixed points at which to look for a witness of difference; no simple fractions, so that a
# slip which happens to agree at 1 or 1/2 is still caught. Each symbol keeps those its domain allows.
_REAL_POINTS = (-2.31, -0.73, 0.41, 1.87, 3.09)
_INTEGER_POINTS = (-3.0, -1.0, 0.0, 2.0, 5.0)
_RELATIVE = 1e-12  # far above the error of 30-digit evaluation, far below any real slip


def _points(symbol) -> tuple:
    """The fixed points allowed by a sympy symbol's sign and integer assumptions."""
    candidates: tuple[float, ...] = _INTEGER_POINTS if symbol.is_integer else _REAL_POINTS
    tests = {
        "positive": lambda v: v > 0,
        "nonnegative": lambda v: v >= 0,
        "negative": lambda v: v < 0,
        "nonpositive": lambda v: v <= 0,
    }
    for fact, allowed in tests.items():
        if getattr(symbol, f"is_{fact}"):
            candidates = tuple(v for v in candidates if allowed(v))
    return candidates


def _differs_somewhere(e, a) -> bool:
    """True when ``e - a`` is clearly non-zero at a fixed point in the symbols' domains.

    Used when the numeric test found too few points where both sides are *real* (sympy works
    in the complex numbers, so two formulas that are real nowhere can still be compared).
    Points where either side is infinite or undefined, or real on one side only, are
    skipped. Deterministic, unlike ``Expr.equals``, whose last resort is random points.
    """
    import sympy as sp

    symbols = sorted(e.free_symbols | a.free_symbols, key=lambda s: s.name)
    if len(symbols) > 3:  # 5^4 points is too many for the worker's budget
        return False
    grids = [_points(s) for s in symbols]
    for values in itertools.product(*grids):
        at = {
            s: sp.Integer(int(v)) if s.is_integer else sp.Float(v, 30)
            for s, v in zip(symbols, values, strict=True)
        }
        try:
            ev, av = complex(e.evalf(30, subs=at)), complex(a.evalf(30, subs=at))
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            continue  # infinite, undefined or not a number here
        if not all(map(math.isfinite, (ev.real, ev.imag, av.real, av.imag))):
            continue
        if (abs(ev.imag) > _RELATIVE * abs(ev)) != (abs(av.imag) > _RELATIVE * abs(av)):
            continue  # real on one side only: outside the domain the two share
        if abs(ev - av) > _RELATIVE * max(1.0, abs(ev), abs(av)):
            return True
    return False


def serve() -> None:
    """Worker main loop: one JSON request per stdin line, one JSON reply per stdout line."""
    _limit_resources()
    out = sys.stdout
    import sympy  # noqa: F401  - prewarm: the import is the slow part

    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        try:
            request = json.loads(line)
            result = decide(request["expected"], request["answer"], request.get("assumptions"))
            reply = {"id": request.get("id"), "result": result}
        except MemoryError:
            reply = {"result": "unknown", "error": "memory limit"}
        except Exception as exc:  # a reply, not a crash: the client treats it as "unknown"
            reply = {"result": "unknown", "error": f"{type(exc).__name__}: {exc}"[:200]}
        out.write(json.dumps(reply) + "\n")
        out.flush()


# --------------------------------------------------------------------------- client side


class SymbolicWorker:
    """Client for one worker process; thread-safe (one question at a time)."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen | None = None
        self._buffer = b""
        self._ready = False
        self._requests = 0
        self._lock = threading.Lock()
        self.timeouts = 0
        self.starts = 0

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def start(self) -> None:
        """Spawn the worker now (it imports sympy in the background); no-op if running."""
        with self._lock:
            self._ensure_started()

    def _ensure_started(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        self._kill()
        code = (
            f"import sys; sys.path.insert(0, {_ROOT!r}); "
            "from studyapp.core.checker.worker import serve; serve()"
        )
        self._proc = subprocess.Popen(
            [sys.executable, "-B", "-E", "-s", "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd="/",
            start_new_session=True,  # its own process group, so a kill takes everything
            close_fds=True,
        )
        self._buffer = b""
        self._ready = False
        self._requests = 0
        self.starts += 1

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        self._ready = False
        if proc is None:
            return
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError):
            pass
        try:
            proc.kill()
        except OSError:
            pass
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:  # pragma: no cover
            pass
        for stream in (proc.stdin, proc.stdout):
            if stream is None:  # not piped (never the case here: both are pipes)
                continue
            try:
                stream.close()
            except OSError:
                pass

    def close(self) -> None:
        """Stop the worker process."""
        with self._lock:
            self._kill()

    def _readline(self, deadline: float) -> bytes | None:
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                return b""  # the worker died
            self._buffer += chunk
            if len(self._buffer) > 1 << 20:
                return b""
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def ask(self, expected_json, answer_json, timeout: float, assumptions=None) -> str:
        """``equal``/``different``/``unknown``, or ``timeout`` when the deadline passed.

        ``assumptions``: name -> sympy assumptions (see :func:`decide`).
        """
        deadline = time.monotonic() + timeout
        with self._lock:
            try:
                self._ensure_started()
                if not self._ready:
                    line = self._readline(deadline)
                    if not line:
                        return self._give_up(line)
                    self._ready = True
                request = json.dumps(
                    {
                        "id": self._requests,
                        "expected": expected_json,
                        "answer": answer_json,
                        "assumptions": assumptions or {},
                    }
                )
                assert self._proc is not None and self._proc.stdin is not None
                self._proc.stdin.write(request.encode() + b"\n")
                self._proc.stdin.flush()
                self._requests += 1
                line = self._readline(deadline)
                if not line:
                    return self._give_up(line)
                reply = json.loads(line)
                if self._requests >= MAX_REQUESTS_PER_WORKER:
                    self._kill()
                result = reply.get("result")
                return result if result in ("equal", "different", "unknown") else "unknown"
            except (OSError, ValueError):
                self._kill()
                return "unknown"

    def _give_up(self, line: bytes | None) -> str:
        """Kill a late or dead worker and start a fresh one so the next question finds it warm."""
        self._kill()
        if line is None:
            self.timeouts += 1
        try:
            self._ensure_started()
        except OSError:  # pragma: no cover
            pass
        return "timeout" if line is None else "unknown"


_WORKER: SymbolicWorker | None = None
_WORKER_LOCK = threading.Lock()


def get_worker() -> SymbolicWorker:
    """The process-wide worker client (started lazily; stopped at exit)."""
    global _WORKER
    with _WORKER_LOCK:
        if _WORKER is None:
            _WORKER = SymbolicWorker()
            atexit.register(_WORKER.close)
        return _WORKER


def prewarm() -> None:
    """Start the worker now so that the first symbolic check does not wait for sympy's import.

    The UI may call this at start-up; the CLI does not (most answers never need it).
    """
    get_worker().start()


def shutdown() -> None:
    """Stop the worker if it runs."""
    if _WORKER is not None:
        _WORKER.close()


if __name__ == "__main__":  # pragma: no cover
    serve()
