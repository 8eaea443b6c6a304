"""Recursive-descent grammar for answers as people type them (tokens from :mod:`.lexer`).

Nothing here evaluates text: the lexer accepts a fixed alphabet, the grammar builds
:mod:`.nodes` objects, and only names listed in :mod:`.names` can be called.

``∂C/∂a`` is read as ``dC/da`` (names dC and da), so chain-rule products cancel as on paper.

Grammar (lowest to highest precedence)::

    input    := rows                                  # "0.5, 0.8" is a vector, "1,2;3,4" a matrix
    expr     := term (("+" | "-") term)*
    term     := unary (("*" | "/") unary | <juxtaposed> power)*   # 2z, a(1-a), 2 σ(z)
    unary    := ("-" | "+") unary | power
    power    := postfix ("^" unary)?                   # right-associative, e^-z allowed
    postfix  := atom SUPERSCRIPT*                      # z², x⁻¹
    atom     := number | name | function | "(" rows ")" | "[" rows "]" | "|" expr "|" | "√" power

Implicit multiplication has the same precedence as ``*`` and ``/`` (left to right), so
``1/2 (a-y)^2`` is ½·(a−y)²; the preview shows how a formula was read.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from fractions import Fraction

from studyapp.core.checker.errors import LimitError, ParseError
from studyapp.core.checker.lexer import (
    DIGITS,
    END,
    NAME,
    NUM,
    OP,
    PRIME_TOK,
    SQRT,
    SUP,
    Token,
    tokenize,
)
from studyapp.core.checker.limits import DEFAULT_LIMITS, Limits
from studyapp.core.checker.names import (
    CONSTANTS,
    FUNCTION_NAMES_CI,
    FUNCTIONS,
    GREEK_WORDS,
    PRIME,
    known_function_list,
)
from studyapp.core.checker.nodes import (
    BinOp,
    Call,
    Const,
    Mat,
    Neg,
    Node,
    Num,
    Pow,
    Sym,
    Vec,
    children,
)


def canonical_name(raw: str) -> str:
    """Canonical variable name: Greek spellings unified, trailing digits as subscripts, hats.

    ``beta1``/``β₁``/``beta_1`` -> ``beta_1``; ``epsilon``/``ε`` -> ``eps``; ``w1`` -> ``w_1``;
    ``yhat``/``ŷ`` -> ``y_hat``. Longer names keep their digits (``Eg2``, ``Edx2``).
    """
    raw = raw.rstrip("_") or raw  # "w_" is just w
    base, sep, sub = raw.partition("_")
    if not sep:
        # trailing digits are a subscript: w1 -> w_1, beta2 -> beta_2
        i = len(base)
        while i > 0 and base[i - 1] in DIGITS:
            i -= 1
        # only after one letter or a Greek name (w1, beta1): Eg2 is E[g²], not Eg₂
        if 0 < i < len(base) and (i == 1 or base[:i].lower() in GREEK_WORDS):
            base, sub, sep = base[:i], base[i:], "_"
    if not sep and base.endswith("hat") and len(base) > 3:
        stem = base[:-3]
        if len(stem) == 1 or stem.lower() in GREEK_WORDS:
            base, sub, sep = stem, "hat", "_"
    base = GREEK_WORDS.get(base.lower(), base) if base.lower() in GREEK_WORDS else base
    if sep and sub:
        return f"{base}_{sub}"
    return base


# --------------------------------------------------------------------------- grammar


class _Parser:
    def __init__(self, tokens: list[Token], limits: Limits, known_vars: frozenset[str] | None):
        self.tokens = tokens
        self.i = 0
        self.limits = limits
        self.nesting = 0
        self.abs_open = 0
        self.known_vars = known_vars

    # -- helpers
    def peek(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def enter(self, tok: Token) -> None:
        self.nesting += 1
        if self.nesting > self.limits.max_nesting:
            raise LimitError(
                f"nested too deeply at position {tok.pos + 1} (limit {self.limits.max_nesting} "
                "levels of brackets, signs and powers)",
                tok.pos,
            )

    def leave(self) -> None:
        self.nesting -= 1

    def expect_op(self, op: str, opened: Token | None = None) -> Token:
        tok = self.peek()
        if tok.is_op(op):
            return self.advance()
        where = f" to close the '{opened.value}' at position {opened.pos + 1}" if opened else ""
        raise ParseError(f"expected '{op}'{where} but found {self.describe(tok)}", tok.pos)

    @staticmethod
    def describe(tok: Token) -> str:
        if tok.kind == END:
            return "the end of the input"
        if tok.kind == NUM:
            return f"the number {tok.value[1]} at position {tok.pos + 1}"
        if tok.kind == NAME:
            return f"'{tok.value}' at position {tok.pos + 1}"
        if tok.kind == SUP:
            return f"a superscript at position {tok.pos + 1}"
        if tok.kind == PRIME_TOK:
            return f"a prime (') at position {tok.pos + 1}"
        if tok.kind == SQRT:
            return f"'√' at position {tok.pos + 1}"
        return f"'{tok.value}' at position {tok.pos + 1}"

    def starts_operand(self, tok: Token) -> bool:
        if tok.kind in (NAME, SQRT):
            return True
        if tok.kind == OP:
            if tok.value in "([":
                return True
            if tok.value == "|":
                return self.abs_open == 0
        return False

    # -- grammar
    def parse_input(self) -> Node:
        if self.peek().kind == END:
            raise ParseError("empty input: type a number, a formula, a vector or a matrix", 0)
        node = self.parse_rows(None, None)
        tok = self.peek()
        if tok.kind != END:
            raise ParseError(f"unexpected {self.describe(tok)}", tok.pos)
        return node

    def parse_rows(self, opened: Token | None, closer: str | None) -> Node:
        """Comma-separated items, rows split by ';'; returns one node (scalar, Vec or Mat)."""
        rows: list[list[Node]] = [[]]
        while True:
            tok = self.peek()
            if tok.is_op(",", ";") or (closer and tok.is_op(closer)) or tok.kind == END:
                raise ParseError(f"missing entry before {self.describe(tok)}", tok.pos)
            rows[-1].append(self.parse_expr())
            tok = self.peek()
            if tok.is_op(","):
                self.advance()
            elif tok.is_op(";"):
                self.advance()
                rows.append([])
            else:
                break
            if sum(len(r) for r in rows) > self.limits.max_entries:
                raise LimitError(f"too many entries (limit {self.limits.max_entries})", tok.pos)
        if closer is not None:
            self.expect_op(closer, opened)
        bracket = opened.value if opened else None
        if len(rows) > 1:
            widths = {len(r) for r in rows}
            if len(widths) != 1:
                raise ParseError(
                    "matrix rows have different lengths: " + ", ".join(str(len(r)) for r in rows),
                    opened.pos if opened else 0,
                )
            for row in rows:
                for item in row:
                    if isinstance(item, (Vec, Mat)):
                        raise ParseError(
                            "matrix entries must be numbers or formulas",
                            opened.pos if opened else 0,
                        )
            return Mat(tuple(tuple(r) for r in rows))
        items = rows[0]
        if len(items) == 1 and bracket != "[":
            return items[0]
        vectors = [x for x in items if isinstance(x, Vec)]
        if len(vectors) == len(items):
            widths = {len(x.items) for x in vectors}
            if len(widths) != 1:
                raise ParseError(
                    "matrix rows have different lengths: "
                    + ", ".join(str(len(x.items)) for x in vectors),
                    opened.pos if opened else 0,
                )
            return Mat(tuple(x.items for x in vectors))
        if any(isinstance(x, (Vec, Mat)) for x in items):
            raise ParseError(
                "cannot mix numbers and vectors in one list", opened.pos if opened else 0
            )
        return Vec(tuple(items))

    def parse_expr(self) -> Node:
        # Nesting is counted where recursion starts (brackets, |…|, calls, signs, powers).
        left = self.parse_term()
        while self.peek().is_op("+", "-"):
            op = self.advance()
            self.need_operand(op)
            left = BinOp(op.value, left, self.parse_term())
        return left

    def need_operand(self, op: Token) -> None:
        tok = self.peek()
        if tok.kind == END or tok.is_op(")", "]", ",", ";") or (tok.is_op("|") and self.abs_open):
            raise ParseError(
                f"incomplete formula: nothing after '{op.value}' at position {op.pos + 1}", op.pos
            )

    def parse_term(self) -> Node:
        left = self.parse_unary()
        while True:
            tok = self.peek()
            if tok.is_op("*", "/"):
                self.advance()
                self.need_operand(tok)
                left = BinOp(tok.value, left, self.parse_unary())
            elif self.starts_operand(tok):
                left = BinOp("*", left, self.parse_power(), implicit=True)
            elif tok.kind == NUM:
                raise ParseError(
                    f"missing operator before the number {tok.value[1]} at position {tok.pos + 1}",
                    tok.pos,
                )
            elif tok.kind == SUP:
                raise ParseError(f"unexpected superscript at position {tok.pos + 1}", tok.pos)
            elif tok.kind == PRIME_TOK:
                raise ParseError(
                    f"a prime (') only follows a function name, as in σ'(z) "
                    f"(position {tok.pos + 1})",
                    tok.pos,
                )
            else:
                return left

    def parse_unary(self) -> Node:
        tok = self.peek()
        if tok.is_op("-", "+"):
            self.advance()
            self.need_operand(tok)
            self.enter(tok)
            arg = self.parse_unary()
            self.leave()
            if tok.value == "+":
                return arg
            return Neg(arg)
        return self.parse_power()

    def parse_power(self) -> Node:
        base = self.parse_postfix()
        tok = self.peek()
        if tok.is_op("^"):
            self.advance()
            self.need_operand(tok)
            self.enter(tok)
            exponent = self.parse_unary()
            self.leave()
            return self.make_pow(base, exponent, tok)
        return base

    def make_pow(self, base: Node, exponent: Node, tok: Token) -> Pow:
        if not _has_symbol(exponent):
            value = _const_float(exponent)
            if value is None or not abs(value) <= self.limits.max_power:
                raise LimitError(
                    f"power too large at position {tok.pos + 1}: constant exponents are limited "
                    f"to ±{self.limits.max_power}",
                    tok.pos,
                )
        return Pow(base, exponent)

    def parse_postfix(self) -> Node:
        node = self.parse_atom()
        while self.peek().kind == SUP:
            tok = self.advance()
            node = self.make_pow(node, _sup_node(tok.value), tok)
        return node

    def parse_atom(self) -> Node:
        tok = self.peek()
        if tok.kind == NUM:
            self.advance()
            value, typed = tok.value
            return Num(value, typed)
        if tok.kind == NAME:
            return self.parse_name()
        if tok.kind == SQRT:
            self.advance()
            self.need_operand(tok)
            self.enter(tok)
            arg = self.parse_power()
            self.leave()
            return Call("sqrt", (arg,))
        if tok.is_op("(", "["):
            self.advance()
            self.enter(tok)
            node = self.parse_rows(tok, ")" if tok.value == "(" else "]")
            self.leave()
            return node
        if tok.is_op("|"):
            self.advance()
            self.enter(tok)
            self.abs_open += 1
            inner = self.parse_expr()
            self.abs_open -= 1
            self.expect_op("|", tok)
            self.leave()
            return Call("abs", (inner,))
        if tok.kind == END:
            raise ParseError(
                "incomplete formula: it ends where a number, name or '(' should be "
                f"(position {tok.pos + 1})",
                tok.pos,
            )
        raise ParseError(f"unexpected {self.describe(tok)}", tok.pos)

    def parse_name(self) -> Node:
        tok = self.advance()
        raw: str = tok.value.rstrip("_") or tok.value  # "σ_" is σ, "w_" is w
        spec = FUNCTIONS.get(raw) or FUNCTION_NAMES_CI.get(raw.lower())
        if spec is not None:
            return self.parse_call(tok, spec)
        if raw in CONSTANTS:
            return Const(CONSTANTS[raw])
        name = canonical_name(raw)
        if name in CONSTANTS:
            return Const(CONSTANTS[name])
        nxt = self.peek()
        known = self.known_vars or frozenset()
        if name in known:
            return Sym(name)
        if self.known_vars:
            split = _split_name(raw, known)
            if split is not None:
                node: Node = split[0]
                for part in split[1:]:
                    node = BinOp("*", node, part, implicit=True)
                return node
        if nxt.is_op("(") and _looks_like_function(raw, name):
            raise ParseError(
                f"unknown function '{raw}' at position {tok.pos + 1}; known functions: "
                f"{known_function_list()}",
                tok.pos,
            )
        return Sym(name)

    def parse_call(self, tok: Token, spec) -> Node:
        power: Node | None = None
        func = spec.name
        # tanh²(z), tanh^2(z), σ'(z)
        while True:
            nxt = self.peek()
            if nxt.kind == SUP and power is None:
                self.advance()
                power = _sup_node(nxt.value)
            elif nxt.is_op("^") and power is None and self._power_before_argument():
                self.advance()
                power = self.parse_atom()
            elif nxt.kind == PRIME_TOK:
                self.advance()
                if func not in PRIME:
                    raise ParseError(
                        f"cannot take the derivative of {spec.display} with ' (position "
                        f"{nxt.pos + 1}); write it out",
                        nxt.pos,
                    )
                func = PRIME[func]
            else:
                break
        spec = next(s for s in FUNCTIONS.values() if s.name == func)
        nxt = self.peek()
        if nxt.is_op("("):
            self.advance()
            if self.peek().is_op(")"):
                raise ParseError(
                    f"{spec.display} needs an argument inside the brackets "
                    f"(position {nxt.pos + 1})",
                    nxt.pos,
                )
            self.enter(nxt)
            args = [self.parse_expr()]
            while self.peek().is_op(","):
                comma = self.advance()
                if self.peek().is_op(")", ","):
                    raise ParseError(
                        f"missing argument after ',' at position {comma.pos + 1}", comma.pos
                    )
                args.append(self.parse_expr())
            self.expect_op(")", nxt)
            self.leave()
        elif self.starts_operand(nxt) or nxt.kind == NUM:
            # ln a, σ z, √-less juxtaposition: the argument is the next power-level operand
            self.enter(nxt)
            args = [self.parse_power()]
            self.leave()
        else:
            raise ParseError(
                f"{spec.display} needs an argument, e.g. {spec.display}(z) "
                f"(position {tok.pos + 1})",
                tok.pos,
            )
        if not spec.min_args <= len(args) <= spec.max_args:
            want = (
                str(spec.min_args)
                if spec.min_args == spec.max_args
                else f"{spec.min_args} to {spec.max_args}"
            )
            raise ParseError(
                f"{spec.display} takes {want} argument(s), got {len(args)} "
                f"(position {tok.pos + 1})",
                tok.pos,
            )
        for arg in args:
            if isinstance(arg, (Vec, Mat)):
                raise ParseError(
                    f"{spec.display} needs a number or formula, not a vector "
                    f"(position {tok.pos + 1})",
                    tok.pos,
                )
        node: Node = Call(func, tuple(args))
        if power is not None:
            node = self.make_pow(node, power, tok)
        return node

    def _power_before_argument(self) -> bool:
        """``tanh^2(z)``: a '^' right after a function name raises the function's value."""
        j = self.i + 1
        toks = self.tokens
        if (
            j < len(toks)
            and toks[j].kind == NUM
            and j + 1 < len(toks)
            and (toks[j + 1].is_op("(") or toks[j + 1].kind == NAME)
        ):
            return True
        return False


def _looks_like_function(raw: str, name: str) -> bool:
    """A multi-letter plain word before '(' is meant as a function call (a(1-a) is not)."""
    if len(raw) <= 1 or "_" in name:
        return False
    if name in GREEK_WORDS.values() or raw.lower() in GREEK_WORDS:
        return False
    return raw.isalpha() or raw[0].isalpha()


def _split_name(raw: str, known: frozenset[str]) -> list[Node] | None:
    """Split ``ay`` into ``a·y`` when every piece is a variable of the expected answer."""
    if len(raw) < 2 or not raw.isalpha() or raw.lower() in GREEK_WORDS:
        return None  # "beta" is β even when b and eta are variables
    pieces: list[Node] = []
    i = 0
    candidates = sorted((k for k in known if k.isalpha()), key=len, reverse=True)
    while i < len(raw):
        for cand in candidates:
            if raw.startswith(cand, i):
                pieces.append(Sym(cand))
                i += len(cand)
                break
        else:
            if raw[i] == "e":
                pieces.append(Const("e"))
                i += 1
                continue
            return None
    return pieces if len(pieces) > 1 else None


def _sup_node(sup: str) -> Node:
    if sup.startswith("-"):
        return Neg(Num(Fraction(int(sup[1:])), sup[1:]))
    return Num(Fraction(int(sup)), sup)


def _has_symbol(node: Node) -> bool:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Sym):
            return True
        stack.extend(children(n))
    return False


_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}

_FLOAT_FUNCS: dict[str, Callable[[float], float]] = {
    "exp": math.exp,
    "log": math.log,
    "sqrt": math.sqrt,
    "tanh": math.tanh,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "abs": abs,
    "log10": math.log10,
    "log2": math.log2,
}


def _const_float(node: Node) -> float | None:
    """Float value of a constant exponent, or None if it is not a finite real (or too big).

    Only used to bound exponents, so overflow simply means "too big".
    """
    try:
        value = _cf(node, 0)
    except (OverflowError, ValueError, ZeroDivisionError, TypeError, RecursionError):
        return None
    if isinstance(value, complex) or value != value or value in (math.inf, -math.inf):
        return None
    return value


def _cf(node: Node, depth: int) -> float:
    if depth > 60:
        raise OverflowError
    if isinstance(node, Num):
        return float(node.value)
    if isinstance(node, Const):
        return math.e if node.name == "e" else math.pi
    if isinstance(node, Neg):
        return -_cf(node.arg, depth + 1)
    if isinstance(node, BinOp):
        return _ARITHMETIC[node.op](_cf(node.left, depth + 1), _cf(node.right, depth + 1))
    if isinstance(node, Pow):
        b, e = _cf(node.base, depth + 1), _cf(node.exp, depth + 1)
        if abs(e) > 1e6 or (abs(b) > 1 and abs(e) * math.log(abs(b)) > 700):
            raise OverflowError
        return math.pow(b, e)
    if isinstance(node, Call) and node.func in _FLOAT_FUNCS and len(node.args) == 1:
        x = _cf(node.args[0], depth + 1)
        if node.func in ("exp", "sinh", "cosh") and abs(x) > 700:
            raise OverflowError
        return _FLOAT_FUNCS[node.func](x)
    if isinstance(node, Call) and node.args:
        # other functions of a constant: bounded by their argument for our purposes
        return max(abs(_cf(a, depth + 1)) for a in node.args)
    raise ValueError


def _check_tree(node: Node, limits: Limits) -> None:
    """Count nodes and depth without recursion; vectors/matrices only at the top."""
    count = 0
    stack: list[tuple[Node, int]] = [(node, 1)]
    while stack:
        n, depth = stack.pop()
        count += 1
        if count > limits.max_nodes:
            raise LimitError(f"formula too large (limit {limits.max_nodes} parts)")
        if depth > limits.max_depth:
            raise LimitError(f"formula nested too deeply (limit depth {limits.max_depth})")
        if isinstance(n, (Vec, Mat)):
            if n is not node:
                raise ParseError("a vector or matrix must stand on its own (no arithmetic on it)")
            for item in children(n):
                if isinstance(item, (Vec, Mat)):
                    raise ParseError("vectors of vectors are written as a matrix [[1, 2], [3, 4]]")
                stack.append((item, depth + 1))
            continue
        for child in children(n):
            stack.append((child, depth + 1))


def parse(text: str, known_vars=None, limits: Limits = DEFAULT_LIMITS) -> Node:
    """Parse typed text into a checker tree.

    ``known_vars``: canonical names of variables that may appear (used to read ``ay`` as
    ``a·y`` when both ``a`` and ``y`` are variables). Raises :class:`ParseError` (with
    ``position``) or :class:`LimitError` (naming the limit); never anything else for a str.
    """
    if not isinstance(text, str):
        raise ParseError("the answer must be text")
    if len(text) > limits.max_length:
        raise LimitError(f"input too long: {len(text)} characters (limit {limits.max_length})")
    if not text.strip():
        raise ParseError("empty input: type a number, a formula, a vector or a matrix", 0)
    tokens = tokenize(text, limits)
    known = frozenset(known_vars) if known_vars else None
    parser = _Parser(tokens, limits, known)
    try:
        node = parser.parse_input()
    except RecursionError:  # pragma: no cover - the nesting limit is far below the recursion limit
        raise LimitError("formula nested too deeply") from None
    _check_tree(node, limits)
    return node
