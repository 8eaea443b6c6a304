"""The answer checker as the question generator uses it, with a small private fallback.

The real checker (``studyapp.core.checker``) is used whenever it can be imported. Until it is
there (or if it fails to import) a minimal numeric-sampling fallback keeps quizzes working: it
walks Python's ``ast`` of the text with a strict whitelist of node types (never ``eval``), so it
is safe on user text too, but it knows fewer notations than the real checker.

Equivalence results are cached: distractors and mutations come from a finite set of content
formulas, so a long run of quizzes asks the same pairs again and again.
"""

from __future__ import annotations

import ast
import math
import random
import re
from dataclasses import dataclass
from functools import lru_cache

try:  # the real checker, when it has landed
    from studyapp.core import checker as _checker  # type: ignore[attr-defined]

    _REAL = all(hasattr(_checker, n) for n in ("check", "check_value", "equivalent"))
except Exception:  # pragma: no cover - depends on the state of the tree
    _checker = None
    _REAL = False


def have_real_checker() -> bool:
    return _REAL


# ----------------------------------------------------------------------------- fallback parts


@dataclass
class FallbackVerdict:
    """Same fields as the checker's ``Verdict``."""

    verdict: str
    message: str
    expected: str
    answer: str
    diagnosis: str | None = None
    pretty: str = ""

    @property
    def correct(self) -> bool:
        return self.verdict == "correct"

    def to_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "message": self.message,
            "expected": self.expected,
            "answer": self.answer,
            "diagnosis": self.diagnosis,
        }


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


_FUNCS = {
    "sigma": _sigmoid, "sigmoid": _sigmoid, "exp": math.exp, "ln": math.log, "log": math.log,
    "sqrt": math.sqrt, "tanh": math.tanh, "sinh": math.sinh, "cosh": math.cosh,
    "sech": lambda x: 1.0 / math.cosh(x), "abs": abs, "max": max, "min": min,
    "relu": lambda x: max(0.0, x), "softplus": lambda x: math.log1p(math.exp(x)),
}
_CONSTS = {"e": math.e, "pi": math.pi}
_UNICODE = {"σ": "sigma", "·": "*", "×": "*", "−": "-", "²": "**2", "³": "**3", "√": "sqrt",
            "θ": "theta", "η": "eta", "ε": "eps", "β": "beta", "α": "alpha", "ŷ": "yhat"}


def _normalize(text: str) -> str:
    for k, v in _UNICODE.items():
        text = text.replace(k, v)
    return text.replace("^", "**").strip()


def _parse(text: str) -> ast.AST:
    if not text or len(text) > 500:
        raise ValueError("empty or too long")
    tree = ast.parse(_normalize(text), mode="eval")
    for node in ast.walk(tree):
        ok = isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Call, ast.Name,
                               ast.Constant, ast.Load, ast.Add, ast.Sub, ast.Mult, ast.Div,
                               ast.Pow, ast.USub, ast.UAdd, ast.List, ast.Tuple))
        if not ok:
            raise ValueError(f"not allowed: {type(node).__name__}")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            raise ValueError("only numbers")
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name)
                                               and node.func.id in _FUNCS and not node.keywords):
            raise ValueError("unknown function")
    return tree


def _names(tree: ast.AST) -> set[str]:
    calls = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree)
            if isinstance(n, ast.Name) and id(n) not in calls and n.id not in _CONSTS}


def _eval(node: ast.AST, env: dict[str, float]):
    if isinstance(node, ast.Expression):
        return _eval(node.body, env)
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return env[node.id] if node.id in env else _CONSTS[node.id]
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, env)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_eval(e, env) for e in node.elts]
    if isinstance(node, ast.Call):
        return _FUNCS[node.func.id](*[_eval(a, env) for a in node.args])
    left, right = _eval(node.left, env), _eval(node.right, env)
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    if isinstance(node.op, ast.Div):
        return left / right
    if abs(right) > 100:
        raise OverflowError("power too large")
    return left ** right


def _fallback_equivalent(a: str, b: str) -> bool:
    ta, tb = _parse(a), _parse(b)
    names = sorted(_names(ta) | _names(tb))
    rng = random.Random(f"{a}|{b}")
    agree = 0
    for _ in range(40):
        env = {n: rng.choice([-1, 1]) * rng.uniform(0.1, 2.5) for n in names}
        try:
            va, vb = _eval(ta, env), _eval(tb, env)
            if isinstance(va, complex) or isinstance(vb, complex):
                continue
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            continue
        if not math.isclose(va, vb, rel_tol=1e-9, abs_tol=1e-12):
            return False
        agree += 1
    return agree >= 5


def _fallback_value(text: str) -> float:
    v = _eval(_parse(text), {})
    if isinstance(v, list) or isinstance(v, complex):
        raise ValueError("expected one number")
    return float(v)


# ----------------------------------------------------------------------------- the API used here


@lru_cache(maxsize=20000)
def equivalent(a: str, b: str) -> bool:
    """True when the two formulas (checker syntax) are mathematically equal.

    An unparsable side counts as "not equivalent"; callers that need parsable text check
    ``parses`` first.
    """
    if a.strip() == b.strip():
        return True
    try:
        if _REAL:
            fast = _fast_equivalent(a, b)
            return fast if fast is not None else bool(_checker.equivalent(a, b))
        return _fallback_equivalent(a, b)
    except Exception:
        return False


def _fast_equivalent(a: str, b: str) -> bool | None:
    """The checker's numeric formula comparison (high precision, seeded by the two texts),
    without the slip diagnosis ``equivalent`` adds for unequal pairs (10x slower) and without
    its sympy worker, whose time limit would make a quiz depend on the machine's load.

    Only a proven difference counts as "not equivalent"; an inconclusive comparison counts as
    equivalent, so such a formula is never offered as a wrong option. None when this path
    does not apply (numbers, vectors, or the checker's internals moved)."""
    try:
        from studyapp.core.checker.limits import CONTENT_LIMITS
        from studyapp.core.checker.nodes import free_symbols, shape
        from studyapp.core.checker.numeric import compare_functions
        from studyapp.core.checker.render import render_text

        ea = _checker.parse(a, limits=CONTENT_LIMITS)
        eb = _checker.parse(b, limits=CONTENT_LIMITS)
        if shape(ea) or shape(eb):
            return None
        names = sorted(set(free_symbols(ea)) | set(free_symbols(eb)))
        if not names:
            return None
        comparison = compare_functions(ea, eb, names, render_text(ea) + "\x00" + render_text(eb))
        return comparison.status != "different"
    except Exception:
        return None


@lru_cache(maxsize=20000)
def parses(text: str) -> bool:
    """True when the checker can read ``text`` as a formula."""
    try:
        if _REAL and hasattr(_checker, "parse"):
            try:
                from studyapp.core.checker.limits import CONTENT_LIMITS
            except ImportError:
                _checker.parse(text)
            else:
                _checker.parse(text, limits=CONTENT_LIMITS)  # stored formulas may be long
        else:
            _parse(text)
        return True
    except Exception:
        return False


@lru_cache(maxsize=20000)
def to_unicode(text: str) -> str:
    """Readable unicode rendering of a stored formula (the checker's, else a light rewrite)."""
    if _REAL and hasattr(_checker, "to_unicode"):
        try:
            return _checker.to_unicode(text)
        except Exception:
            pass
    out = text.replace("**", "^").replace("sigma", "σ").replace("*", "·")
    out = re.sub(r"\^2\b", "²", out)
    return out.replace("-", "−") if out.startswith("-") else out


def check_expression(expected: str, answer: str, variables: list[str] | None = None):
    """A Verdict for a typed formula. With ``variables`` (the names of the expected formula),
    an answer using other names is "invalid" with a message naming them, so it can be fixed."""
    if _REAL:
        verdict = _checker.check(expected, answer, kind="expression", variables=variables)
        if verdict.verdict == "invalid" and variables and "expected answer" in verdict.message:
            # the names were the problem on our side, not the user's: grade without them
            return _checker.check(expected, answer, kind="expression")
        return verdict
    try:
        ok = _fallback_equivalent(expected, answer)
    except Exception as exc:
        return FallbackVerdict("invalid", f"cannot read the answer: {exc}", expected, answer)
    return FallbackVerdict("correct" if ok else "incorrect",
                           "correct" if ok else "not equal to the expected formula", expected, answer)


def numeric_abs_tol(expected: float) -> float:
    """Absolute tolerance for a quiz number: the checker's 5e-4, but never more than 0.5 % of a
    nonzero answer ("4 significant digits" must hold near zero: 0 is not 0.0003)."""
    return 5e-4 if expected == 0 else min(5e-4, 0.005 * abs(expected))


def check_value(expected, answer: str, rel_tol: float = 0.005, abs_tol: float = 5e-4):
    """A Verdict for a typed number (or vector)."""
    if _REAL:
        return _checker.check_value(expected, answer, rel_tol=rel_tol, abs_tol=abs_tol)
    try:
        got = _fallback_value(answer)
    except Exception as exc:
        return FallbackVerdict("invalid", f"cannot read a number: {exc}", str(expected), answer)
    exp = float(expected)
    tol = abs_tol if abs(exp) < 0.1 else rel_tol * abs(exp)
    ok = abs(got - exp) <= tol
    return FallbackVerdict("correct" if ok else "incorrect",
                           "correct" if ok else f"expected {expected}", str(expected), answer)


def make_verdict(verdict: str, message: str, expected: str, answer: str,
                 diagnosis: str | None = None):
    """A Verdict of the checker's class when available (so callers see one type)."""
    if _REAL and hasattr(_checker, "Verdict"):
        try:
            return _checker.Verdict(verdict=verdict, message=message, expected=expected,
                                    answer=answer, diagnosis=diagnosis, pretty="")
        except TypeError:
            pass
    return FallbackVerdict(verdict, message, expected, answer, diagnosis)
