"""Benchmark: what the playground's predict questions cost ``studyapp quiz``.

``studyapp quiz --count N --format json --no-history`` for ``--seeds`` seeds, each a fresh
process, against the same command with the predict questions left out (the reference, run in
the same process set-up, interleaved with the real one so both see the same machine load).
Prints the median wall and CPU seconds of each, their ratio, and how many predict questions the
quizzes asked. Then, in-process: every predict question built with its runs cold (the worst a
quiz can pay) and warm (the TUI's later quizzes: the runs are cached).

    .venv/bin/python bench/quiz_predict.py [--count 40] [--seeds 10]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: ``studyapp quiz`` in a fresh interpreter, optionally with the predict questions left out.
RUN = """
import sys
if sys.argv[1] == "without":
    from studyapp.core.questions.builders import predict
    predict.candidates = lambda content, topic: []
from studyapp.cli import main
sys.exit(main(sys.argv[2:]))
"""


def run(variant: str, seed: int, count: int) -> tuple[float, float, int]:
    """(wall s, CPU s, predict questions asked) of one quiz command."""
    argv = ["quiz", "--count", str(count), "--seed", str(seed), "--format", "json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", RUN, variant, *argv, "--no-history"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    asked = sum("::predict_" in q["id"] for q in json.loads(out.stdout)["questions"])
    return wall, cpu, asked


def build_all_ms() -> float:
    from studyapp.core.content import load_content
    from studyapp.core.questions.builders import predict

    content = load_content()
    start = time.perf_counter()
    for topic in ("optimizers", "activations"):
        for cand in predict.candidates(content, topic):
            for truth in (True, False) if cand.kind == "true_false" else (None,):
                cand.build(random.Random(0), truth)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()

    results: dict[str, list[tuple[float, float, int]]] = {"without": [], "with": []}
    for seed in range(args.seeds):
        order = ("without", "with") if seed % 2 == 0 else ("with", "without")
        for variant in order:
            results[variant].append(run(variant, seed, args.count))

    def medians(variant: str) -> tuple[float, float]:
        rows = results[variant]
        return statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows)

    (ref_wall, ref_cpu), (wall, cpu) = medians("without"), medians("with")
    asked = [r[2] for r in results["with"]]
    print(f"studyapp quiz --count {args.count} --format json, {args.seeds} seeds (median)")
    print(f"  predict questions left out (reference)  wall {ref_wall:.2f} s   CPU {ref_cpu:.2f} s")
    print(
        f"  as shipped                              wall {wall:.2f} s   CPU {cpu:.2f} s   "
        f"ratio {wall / ref_wall:.2f} (wall), {cpu / ref_cpu:.2f} (CPU)"
    )
    print(f"  predict questions per quiz: mean {statistics.mean(asked):.1f}, max {max(asked)}")
    cold, warm = build_all_ms(), build_all_ms()
    print(f"every predict question built in-process: runs cold {cold:.0f} ms, cached {warm:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
