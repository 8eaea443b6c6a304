"""Benchmark of the answer checker.

Prints p50/p95/max in milliseconds, in-process, for numeric answers, formulas ("symbolic"),
the domain-sensitive corpus (tests/core/data/checker_domains.toml, with how many pairs needed
sympy) and hostile inputs, then the median wall time of the ``studyapp check-answer`` CLI against
``python -c "import sympy"`` measured in the same run (the reference a CLI that imported
sympy could not beat).

Targets: p50 ≈ 0.08 ms numeric, ≈ 2 ms symbolic on an idle machine; worst hostile ≤ 3 s;
CLI median ≤ 2.5 × the bare sympy import.

    .venv/bin/python bench/check.py [--repeat N] [--cli-runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tomllib  # noqa: E402

from studyapp.core.checker import check  # noqa: E402
from tests.core.test_checker_corpus import ADVERSARIAL, EQUIVALENT, NOT_EQUIVALENT  # noqa: E402

DOMAIN_CORPUS = tomllib.loads(
    (ROOT / "tests" / "core" / "data" / "checker_domains.toml").read_text(encoding="utf-8")
)["pair"]

NUMERIC = [
    ("0.7310585786", "0.731"),
    ("0.7310585786", "0.7"),
    ("1/3", "0.333"),
    ("0.0345", "0.035"),
    ("2.5", "5/2"),
    ("-0.5", "-1/2"),
    ("0.25", "-0.25"),
    ("100", "100.6"),
    ("0.034", "3.4e-2"),
    ("[[0.2, 0.4], [0.3, 0.7]]", "[[0.2,0.4],[0.3,0.7]]"),
    ("(0.5, 0.8)", "(0.8, 0.5)"),
    ("[[1, 2], [3, 4]]", "[[1, 3], [2, 4]]"),
    ("0.7310585786", "sigma(1)"),
]


def _is_number_pair(pair) -> bool:
    from studyapp.core.checker import parse
    from studyapp.core.checker.nodes import free_symbols

    return not (free_symbols(parse(pair[0])) | free_symbols(parse(pair[1])))


def _time(pairs, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        for expected, answer in pairs:
            start = time.perf_counter()
            check(expected, answer)
            times.append((time.perf_counter() - start) * 1000)
    return times


def _summary(name: str, times: list[float]) -> str:
    times = sorted(times)
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return f"{name:<10} n={len(times):<5} p50={p50:8.2f} ms  p95={p95:8.2f} ms  max={times[-1]:8.2f} ms"


def _median_run(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="passes over each corpus")
    parser.add_argument("--cli-runs", type=int, default=7, help="runs per CLI measurement")
    args = parser.parse_args()

    check("sigma(z)", "1/(1+exp(-z))")  # warm-up: mpmath import, first compile
    symbolic = [p for p in EQUIVALENT + NOT_EQUIVALENT if not _is_number_pair(p)]
    print(_summary("numeric", _time(NUMERIC, args.repeat)))
    print(_summary("symbolic", _time(symbolic, args.repeat)))
    domain_times, by_sympy = [], 0
    for _ in range(args.repeat):
        for pair in DOMAIN_CORPUS:
            start = time.perf_counter()
            verdict = check(pair["expected"], pair["answer"], assume=pair.get("assume"))
            domain_times.append((time.perf_counter() - start) * 1000)
            by_sympy += verdict.settled_by == "symbolic"
    print(
        _summary("domains", domain_times)
        + f"  ({len(DOMAIN_CORPUS)} pairs, {by_sympy // args.repeat} settled by sympy)"
    )
    hostile = [(e, a) for h in ADVERSARIAL for e, a in (("z", h), (h, "z"))]
    print(_summary("hostile", _time(hostile, 1)))

    # The sympy worker (only for formulas the numeric test cannot settle).
    from studyapp.core.checker.nodes import to_json
    from studyapp.core.checker.parser import parse
    from studyapp.core.checker.worker import SymbolicWorker

    worker = SymbolicWorker()
    pair = (to_json(parse("sqrt(-1-z^2)")), to_json(parse("sqrt(-(1+z^2))")))
    start = time.perf_counter()
    worker.ask(*pair, timeout=30)
    cold = (time.perf_counter() - start) * 1000
    warm = []
    for k in range(2, 2 + args.repeat * 4):  # a new pair each time: sympy caches answers
        other = (
            to_json(parse(f"sqrt(-{k}-z^2)*sigma(z)*(1-sigma(z))")),
            to_json(parse(f"sqrt(-{k}-z^2)*exp(-z)/(1+exp(-z))^2")),
        )
        start = time.perf_counter()
        worker.ask(*other, timeout=30)
        warm.append((time.perf_counter() - start) * 1000)
    worker.close()
    print(
        f"sympy worker: cold start + first answer {cold:.0f} ms; "
        + _summary("warm", warm).split(None, 1)[1]
    )

    py = sys.executable
    sympy_import = _median_run([py, "-c", "import sympy"], args.cli_runs)
    cli_cases = {
        "number": ["--expected", "0.7310585786", "--answer", "0.731"],
        "formula": ["--expected", "exp(-z)/(1+exp(-z))^2", "--answer", "σ(z)(1−σ(z))"],
        "adam-eps": [
            "--expected",
            "theta - eta*m/(sqrt(v)+eps)",
            "--answer",
            "theta - eta*m/sqrt(v)",
        ],
        # recognises Leaky ReLU's formula in content: alpha in (0, 1)
        "leaky-domain": [
            "--expected",
            "max(0, z) + alpha*min(0, z)",
            "--answer",
            "max(alpha*z, z)",
        ],
        "power-branch": ["--expected", "(a^b)^c", "--answer", "a^(b*c)"],
    }
    print(f"{'import sympy':<22} median {sympy_import * 1000:7.1f} ms  (reference)")
    worst = 0.0
    for name, extra in cli_cases.items():
        t = _median_run([py, "-m", "studyapp", "check-answer", *extra], args.cli_runs)
        worst = max(worst, t / sympy_import)
        print(
            f"{'cli ' + name:<22} median {t * 1000:7.1f} ms  = {t / sympy_import:.2f} × import sympy"
        )
    print(f"worst CLI ratio {worst:.2f} (target ≤ 2.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
