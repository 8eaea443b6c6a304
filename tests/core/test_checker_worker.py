"""The symbolic worker: answers, hard deadline, kill and restart, resource limits."""

from __future__ import annotations

import os
import time

import pytest

from studyapp.core.checker.limits import CONTENT_LIMITS
from studyapp.core.checker.nodes import to_json
from studyapp.core.checker.parser import parse
from studyapp.core.checker.worker import SymbolicWorker, decide

pytestmark = pytest.mark.skipif(os.name != "posix", reason="worker limits are POSIX")


def _j(text):
    return to_json(parse(text))


def test_decide_in_process():
    assert decide(_j("sqrt(-1-z^2)"), _j("sqrt(-1-z^2)")) == "equal"
    assert decide(_j("sigma(z)*(1-sigma(z))"), _j("exp(-z)/(1+exp(-z))^2")) == "equal"
    assert decide(_j("z + 1"), _j("z + 2")) == "different"


@pytest.mark.parametrize(
    ("expected", "answer", "assumptions", "verdict"),
    [
        # real nowhere: sympy compares complex values; sqrt(x^2) = |x| differs from x at x < 0
        ("sqrt(-x^2-1)*sqrt(x^2)", "sqrt(-x^2-1)*x", {"x": {}}, "different"),
        ("sqrt(-x^2-1)*sqrt(x^2)", "sqrt(-x^2-1)*x", {"x": {"positive": True}}, "equal"),
        ("sqrt(-n^2-1)*sqrt(n^2)", "sqrt(-n^2-1)*n", {"n": {"integer": True}}, "different"),
        ("sqrt(-z^2-1)*(z+1)", "sqrt(-z^2-1)*(z+2)", {}, "different"),
    ],
)
def test_decide_does_not_depend_on_sympys_random_state(expected, answer, assumptions, verdict):
    # Expr.equals falls back on random points: before the fixed-point witness and the seed,
    # one request in three got "unknown" here, depending on what the worker had done before
    from sympy.core.random import seed

    for state in range(12):
        seed(state)
        assert decide(_j(expected), _j(answer), assumptions) == verdict, state


def test_a_witness_needs_both_sides_real_or_both_complex():
    # log(x^2) = 2 log(x) wherever both are real; at x < 0 only the left one is real, so a
    # point there is no witness of difference
    import sympy as sp

    from studyapp.core.checker.worker import _differs_somewhere

    x = sp.Symbol("x", real=True)
    assert not _differs_somewhere(sp.log(x**2), 2 * sp.log(x))
    assert _differs_somewhere(sp.sqrt(-(x**2) - 1) * sp.Abs(x), sp.sqrt(-(x**2) - 1) * x)


@pytest.fixture
def worker():
    w = SymbolicWorker()
    yield w
    w.close()


def test_worker_answers_and_is_reused(worker):
    assert worker.ask(_j("(z+1)^2"), _j("z^2 + 2z + 1"), timeout=30) == "equal"
    pid = worker.pid
    assert worker.ask(_j("z"), _j("z+1"), timeout=30) == "different"
    assert worker.pid == pid and worker.starts == 1


def _slow_pair():
    """A pair sympy needs many seconds for (simplify expands a 12-variable 20th power)."""
    s = "(" + "+".join(f"x_{i}" for i in range(12)) + ")"
    e = f"{s}^20 - 1"
    a = " + ".join(f"{s}^19*x_{i}" for i in range(12)) + " - sin(x_0)^2 - cos(x_0)^2"
    return (to_json(parse(e, limits=CONTENT_LIMITS)), to_json(parse(a, limits=CONTENT_LIMITS)))


def test_worker_is_killed_after_the_deadline_and_restarted(worker):
    assert worker.ask(_j("z"), _j("z"), timeout=30) == "equal"  # warm
    old = worker.pid
    start = time.monotonic()
    result = worker.ask(*_slow_pair(), timeout=0.3)
    elapsed = time.monotonic() - start
    assert result == "timeout"
    assert elapsed < 1.5
    assert worker.timeouts == 1
    time.sleep(0.05)
    with pytest.raises(ProcessLookupError):
        os.kill(old, 0)  # the late worker is gone (killed and reaped)
    assert worker.pid is not None and worker.pid != old  # a fresh one was started
    assert worker.ask(_j("z"), _j("z"), timeout=30) == "equal"


def test_worker_has_resource_limits(worker):
    worker.ask(_j("z"), _j("z"), timeout=30)
    if not os.path.exists("/proc"):
        pytest.skip("no /proc")
    with open(f"/proc/{worker.pid}/limits") as fh:
        limits = fh.read()
    lines = {line[:26].strip(): line for line in limits.splitlines()}
    assert "1073741824" in lines["Max address space"]
    assert lines["Max file size"].split()[3] == "0"


def test_malformed_requests_do_not_kill_the_worker(worker):
    assert worker.ask(["bogus"], ["sym", "z"], timeout=30) == "unknown"
    assert worker.ask(_j("z"), _j("z"), timeout=30) == "equal"


def test_numeric_and_sympy_meanings_of_every_function_agree():
    """Each callable means the same thing to the mpmath evaluator and to the sympy conversion."""
    from fractions import Fraction

    import sympy as sp

    from studyapp.core.checker.names import FUNCTIONS
    from studyapp.core.checker.nodes import Call, Num, Sym
    from studyapp.core.checker.numeric import evaluate
    from studyapp.core.checker.to_sympy import to_sympy

    specs = {spec.name: spec for spec in FUNCTIONS.values()}
    for name, spec in specs.items():
        args = (Sym("z"),) if spec.min_args == 1 else (Sym("z"), Num(Fraction(1, 3), "1/3"))
        if name in ("log", "log10", "log2", "sqrt"):
            points = (0.7, 2.5)
        else:
            points = (0.7, -0.4, 2.5)
        node = Call(name, args)
        symbols: dict = {}
        expr = to_sympy(node, symbols)
        for z in points:
            numeric = float(evaluate(node, {"z": z}))
            symbolic = float(sp.N(expr.subs(symbols["z"], sp.Float(z)), 30))
            assert abs(numeric - symbolic) <= 1e-12 * max(1.0, abs(numeric)), (name, z)
