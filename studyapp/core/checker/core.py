"""Grading: ``check`` (text vs text), ``check_value`` (numbers/arrays vs text), ``equivalent``.

Flow of :func:`check`:
1. parse both texts with the whitelisting parser (limits apply; failures -> "invalid");
2. numbers (no variables on either side): compare within tolerance (relative ``rel_tol``,
   or absolute ``abs_tol`` when |expected| < 0.1);
3. formulas: compare numerically at many points in high precision (:mod:`.numeric`);
4. only if that is inconclusive, ask sympy in the killable worker (:mod:`.worker`) under a
   hard deadline;
5. if wrong, try to name the slip (:mod:`.diagnose`).
Vectors and matrices are compared entry by entry with the same rules.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from enum import StrEnum

from studyapp.core.checker.domains import DomainError
from studyapp.core.checker.errors import ParseError
from studyapp.core.checker.nodes import Mat, Node, Vec, free_symbols, shape, to_json
from studyapp.core.checker.parser import parse
from studyapp.core.checker.render import format_number, render_text, render_unicode

KINDS = ("auto", "numeric", "expression", "matrix")
SYMBOLIC_TIMEOUT = 2.0  # seconds for the sympy worker, start-up included
_ECHO_LIMIT = 200  # characters of raw input echoed back in an "invalid" verdict


class Outcome(StrEnum):
    """The three verdicts of the contract. A StrEnum: ``Outcome.CORRECT == "correct"``, and it
    is written to JSON as the plain word."""

    CORRECT = "correct"
    INCORRECT = "incorrect"  # a readable answer that is not equal (or not shown to be)
    INVALID = "invalid"  # text that cannot be read, or is not allowed (unknown names, limits)


_OUTCOMES: dict[str, Outcome] = {**{o.value: o for o in Outcome}, **{o: o for o in Outcome}}


@dataclass
class Verdict:
    """The grade of one answer.

    verdict     an :class:`Outcome` (a str given here is converted)
    message     one sentence for the learner
    expected    normalized expected answer (canonical ASCII), or the raw text if unparseable
    answer      normalized answer (canonical ASCII), or the raw text (truncated) if unparseable
    diagnosis   the slip that explains a wrong answer, or None
    pretty      unicode rendering of the parsed answer ("" if it did not parse)
    settled_by  "numeric" or "symbolic" for formulas (which test decided), else None
    """

    verdict: Outcome
    message: str
    expected: str
    answer: str
    diagnosis: str | None = None
    pretty: str = ""
    settled_by: str | None = None

    def __post_init__(self) -> None:
        try:  # a dict lookup: Outcome(word) goes through Enum's slower __call__
            self.verdict = _OUTCOMES[self.verdict]
        except (KeyError, TypeError):
            raise ValueError(
                f"a verdict is correct, incorrect or invalid, not {self.verdict!r}"
            ) from None

    @property
    def correct(self) -> bool:
        return self.verdict == Outcome.CORRECT

    def to_dict(self) -> dict:
        """The contract JSON object of ``studyapp check-answer``."""
        return {
            "verdict": self.verdict.value,
            "message": self.message,
            "expected": self.expected,
            "answer": self.answer,
            "diagnosis": self.diagnosis,
        }


def _echo(text) -> str:
    if not isinstance(text, str):
        return repr(text)[:_ECHO_LIMIT]
    return text if len(text) <= _ECHO_LIMIT else text[:_ECHO_LIMIT] + "…"


def _shape_name(shp: tuple) -> str:
    if not shp:
        return "a number or formula"
    if len(shp) == 1:
        return f"a {shp[0]}-vector"
    return f"a {shp[0]}×{shp[1]} matrix"


def _validate_tolerances(rel_tol: float, abs_tol: float) -> None:
    for name, value in (("rel_tol", rel_tol), ("abs_tol", abs_tol)):
        if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number ≥ 0, got {value!r}")


def canonical_variables(variables) -> list[str] | None:
    """``"z, y,a"`` or ``["θ", "beta1"]`` -> canonical names, or None."""
    if variables is None:
        return None
    if isinstance(variables, str):
        if len(variables) > 500:
            raise ValueError("the list of variables is too long (limit 500 characters)")
        variables = [v for v in variables.replace(";", ",").split(",")]
    variables = list(variables)
    if len(variables) > 50:
        raise ValueError(f"too many variables: {len(variables)} (limit 50)")
    out = []
    for raw in variables:
        raw = str(raw).strip()
        if not raw:
            continue
        try:
            node = parse(raw)
        except ParseError:
            raise ValueError(f"not a variable name: {raw!r}") from None
        syms = free_symbols(node)
        if len(syms) != 1:
            raise ValueError(f"not a variable name: {raw!r}")
        out.append(next(iter(syms)))
    return out


def _within(expected: float, answer: float, rel_tol: float, abs_tol: float) -> bool:
    err = abs(answer - expected)
    slack = 1e-12 * max(abs(expected), 1e-300)  # 0.035 - 0.0345 is 5.000000000000004e-4 in floats
    if err <= rel_tol * abs(expected) + slack:
        return True
    return abs(expected) < 0.1 and err <= abs_tol * (1 + 1e-9)


def _tolerance_text(rel_tol: float, abs_tol: float, expected: float) -> str:
    if abs(expected) < 0.1:
        return f"within {format_number(abs_tol)}"
    return f"within {format_number(rel_tol * 100)} %"


# --------------------------------------------------------------------------- public API


def check(
    expected,
    answer: str,
    kind: str = "auto",
    rel_tol: float = 0.005,
    abs_tol: float = 5e-4,
    variables=None,
    symbolic_timeout: float = SYMBOLIC_TIMEOUT,
    assume=None,
    context=None,
) -> Verdict:
    """Grade typed ``answer`` against typed ``expected``.

    ``expected`` is text; a float, list or numpy array is graded with :func:`check_value`.

    kind: "auto" (numbers within tolerance, formulas exactly), "numeric" (the answer must be a
    number), "expression" (exact equality even for constants), "matrix" (vectors/matrices
    entry by entry). ``variables``: allowed variable names (list or "z,y,a"); other names in
    the answer make it invalid.

    Symbols are sampled inside their domains: those declared in ``content/symbols.toml`` (for
    the entry whose formula ``expected`` is, or the entries named by ``context``), narrowed per
    symbol by ``assume`` - texts such as ``"alpha in (0,1)"``, ``"x > 0"``, ``"n integer"``, or
    a mapping name -> :class:`~.domains.Domain`.

    Raises ValueError only for bad ``kind``/tolerances/assumptions (a DomainError says which).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    _validate_tolerances(rel_tol, abs_tol)
    assumed = _assumed_domains(assume)
    if not isinstance(expected, str) and (
        isinstance(expected, (int, float, list, tuple)) or hasattr(expected, "tolist")
    ):
        return check_value(expected, answer, rel_tol=rel_tol, abs_tol=abs_tol)
    allowed = canonical_variables(variables)
    try:
        e_node = parse(expected, known_vars=allowed)
    except ParseError as exc:
        return Verdict(
            Outcome.INVALID,
            f"expected answer cannot be read: {exc}",
            _echo(expected),
            _echo(answer),
        )
    known = set(free_symbols(e_node)) | set(allowed or ())
    if shape(e_node) and isinstance(answer, str) and _PLAIN_NUMBERS.fullmatch(answer):
        answer = _SPACE_BETWEEN_NUMBERS.sub(", ", answer.strip())  # "[[1 2], [3 4]]"
    try:
        a_node = parse(answer, known_vars=known)
    except ParseError as exc:
        return Verdict(
            Outcome.INVALID, f"answer cannot be read: {exc}", render_text(e_node), _echo(answer)
        )
    return grade_nodes(
        e_node,
        a_node,
        kind,
        rel_tol,
        abs_tol,
        allowed,
        symbolic_timeout,
        answer_text=answer,
        assume=assumed,
        context=context,
    )


def _assumed_domains(assume) -> dict:
    """name -> Domain from ``assume`` (texts or a mapping); raises DomainError (a ValueError)."""
    if not assume:
        return {}
    from studyapp.core.checker.domains import parse_assumptions

    if isinstance(assume, dict):
        return dict(assume)
    if isinstance(assume, str):
        assume = [assume]
    return parse_assumptions(assume)


def symbol_domains(e_node: Node, names, assume=None, context=None) -> dict:
    """The domain of each of ``names`` that is not all of the reals (see :func:`check`)."""
    from studyapp.core.symbols import declared_domains

    try:
        domains = declared_domains(names, render_text(e_node), context)
    except Exception:  # noqa: BLE001 - broken content must not stop grading (content check reports it)
        domains = {}
    for name, stated in (assume or {}).items():
        if name not in names:
            continue
        # An assumption states more: it narrows the declared domain, never widens it.
        narrowed = domains[name].intersect(stated) if name in domains else stated
        if narrowed.is_empty():
            raise DomainError(
                f"--assume {stated.describe(name)} leaves no value: "
                f"{name} is declared {domains[name].describe(name)}"
            )
        domains[name] = narrowed
    return {k: v for k, v in domains.items() if not v.unrestricted}


def grade_nodes(
    e_node: Node,
    a_node: Node,
    kind: str = "auto",
    rel_tol: float = 0.005,
    abs_tol: float = 5e-4,
    allowed: list[str] | None = None,
    symbolic_timeout: float = SYMBOLIC_TIMEOUT,
    answer_text: str | None = None,
    assume: dict | None = None,
    context=None,
) -> Verdict:
    """:func:`check` for already parsed trees (``answer_text``: as typed, for hints;
    ``assume``: name -> Domain)."""
    exp_text, ans_text = render_text(e_node), render_text(a_node)
    pretty = render_unicode(a_node)

    def verdict(
        v: str, message: str, diagnosis: str | None = None, settled_by: str | None = None
    ) -> Verdict:
        return Verdict(_OUTCOMES[v], message, exp_text, ans_text, diagnosis, pretty, settled_by)

    if allowed is not None:
        for label, node in (("answer", a_node), ("expected answer", e_node)):
            extra = sorted(free_symbols(node) - set(allowed))
            if extra:
                return verdict(
                    "invalid",
                    f"the {label} uses {', '.join(extra)}, which is not "
                    f"among the variables {', '.join(allowed) or '(none)'}",
                )
    se, sa = shape(e_node), shape(a_node)
    if se or sa or kind == "matrix":
        domains = symbol_domains(
            e_node, free_symbols(e_node) | free_symbols(a_node), assume, context
        )
        tolerance = (rel_tol, abs_tol)
        return _grade_arrays(
            e_node, a_node, kind, tolerance, verdict, symbolic_timeout, answer_text, domains
        )
    names = sorted(free_symbols(e_node) | free_symbols(a_node))
    if kind == "numeric" and free_symbols(e_node):
        return verdict(
            "invalid",
            "kind 'numeric' needs a number as the expected answer, but it "
            "contains " + ", ".join(sorted(free_symbols(e_node))),
        )
    if kind == "numeric" and free_symbols(a_node):
        return verdict(
            "invalid",
            "a number is expected, but the answer contains "
            + ", ".join(sorted(free_symbols(a_node))),
        )
    if not names and kind != "expression":
        return _grade_number(e_node, a_node, rel_tol, abs_tol, verdict)
    for side, node in (("expected", e_node), ("answer", a_node)):
        if not free_symbols(node):
            value = _number(node)  # a constant with no value (log(0), 1/0) is not equal to anything
            if not isinstance(value, float):
                return _no_value(side, value, verdict)
    domains = symbol_domains(e_node, names, assume, context)
    return _grade_formula(e_node, a_node, names, verdict, symbolic_timeout, domains)


def check_value(expected, answer: str, rel_tol: float = 0.005, abs_tol: float = 5e-4) -> Verdict:
    """Grade typed ``answer`` against a float, a (nested) list or a numpy array of floats.

    The answer may be any constant formula (``1/3``, ``σ(0.5)``), a vector ``(0.5, 0.8)`` or
    a matrix ``[[1, 2], [3, 4]]``. Shape mismatches are explained; 1×n / n×1 matrices and
    n-vectors are interchangeable, as are a number and a 1-vector.
    """
    _validate_tolerances(rel_tol, abs_tol)
    values = expected.tolist() if hasattr(expected, "tolist") else expected
    exp_text, exp_shape, flat = _describe_value(values)
    if exp_shape and isinstance(answer, str) and _PLAIN_NUMBERS.fullmatch(answer):
        # "0.5 0.8" or "[[1 2], [3 4]]" where a vector/matrix is expected: spaces separate
        # entries (but "0.5 - 0.8", with a spaced operator, stays a subtraction)
        answer = _SPACE_BETWEEN_NUMBERS.sub(", ", answer.strip())
    try:
        a_node = parse(answer)
    except ParseError as exc:
        return Verdict(Outcome.INVALID, f"answer cannot be read: {exc}", exp_text, _echo(answer))
    ans_text, pretty = render_text(a_node), render_unicode(a_node)

    def verdict(v: str, message: str, diagnosis: str | None = None) -> Verdict:
        return Verdict(_OUTCOMES[v], message, exp_text, ans_text, diagnosis, pretty)

    syms = free_symbols(a_node)
    if syms:
        return verdict(
            "invalid", "a number is expected, but the answer contains " + ", ".join(sorted(syms))
        )
    got = _node_values(a_node)
    if not isinstance(got, tuple):
        return _no_value("answer", got, verdict)
    return _compare_arrays(
        flat, exp_shape, got[0], got[1], rel_tol, abs_tol, verdict, answer_text=answer
    )


def equivalent(a: str, b: str, variables=None) -> bool:
    """True when the two typed formulas are mathematically equal (exact, not within tolerance)."""
    return check(a, b, kind="expression", variables=variables).verdict == "correct"


def provably_different(a: str, b: str) -> bool:
    """True only when numeric sampling proves two stored (trusted-length) scalar formulas unequal.

    ``a`` plays the expected formula (its points without a value are skipped, and the symbols'
    domains are those of its content entry). The fast path for generating questions: no slip
    diagnosis and no sympy worker, so its time
    does not depend on the machine's load. An inconclusive comparison (few points where both are
    defined) is False, so a formula that might equal the answer is never offered as a wrong option.
    Raises ParseError when either side cannot be read.
    """
    from studyapp.core.checker.limits import CONTENT_LIMITS
    from studyapp.core.checker.numeric import compare_functions

    ea, eb = parse(a, limits=CONTENT_LIMITS), parse(b, limits=CONTENT_LIMITS)
    if shape(ea) or shape(eb):
        return not equivalent(a, b)
    names = sorted(set(free_symbols(ea)) | set(free_symbols(eb)))
    if not names:
        return not equivalent(a, b)
    seed = render_text(ea) + "\x00" + render_text(eb)
    domains = symbol_domains(ea, names)  # ``a`` is the key: its entry's domains apply
    return compare_functions(ea, eb, names, seed, domains=domains).status == "different"


# --------------------------------------------------------------------------- numbers


def _number(node: Node):
    """Float value of a constant scalar tree, or the Undefined that says why it has none."""
    from studyapp.core.checker.numeric import Undefined, evaluate

    try:
        value = float(evaluate(node, {}, dps=30))
    except Undefined as exc:
        return exc
    if not math.isfinite(value):  # beyond float range (1e400): as good as an overflow
        return Undefined("too large", "overflow")
    return value


def _no_value(side: str, why, verdict) -> Verdict:
    """The verdict for a constant with no value: ``side`` is "expected" or "answer".

    An answer with no real value (a negative number to a fractional power, log(0)) where the
    expected one has a value is incorrect; an expected answer with no value, or a value too
    large to compute, cannot be graded (invalid).
    """
    if why.kind == "overflow":
        label = "the expected answer" if side == "expected" else "the answer"
        return verdict("invalid", f"{label}'s value is too large to compare ({why})")
    if side == "expected":
        return verdict("invalid", f"the expected answer has no real value ({why})")
    return verdict("incorrect", f"Not correct: the answer has no real value ({why}).")


def _grade_number(e_node, a_node, rel_tol, abs_tol, verdict) -> Verdict:
    e = _number(e_node)
    if not isinstance(e, float):
        return _no_value("expected", e, verdict)
    a = _number(a_node)
    if not isinstance(a, float):
        return _no_value("answer", a, verdict)
    if _within(e, a, rel_tol, abs_tol):
        return verdict(
            "correct", f"Correct ({_tolerance_text(rel_tol, abs_tol, e)} of {format_number(e)})."
        )
    from studyapp.core.checker.diagnose import diagnose_number

    typed = render_text(a_node)
    return verdict(
        "incorrect",
        f"Not correct: expected {format_number(e)}, got {format_number(a)}.",
        diagnose_number(e, a, typed),
    )


# --------------------------------------------------------------------------- formulas


def _grade_formula(e_node, a_node, names, verdict, symbolic_timeout, domains=None) -> Verdict:
    """Exact comparison of two scalar formulas (numeric first, sympy if inconclusive)."""
    outcome, comparison = compare_formulas(e_node, a_node, names, symbolic_timeout, domains=domains)
    by = "numeric" if comparison.status != "unsure" else "symbolic"
    if outcome == "equal":
        how = " (confirmed symbolically)" if by == "symbolic" else ""
        return verdict("correct", f"Correct: equal to the expected formula{how}.", settled_by=by)
    if outcome == "unknown":
        why = (
            "within the time limit"
            if comparison.symbolic == "timeout"
            else "(the symbolic check could not decide)"
        )
        return verdict(
            "incorrect",
            "Equality could not be verified: the answer and the expected formula have too few "
            f"sample points where both are real, and sympy did not settle it {why}.",
        )
    diagnosis = None
    message = "Not equal to the expected formula."
    if comparison.answer_defined == 0 and comparison.expected_defined:
        message = (
            "Not equal to the expected formula: the answer has no real value at any "
            "point tried (a log or square root of a negative number?)."
        )
    if names and comparison.differ:  # a slip explains differing values, not a missing one
        from studyapp.core.checker.diagnose import diagnose_expression

        diagnosis = diagnose_expression(comparison.samples, sorted(free_symbols(e_node)), e_node)
    elif comparison.witness is not None:  # two constants compared exactly
        from studyapp.core.checker.diagnose import diagnose_number

        _p, e, a = comparison.witness
        diagnosis = diagnose_number(float(e), float(a), render_text(a_node))
    if comparison.witness is not None:
        point, e, a = comparison.witness
        shown_a, shown_e = _distinct(float(a), float(e))
        message = (
            f"Not equal to the expected formula:{_at(point)} it gives {shown_a}, "
            f"expected {shown_e}."
        )
    elif comparison.gap is not None:
        point, e, why = comparison.gap
        message = (
            f"Not equal to the expected formula:{_at(point)} the answer has no real value "
            f"({why}), while the expected formula is {format_number(float(e), 5)}."
        )
    return verdict("incorrect", message, diagnosis, settled_by=by)


def _distinct(a: float, e: float) -> tuple[str, str]:
    """Both numbers with 5 significant digits, or more until they read differently."""
    for digits in (5, 8, 12, 17):
        shown = format_number(a, digits), format_number(e, digits)
        if shown[0] != shown[1]:
            break
    return shown


def _at(point: dict) -> str:
    """`` at a = 0.5, b = -2`` (a long name shortened, so the message stays one readable line)."""
    where = ", ".join(
        f"{k if len(k) <= 24 else k[:20] + '…'} = {format_number(v, 4)}"
        for k, v in sorted(point.items())[:8]
    )
    more = ", …" if len(point) > 8 else ""
    return f" at {where}{more}" if where else ""


def compare_formulas(
    e_node: Node,
    a_node: Node,
    names: list[str],
    symbolic_timeout: float = SYMBOLIC_TIMEOUT,
    deadline: float | None = None,
    domains: dict | None = None,
):
    """("equal" | "different" | "unknown", numeric Comparison) for two scalar trees.

    Sampling decides when it can (inside ``domains``: name -> Domain); otherwise sympy in the
    killable worker, with the domains' sign and integer assumptions; if neither settles it in
    time, "unknown" - never "equal". ``comparison.status`` is "unsure" exactly when sympy was
    asked, and ``comparison.symbolic`` holds its answer (or "timeout").
    ``deadline`` (time.monotonic) caps the symbolic step when many entries share one budget.
    """
    from studyapp.core.checker.numeric import compare_functions

    seed = render_text(e_node) + "\x00" + render_text(a_node)
    comparison = compare_functions(e_node, a_node, names, seed, domains=domains)
    if comparison.status == "different":
        return "different", comparison
    if comparison.status == "equal":
        return "equal", comparison
    # Inconclusive numerically: ask sympy, in the worker, under the deadline.
    from studyapp.core.checker.worker import get_worker

    budget = symbolic_timeout
    if deadline is not None:
        budget = min(budget, deadline - time.monotonic())
    result = "timeout"
    if budget > 0.05:
        assumptions = {k: d.sympy_assumptions() for k, d in (domains or {}).items()}
        result = get_worker().ask(to_json(e_node), to_json(a_node), budget, assumptions)
    comparison.symbolic = result
    if result in ("equal", "different"):
        return result, comparison
    return "unknown", comparison


# --------------------------------------------------------------------------- arrays


def _describe_value(values):
    """(text, shape, flat list of floats) of a float / list / nested list."""
    if isinstance(values, (int, float)):
        return format_number(float(values), 10), (), [float(values)]
    if (
        isinstance(values, (list, tuple))
        and values
        and all(isinstance(r, (list, tuple)) for r in values)
    ):
        width = {len(r) for r in values}
        if len(width) != 1:
            raise ValueError("expected matrix rows have different lengths")
        flat = [float(x) for r in values for x in r]
        text = (
            "["
            + ", ".join(
                "[" + ", ".join(format_number(float(x), 10) for x in r) + "]" for r in values
            )
            + "]"
        )
        return text, (len(values), len(values[0])), flat
    if isinstance(values, (list, tuple)) and values:
        flat = [float(x) for x in values]
        return "[" + ", ".join(format_number(x, 10) for x in flat) + "]", (len(flat),), flat
    raise ValueError(f"expected must be a number, a list or a matrix, got {values!r}")


def _node_values(node: Node):
    """(flat floats, shape) of a constant tree, or the Undefined of its first entry with none."""
    items = _entries(node)
    flat = []
    for item in items:
        v = _number(item)
        if not isinstance(v, float):
            return v
        flat.append(v)
    return flat, shape(node)


def _entries(node: Node) -> list[Node]:
    if isinstance(node, Vec):
        return list(node.items)
    if isinstance(node, Mat):
        return [x for row in node.rows for x in row]
    return [node]


def _compatible(es: tuple, as_: tuple) -> bool:
    """Same shape, or the same entries laid out as vector / row / column / single number."""
    if es == as_:
        return True
    size_e = math.prod(es) if es else 1
    size_a = math.prod(as_) if as_ else 1
    if size_e != size_a:
        return False
    degenerate = lambda s: len(s) <= 1 or 1 in s  # noqa: E731
    return degenerate(es) and degenerate(as_)


def _position(index: int, shp: tuple) -> str:
    if len(shp) == 2:
        return f"row {index // shp[1] + 1}, column {index % shp[1] + 1}"
    if len(shp) == 1:
        return f"entry {index + 1}"
    return "the value"


def _compare_arrays(
    exp_flat, exp_shape, ans_flat, ans_shape, rel_tol, abs_tol, verdict, answer_text=None
) -> Verdict:
    from studyapp.core.checker.diagnose import diagnose_number

    if not all(math.isfinite(x) for x in ans_flat):
        return verdict("invalid", "the value is too large to compare")
    if not _compatible(exp_shape, ans_shape):
        if len(exp_shape) == 2 and len(ans_shape) == 2 and exp_shape == ans_shape[::-1]:
            rows, cols = exp_shape
            transposed = [ans_flat[c * rows + r] for r in range(rows) for c in range(cols)]
            if all(
                _within(e, a, rel_tol, abs_tol) for e, a in zip(exp_flat, transposed, strict=False)
            ):
                return verdict(
                    "incorrect",
                    f"expected {_shape_name(exp_shape)}, got {_shape_name(ans_shape)}.",
                    "transposed matrix: rows and columns are swapped",
                )
        if not exp_shape and answer_text and _DECIMAL_COMMA.fullmatch(answer_text):
            # "0,5" is a decimal comma, not a 2-vector: ask again rather than mark it wrong
            return verdict(
                "invalid",
                f"a number is expected; write {answer_text.strip().replace(',', '.')}"
                " with a decimal point (a comma separates vector entries)",
            )
        return verdict(
            "incorrect", f"expected {_shape_name(exp_shape)}, got {_shape_name(ans_shape)}."
        )
    wrong = [
        i
        for i, (e, a) in enumerate(zip(exp_flat, ans_flat, strict=False))
        if not _within(e, a, rel_tol, abs_tol)
    ]
    if not wrong:
        return verdict(
            "correct",
            "Correct." if len(exp_flat) == 1 else f"Correct: all {len(exp_flat)} entries match.",
        )
    if len(exp_flat) == 1:
        e, a = exp_flat[0], ans_flat[0]
        return verdict(
            "incorrect",
            f"Not correct: expected {format_number(e)}, got {format_number(a)}.",
            diagnose_number(e, a, answer_text),
        )
    first = wrong[0]
    message = (
        f"{len(wrong)} of {len(exp_flat)} entries differ; {_position(first, exp_shape)}: "
        f"expected {format_number(exp_flat[first])}, got {format_number(ans_flat[first])}."
    )
    return verdict(
        "incorrect", message, _array_slip(exp_flat, exp_shape, ans_flat, rel_tol, abs_tol)
    )


def _array_slip(exp_flat, exp_shape, ans_flat, rel_tol, abs_tol) -> str | None:
    if len(exp_shape) == 2 and exp_shape[0] == exp_shape[1]:
        n = exp_shape[0]
        transposed = [ans_flat[c * n + r] for r in range(n) for c in range(n)]
        if all(_within(e, a, rel_tol, abs_tol) for e, a in zip(exp_flat, transposed, strict=False)):
            return "transposed matrix: rows and columns are swapped"
    if all(_within(e, -a, rel_tol, abs_tol) for e, a in zip(exp_flat, ans_flat, strict=False)):
        return "sign flipped: every entry has the opposite sign"
    for k, phrase in ((2.0, "twice"), (0.5, "half")):
        if all(
            _within(k * e, a, rel_tol, abs_tol) for e, a in zip(exp_flat, ans_flat, strict=False)
        ):
            return f"off by a constant factor: every entry is {phrase} the expected value"
    if sorted(exp_flat) == sorted(ans_flat) or all(
        _within(e, a, rel_tol, abs_tol)
        for e, a in zip(sorted(exp_flat), sorted(ans_flat), strict=False)
    ):
        return "right numbers in the wrong places"
    signs = [
        i
        for i, (e, a) in enumerate(zip(exp_flat, ans_flat, strict=False))
        if not _within(e, a, rel_tol, abs_tol) and _within(e, -a, rel_tol, abs_tol)
    ]
    wrong = [
        i
        for i, (e, a) in enumerate(zip(exp_flat, ans_flat, strict=False))
        if not _within(e, a, rel_tol, abs_tol)
    ]
    if signs and signs == wrong:
        return "sign flipped in " + ", ".join(_position(i, exp_shape) for i in signs)
    return None


_DECIMAL_COMMA = re.compile(r"\s*[-−]?\d+,\d+\s*")
_PLAIN_NUMBERS = re.compile(r"[\s\d.eE+\-−,;\[\]()]{1,500}")
_SPACE_BETWEEN_NUMBERS = re.compile(r"(?<=[\d.])\s+(?=[-−]?[\d.])")


def _grade_arrays(
    e_node, a_node, kind, tolerance, verdict, symbolic_timeout, answer_text=None, domains=None
):
    """Vectors and matrices: numbers entry by entry within ``tolerance`` (rel, abs), formulas
    entry by entry exactly (one symbolic time budget for all entries)."""
    se, sa = shape(e_node), shape(a_node)
    rel_tol, abs_tol = tolerance
    names = sorted(free_symbols(e_node) | free_symbols(a_node))
    if not names:
        e_vals = _node_values(e_node)
        if not isinstance(e_vals, tuple):
            return _no_value("expected", e_vals, verdict)
        a_vals = _node_values(a_node)
        if not isinstance(a_vals, tuple):
            return _no_value("answer", a_vals, verdict)
        return _compare_arrays(e_vals[0], se, a_vals[0], sa, rel_tol, abs_tol, verdict, answer_text)
    if not _compatible(se, sa):
        return verdict("incorrect", f"expected {_shape_name(se)}, got {_shape_name(sa)}.")
    wrong, unsure = [], []
    deadline = time.monotonic() + symbolic_timeout  # one budget for all entries together
    for i, (e, a) in enumerate(zip(_entries(e_node), _entries(a_node), strict=False)):
        outcome, _cmp = compare_formulas(e, a, names, symbolic_timeout, deadline, domains)
        if outcome == "different":
            wrong.append(i)
        elif outcome == "unknown":
            unsure.append(i)
    if not wrong and not unsure:
        return verdict("correct", "Correct: every entry equals the expected formula.")
    total = len(_entries(e_node))
    if not wrong:
        return verdict(
            "incorrect",
            f"Equality could not be verified for {len(unsure)} of {total} entries "
            f"(first: {_position(unsure[0], se or sa)}) within the time limit.",
        )
    return verdict(
        "incorrect",
        f"{len(wrong)} of {total} entries differ (first: {_position(wrong[0], se or sa)}).",
    )
