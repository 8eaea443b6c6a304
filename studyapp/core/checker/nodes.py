"""The checker's own expression tree (no sympy here).

The parser builds these small immutable nodes; rendering (:mod:`.render`), numeric
evaluation (:mod:`.numeric`) and the conversion to sympy (:mod:`.to_sympy`, only inside
the symbolic worker or on demand) all walk the same tree. Nodes serialise to plain JSON
(:func:`to_json` / :func:`from_json`) so the tree - never the user's text - is what crosses
into the symbolic worker process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction


class Node:
    """Base class of every expression node."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Num(Node):
    """A number literal; ``value`` is exact (``0.1`` is 1/10), ``text`` is how it was typed."""

    value: Fraction
    text: str


@dataclass(frozen=True, slots=True)
class Sym(Node):
    """A variable, by canonical name (``w_1``, ``eps``, ``y_hat``, ``beta_1``)."""

    name: str


@dataclass(frozen=True, slots=True)
class Const(Node):
    """A mathematical constant: ``e`` or ``pi``."""

    name: str


@dataclass(frozen=True, slots=True)
class Neg(Node):
    """Unary minus."""

    arg: Node


@dataclass(frozen=True, slots=True)
class BinOp(Node):
    """``left op right`` with op in ``+ - * /``; ``implicit`` marks juxtaposition (``2z``)."""

    op: str
    left: Node
    right: Node
    implicit: bool = field(default=False, compare=False)  # display only, not meaning


@dataclass(frozen=True, slots=True)
class Pow(Node):
    """``base ^ exp``."""

    base: Node
    exp: Node


@dataclass(frozen=True, slots=True)
class Call(Node):
    """A known function applied to arguments; ``func`` is the canonical name (see names.FUNCTIONS)."""

    func: str
    args: tuple


@dataclass(frozen=True, slots=True)
class Vec(Node):
    """A vector of scalar expressions, shape (n,)."""

    items: tuple


@dataclass(frozen=True, slots=True)
class Mat(Node):
    """A matrix of scalar expressions, shape (rows, cols); ``rows`` is a tuple of tuples."""

    rows: tuple


def free_symbols(node: Node) -> set[str]:
    """Names of the variables used in ``node``."""
    out: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Sym):
            out.add(n.name)
        else:
            stack.extend(children(n))
    return out


def children(node: Node) -> tuple:
    """The direct sub-nodes of ``node`` (in order)."""
    if isinstance(node, BinOp):
        return (node.left, node.right)
    if isinstance(node, Neg):
        return (node.arg,)
    if isinstance(node, Pow):
        return (node.base, node.exp)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Vec):
        return node.items
    if isinstance(node, Mat):
        return tuple(x for row in node.rows for x in row)
    return ()


def shape(node: Node) -> tuple[int, ...]:
    """``()`` for a scalar, ``(n,)`` for a vector, ``(rows, cols)`` for a matrix."""
    if isinstance(node, Vec):
        return (len(node.items),)
    if isinstance(node, Mat):
        return (len(node.rows), len(node.rows[0]))
    return ()


def to_json(node: Node):
    """A JSON-able nested list for ``node`` (used to ship trees to the symbolic worker)."""
    if isinstance(node, Num):
        return ["num", node.value.numerator, node.value.denominator, node.text]
    if isinstance(node, Sym):
        return ["sym", node.name]
    if isinstance(node, Const):
        return ["const", node.name]
    if isinstance(node, Neg):
        return ["neg", to_json(node.arg)]
    if isinstance(node, BinOp):
        return ["bin", node.op, to_json(node.left), to_json(node.right), node.implicit]
    if isinstance(node, Pow):
        return ["pow", to_json(node.base), to_json(node.exp)]
    if isinstance(node, Call):
        return ["call", node.func, [to_json(a) for a in node.args]]
    if isinstance(node, Vec):
        return ["vec", [to_json(a) for a in node.items]]
    if isinstance(node, Mat):
        return ["mat", [[to_json(a) for a in row] for row in node.rows]]
    raise TypeError(f"not a checker node: {node!r}")


def from_json(data) -> Node:
    """Inverse of :func:`to_json`; raises ValueError on anything malformed."""
    from studyapp.core.checker.names import CONSTANTS, FUNCTIONS

    if not isinstance(data, list) or not data:
        raise ValueError("malformed node")
    tag = data[0]
    if tag == "num":
        p, q = int(data[1]), int(data[2])
        if q == 0 or abs(p).bit_length() > 4096 or q.bit_length() > 4096:
            raise ValueError("malformed number")
        return Num(Fraction(p, q), str(data[3]))
    if tag == "sym":
        return Sym(str(data[1]))
    if tag == "const":
        if data[1] not in CONSTANTS.values():
            raise ValueError("unknown constant")
        return Const(data[1])
    if tag == "neg":
        return Neg(from_json(data[1]))
    if tag == "bin":
        if data[1] not in ("+", "-", "*", "/"):
            raise ValueError("unknown operator")
        return BinOp(data[1], from_json(data[2]), from_json(data[3]), bool(data[4]))
    if tag == "pow":
        return Pow(from_json(data[1]), from_json(data[2]))
    if tag == "call":
        if data[1] not in {spec.name for spec in FUNCTIONS.values()}:
            raise ValueError("unknown function")
        return Call(data[1], tuple(from_json(a) for a in data[2]))
    if tag == "vec":
        return Vec(tuple(from_json(a) for a in data[1]))
    if tag == "mat":
        return Mat(tuple(tuple(from_json(a) for a in row) for row in data[1]))
    raise ValueError(f"unknown node tag {tag!r}")
