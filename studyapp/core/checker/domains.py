"""Domains of variables: the values a symbol may take, and so where the checker samples it.

A :class:`Domain` is an interval of the real line (each end open, closed or infinite), optionally
restricted to the integers. Domains are written the way people state assumptions::

    "real"   "in (0, 1)"   "in [0, inf)"   "> 0"   ">= 0"   "< 1"   "integer"
    "positive"   "negative"   "nonnegative"   "nonpositive"   "positive integer"
    "> 0 and < 1"                      (clauses joined by "and" all hold)

and an assumption puts a name in front: ``alpha in (0,1)``, ``x > 0``, ``n integer``,
``0 < x < 1``, ``η ≥ 0.5``. Names are read with the checker's parser, so ``α``/``alpha`` and
``beta1``/``β₁`` name the same symbol.

Sampling inside a domain (:meth:`Domain.random_values`, :meth:`Domain.exact_values`) follows the
check-answer contract: random reals over several magnitudes (negative ones included where the
domain has them) plus the exact small rationals −2, −3/2, −1, −1/2, 0, 1/2, 1, 2 that lie inside.
Random values are Python floats, so they are exact at any working precision.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

# The contract's exact points: integers and halves around 0.
EXACT_POINTS = tuple(Fraction(n, 2) for n in (-4, -3, -2, -1, 0, 1, 2, 4))
_EXTRA_INTEGERS = (3, 4, 5)  # for integer domains that hold few of the exact points


@dataclass(frozen=True)
class Domain:
    """An interval of the reals, ``lo``..``hi`` (None = unbounded), optionally integers only.

    ``lo_closed``/``hi_closed`` say whether the finite ends belong to it.
    """

    lo: Fraction | None = None
    hi: Fraction | None = None
    lo_closed: bool = False
    hi_closed: bool = False
    integer: bool = False

    # ----------------------------------------------------------------- set operations

    def contains(self, x) -> bool:
        """True when the number ``x`` (float or Fraction) lies in the domain."""
        if self.integer and x != math.floor(x):
            return False
        if self.lo is not None and (x < self.lo or (x == self.lo and not self.lo_closed)):
            return False
        return not (self.hi is not None and (x > self.hi or (x == self.hi and not self.hi_closed)))

    def intersect(self, other: Domain) -> Domain:
        """Values in both domains (may be empty: see :meth:`is_empty`)."""
        lo, lo_closed = _tighter(
            (self.lo, self.lo_closed), (other.lo, other.lo_closed), max, below=True
        )
        hi, hi_closed = _tighter(
            (self.hi, self.hi_closed), (other.hi, other.hi_closed), min, below=False
        )
        return Domain(lo, hi, lo_closed, hi_closed, self.integer or other.integer)

    def hull(self, other: Domain) -> Domain:
        """The smallest domain holding both (used when two meanings of a name both apply)."""
        lo, lo_closed = _looser((self.lo, self.lo_closed), (other.lo, other.lo_closed), min)
        hi, hi_closed = _looser((self.hi, self.hi_closed), (other.hi, other.hi_closed), max)
        return Domain(lo, hi, lo_closed, hi_closed, self.integer and other.integer)

    def is_empty(self) -> bool:
        lo, hi = self.lo, self.hi
        if self.integer:
            first, last = _first_integer(self), _last_integer(self)
            return first is not None and last is not None and first > last
        if lo is None or hi is None:
            return False
        return lo > hi or (lo == hi and not (self.lo_closed and self.hi_closed))

    @property
    def unrestricted(self) -> bool:
        return self.lo is None and self.hi is None and not self.integer

    # ----------------------------------------------------------------- text

    def describe(self, name: str = "x") -> str:
        """``"alpha in (0, 1)"``, ``"t ≥ 1, an integer"``, ``"x real"``."""
        kind = ", an integer" if self.integer else ""
        if self.lo is None:
            if self.hi is None:
                return f"{name} {'integer' if self.integer else 'real'}"
            return f"{name} {'≤' if self.hi_closed else '<'} {_num(self.hi)}{kind}"
        if self.hi is None:
            return f"{name} {'≥' if self.lo_closed else '>'} {_num(self.lo)}{kind}"
        left, right = "[" if self.lo_closed else "(", "]" if self.hi_closed else ")"
        return f"{name} in {left}{_num(self.lo)}, {_num(self.hi)}{right}{kind}"

    def sympy_assumptions(self) -> dict[str, bool]:
        """The sympy Symbol assumptions this domain implies (``real`` always)."""
        out = {"real": True}
        if self.integer:
            out["integer"] = True
        if self.lo is not None and (self.lo > 0 or (self.lo == 0 and not self.lo_closed)):
            out["positive"] = True
        elif self.lo is not None and self.lo >= 0:
            out["nonnegative"] = True
        if self.hi is not None and (self.hi < 0 or (self.hi == 0 and not self.hi_closed)):
            out["negative"] = True
        elif self.hi is not None and self.hi <= 0:
            out["nonpositive"] = True
        return out

    # ----------------------------------------------------------------- sampling

    def exact_values(self) -> list[Fraction]:
        """The contract's exact points inside the domain, topped up to at least two.

        ``(0, 1)`` gives 1/2 plus 1/4 and 3/4; ``t ≥ 1, an integer`` gives 1, 2, 3;
        an interval that holds none of them gets its quartiles.
        """
        values = [x for x in EXACT_POINTS if self.contains(x)]
        if self.integer:
            start = _first_integer(self)
            extra = [] if start is None else [start + k for k in range(3)]
            extra += [Fraction(n) for n in _EXTRA_INTEGERS]
            for x in extra:
                if len(values) >= 3:
                    break
                if self.contains(x) and x not in values:
                    values.append(Fraction(x))
            return values
        if len(values) < 3 and self.lo is not None and self.hi is not None:
            width = self.hi - self.lo
            for k in (1, 3, 2):
                x = self.lo + width * Fraction(k, 4)
                if len(values) < 3 and x not in values and self.contains(x):
                    values.append(x)
        elif len(values) < 2:
            anchor = self.lo if self.lo is not None else self.hi
            assert anchor is not None  # an unrestricted domain holds every exact point
            step = 1 if self.lo is not None else -1
            for k in (1, 2, 4):
                x = anchor + step * Fraction(k, 2)
                if self.contains(x) and x not in values:
                    values.append(x)
        return sorted(values)

    def random_values(self, gen, count: int):
        """``count`` floats inside the domain, over several magnitudes (a numpy array).

        ``gen`` is a ``numpy.random.Generator``. Unrestricted reals come in four bands of a
        quarter each: (0.05, 0.95) (probabilities, sigmoid outputs), ±[0.1, 10], +[1e-3, 1e3] and
        ±[1e-3, 1e3]. With one finite end: distances 0.05..0.95, then 1e-3..1e3 from it. Between
        two ends: uniform in the middle, and close to either end (where 1 − β^t or log(1 − a)
        are most delicate). Integers: small ones (0..9 from an end) and up to 1000.
        """
        import numpy as np

        if self.integer:
            return self._random_integers(gen, count)
        u = gen.random((2, count))  # one draw: numpy's per-call overhead dominates here
        b = max(1, count // 4)  # the bands are consecutive quarters
        lo, hi = self.lo, self.hi
        if lo is None and hi is None:
            out = 10 ** (6 * u[1] - 3)  # bands 2 and 3: 1e-3 .. 1e3
            out[:b] = 0.05 + 0.9 * u[1, :b]
            out[b : 2 * b] = 10 ** (2 * u[1, b : 2 * b] - 1)  # 0.1 .. 10
            flip = u[0] < 0.5
            flip[:b] = False
            flip[2 * b : 3 * b] = False
            out[flip] *= -1
            return out
        if hi is None or lo is None:
            one_end = lo if lo is not None else hi
            assert one_end is not None  # both None returned above
            end = float(one_end)
            step = 10 ** (6 * u[1] - 3)
            step[:b] = 0.05 + 0.9 * u[1, :b]
            x = end + step if lo is not None else end - step
            inside = np.nextafter(end, np.inf if lo is not None else -np.inf)
            x[x == end] = inside  # a huge end swallows a small step
            return x
        frac = 10 ** (2.7 * u[1] - 3)  # near an end: 1e-3 .. 0.5 of the width
        frac[: 2 * b] = 0.02 + 0.96 * u[1, : 2 * b]
        frac[3 * b :] = 1 - frac[3 * b :]
        x = float(lo) + float(hi - lo) * frac
        return np.clip(x, np.nextafter(float(lo), np.inf), np.nextafter(float(hi), -np.inf))

    def _random_integers(self, gen, count: int):
        import numpy as np

        lo, hi = _first_integer(self), _last_integer(self)
        if lo is not None and hi is not None:
            return gen.integers(int(lo), int(hi) + 1, count).astype(float)
        small = gen.integers(0, 10, count).astype(float)
        magnitude = np.where(
            gen.random(count) < 0.5, small, np.floor(10 ** gen.uniform(0, 3, count))
        )
        if lo is not None:
            return float(lo) + magnitude
        if hi is not None:
            return float(hi) - magnitude
        return gen.choice(np.array([-1.0, 1.0]), count) * magnitude


REAL = Domain()


def _num(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else str(float(x))


def _first_integer(d: Domain) -> Fraction | None:
    if d.lo is None:
        return None
    n = Fraction(math.ceil(d.lo))
    if n == d.lo and not d.lo_closed:
        n += 1
    return n


def _last_integer(d: Domain) -> Fraction | None:
    if d.hi is None:
        return None
    n = Fraction(math.floor(d.hi))
    if n == d.hi and not d.hi_closed:
        n -= 1
    return n


def _tighter(a, b, pick, below: bool):
    """The stricter of two bounds ((value, closed) pairs; value None = unbounded)."""
    if a[0] is None:
        return b
    if b[0] is None:
        return a
    if a[0] == b[0]:
        return a[0], a[1] and b[1]
    return a if pick(a[0], b[0]) == a[0] else b


def _looser(a, b, pick):
    if a[0] is None or b[0] is None:
        return None, False
    if a[0] == b[0]:
        return a[0], a[1] or b[1]
    return a if pick(a[0], b[0]) == a[0] else b


# --------------------------------------------------------------------------- reading text

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?(?:/\d+)?|[-+]?(?:inf|infinity|∞)"
_OPS = {"<": "<", "<=": "<=", "≤": "<=", ">": ">", ">=": ">=", "≥": ">=", "=<": "<=", "=>": ">="}
_OP = r"<=|>=|=<|=>|≤|≥|<|>"
_WORDS = {
    "real": REAL,
    "positive": Domain(lo=Fraction(0)),
    "negative": Domain(hi=Fraction(0)),
    "nonnegative": Domain(lo=Fraction(0), lo_closed=True),
    "non-negative": Domain(lo=Fraction(0), lo_closed=True),
    "nonpositive": Domain(hi=Fraction(0), hi_closed=True),
    "non-positive": Domain(hi=Fraction(0), hi_closed=True),
    "integer": Domain(integer=True),
    "integers": Domain(integer=True),
    "int": Domain(integer=True),
}
_INTERVAL = re.compile(
    rf"^(?:(?:in|∈)\s*)?([(\[])\s*({_NUMBER})\s*,\s*({_NUMBER})\s*([)\]])$", re.IGNORECASE
)
_COMPARE = re.compile(rf"^({_OP})\s*({_NUMBER})$", re.IGNORECASE)
_BETWEEN = re.compile(rf"^\s*({_NUMBER})\s*({_OP})\s*(.+?)\s*({_OP})\s*({_NUMBER})\s*$")
_NAME_THEN = re.compile(rf"^\s*(.+?)\s*((?:{_OP}|\bin\b|∈|\bis\b|\s).*)$", re.IGNORECASE)
_EXAMPLES = "e.g. 'alpha in (0, 1)', 'x > 0', 'n integer' or '0 < x < 1'"


class DomainError(ValueError):
    """Text that does not state a domain (the message says what is wrong, on one line)."""


def _number(text: str) -> Fraction | None:
    """Fraction of a bound; None for ±infinity."""
    t = text.strip().lower().replace("−", "-")
    if t.lstrip("+-") in ("inf", "infinity", "∞"):
        return None
    try:
        return Fraction(t)
    except (ValueError, ZeroDivisionError):
        raise DomainError(f"not a number: {text!r}") from None


def _bound(op: str, value: str) -> Domain:
    v = _number(value)
    op = _OPS[op]
    if v is None:
        if (op[0] == ">") == value.strip().startswith("-"):  # x > -inf, x < inf: no bound
            return REAL
        raise DomainError(f"'{op} {value}' leaves no values")
    if op[0] == ">":
        return Domain(lo=v, lo_closed=op == ">=")
    return Domain(hi=v, hi_closed=op == "<=")


def _clause(text: str) -> Domain:
    t = " ".join(text.replace("−", "-").split())
    if not t:
        raise DomainError("nothing is said about the values")
    low = t.lower()
    if low in _WORDS:
        return _WORDS[low]
    words = low.split()
    if len(words) > 1 and all(w in _WORDS for w in words):  # "positive integer"
        out = REAL
        for w in words:
            out = out.intersect(_WORDS[w])
        return out
    m = _INTERVAL.match(t)
    if m:
        lo, hi = _number(m.group(2)), _number(m.group(3))
        return Domain(
            lo, hi, m.group(1) == "[" and lo is not None, m.group(4) == "]" and hi is not None
        )
    m = _COMPARE.match(t)
    if m:
        return _bound(m.group(1), m.group(2))
    raise DomainError(f"cannot read the domain {text.strip()!r} ({_EXAMPLES})")


def parse_domain(text: str) -> Domain:
    """A :class:`Domain` from text such as ``"in (0, 1)"`` or ``"positive integer"``.

    Raises :class:`DomainError` (one line) for text that states no domain or an empty one.
    """
    if not isinstance(text, str) or len(text) > 200:
        raise DomainError("a domain is a short text such as 'in (0, 1)' or '> 0'")
    t = text.strip()
    if t.lower().startswith("is "):
        t = t[3:]
    out = REAL
    for part in re.split(r"\s+and\s+|\s*&\s*", t, flags=re.IGNORECASE):
        out = out.intersect(_clause(part))
    if out.is_empty():
        raise DomainError(f"{text.strip()!r} leaves no values")
    return out


def _canonical(raw: str) -> str:
    from studyapp.core.checker.errors import ParseError
    from studyapp.core.checker.nodes import Sym
    from studyapp.core.checker.parser import parse

    try:
        node = parse(raw.strip())
    except ParseError:
        node = None
    if not isinstance(node, Sym):
        raise DomainError(f"{raw.strip()!r} is not a variable name ({_EXAMPLES})")
    return node.name


def parse_assumption(text: str) -> tuple[str, Domain]:
    """``(canonical name, Domain)`` from ``"alpha in (0,1)"``, ``"x > 0"``, ``"0 < x < 1"``.

    Raises :class:`DomainError` with a one-line message naming what is wrong.
    """
    if not isinstance(text, str) or not text.strip():
        raise DomainError(f"empty assumption ({_EXAMPLES})")
    if len(text) > 200:
        raise DomainError("an assumption is at most 200 characters")
    t = text.strip().replace("−", "-")
    m = _BETWEEN.match(t)
    if m:  # 0 < x < 1
        low_op = {"<": ">", "<=": ">=", "≤": ">=", "=<": ">="}.get(m.group(2))
        if low_op is None or _OPS[m.group(4)] not in ("<", "<="):
            raise DomainError(f"cannot read {text.strip()!r}: write a < x < b ({_EXAMPLES})")
        domain = _bound(low_op, m.group(1)).intersect(_bound(m.group(4), m.group(5)))
        if domain.is_empty():
            raise DomainError(f"{text.strip()!r} leaves no values")
        return _canonical(m.group(3)), domain
    m = _NAME_THEN.match(t)
    if not m or not m.group(2).strip():
        raise DomainError(f"cannot read the assumption {text.strip()!r} ({_EXAMPLES})")
    name = _canonical(m.group(1))
    return name, parse_domain(m.group(2))


def parse_assumptions(texts) -> dict[str, Domain]:
    """Several assumptions; those about one name all hold (their domains are intersected)."""
    out: dict[str, Domain] = {}
    for text in texts or ():
        name, domain = parse_assumption(text)
        merged = out[name].intersect(domain) if name in out else domain
        if merged.is_empty():
            raise DomainError(f"the assumptions about {name} leave no values")
        out[name] = merged
    return out
