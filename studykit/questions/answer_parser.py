r"""The grammar of typed answers and its parser (재귀 하강 파서, recursive-descent parser).

The tokens of an answer (`studykit.questions.answer_tokens`) are read by a recursive-descent
parser written here, one method per grammar rule, into the nodes of
`studykit.questions.answer_tree`. The text is never handed to Python: the parser accepts exactly
the grammar below, so the same rules can be ported line by line to JavaScript for the static
site and give the same verdicts.

Grammar (문법, EBNF; `{ }` repeats, `[ ]` is optional; spaces between tokens are ignored):

```text
expr      = term { ("+" | "-") term } ;
term      = unary { ("*" | "/") unary | implicit } ;
implicit  = power ;                       (* expression answers only: see below *)
unary     = { "+" | "-" } power ;
power     = atom [ ("**" | "^") unary ] ;             (* right-associative, at most 8 in a row *)
atom      = ( NUMBER | "(" expr ")" ) [ "%" ]         (* "%": number and tensor answers only *)
          | constant | variable | function "(" expr ")" ;
function  = "sqrt" | "exp" | "log" | "ln" | "sin" | "cos" | "tanh"
          | "sinh" | "cosh" | "sech" | "sigmoid" | "σ" | "softplus" | "relu" | "abs" ;
            (* number answers: sqrt, exp, log and ln only *)
constant  = "pi" | "π" | "e" ;
NUMBER    = DIGITS [ "." [ DIGITS ] ] [ EXP ] | "." DIGITS [ EXP ] ;
EXP       = ("e" | "E") [ "+" | "-" ] DIGITS ;        (* at most 30 digits before EXP *)

number     = expr ;
integer    = expr ;                                   (* its value must be whole *)
tensor     = [ [ "torch" "." ] "tensor" "(" ] item [ ")" ] ;   (* the wrapper's ")" is required *)
item       = "[" items "]" | "(" items ")" | expr ;   (* "(" items ")": a tuple, see below *)
items      = [ item { "," item } [ "," ] ] ;          (* rectangular *)
shape      = [ [ "torch" "." ] "Size" "(" ] dims [ ")" ] | INT { ("x" | "X" | "*") INT } ;
dims       = "(" ints ")" | "[" ints "]" | ints ;
ints       = [ INT { "," INT } [ "," ] ] ;            (* INT: plain digits, so never negative *)
choice     = LETTER | "(" LETTER ")" | LETTER ")" | LETTER "."
           | INT | "(" INT ")" | INT ")" | INT "." ;  (* INT: an option's number, 1 for A *)
expression = expr ;                                   (* names: the given variables *)
```

So `-2^2` is \(-(2^2) = -4\), `2^-1` is \(0.5\), `2^3^2` is \(2^9\) and `83.33%` is \(0.8333\).
(The shape and choice rules are read by `studykit.questions.answers`, without this parser.)

**Tuples in tensors.** A parenthesis in a tensor answer that holds a comma at its own level, or
nothing, is a list: `(1, 2, 8)` (what `.stride()` prints) is `[1, 2, 8]`, `((1, 2), (3, 4))` is
a 2×2 tensor and `(5,)` is `[5]`; `(1 + 2)` stays a number. (Which parentheses are tuples is
found by one scan of the tokens before parsing, so nothing is parsed twice.)

**Implicit multiplication** (생략된 곱셈), in expression answers only: a factor written right
after a number, a name or `)` multiplies it when it starts with a name or `(`: `2x`, `2(x+1)`,
`x(1-x)` (a variable is never a function), `(x+1)(x-1)`, `2 sigmoid(x)`, `xσ(x)`. It binds like
`*`, so `2x^2` is \(2x^2\) and `-2x` is \((-2)x\). Refused, with a one-line message saying what to
write, where the reading is not clear:

- right after a power: `e^2x` (\(e^{2x}\) or \(e^2 x\)?) and `x^2(1-x)`: write `e^(2x)` or `e^2*x`;
- right after a division: `1/2x` (\(1/(2x)\) or \(x/2\)?): write `1/(2x)` or `x/2`;
- a number after anything (`x 2`, `(x+1)2`), and the constant `e` right after a number unless a
  power follows (`3e^x` is \(3e^x\), but `2e` looks like an unfinished `2e-3`, and `2e + 1`
  would differ from the literal `2e+1` by spaces alone).

Number, integer and tensor answers keep `*` explicit (`2pi` is an error), so `1½` cannot become
\(1 \cdot \tfrac12\).

Example:
    >>> from studykit.questions.answers import parse_answer
    >>> parse_answer("2^3^2", "number").value, parse_answer("-2^2", "number").value
    (512.0, -4.0)
    >>> try:
    ...     parse_answer("1/2x", "expression")
    ... except AnswerError as error:
    ...     print(error)
    missing operator before 'x' at position 4 (after /, put a product in parentheses: 1/(2x) or x/2)

Common mistakes:
    - Writing `e-3` for \(10^{-3}\): `e` alone is Euler's number; write `1e-3`.
    - Writing `2pi` in a number answer: only expression answers multiply without `*`; write
      `2*pi`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final, Literal

from studykit.questions.answer_evaluation import _evaluate
from studykit.questions.answer_messages import AnswerError, _error
from studykit.questions.answer_tokens import _show, _Token
from studykit.questions.answer_tree import (
    Call,
    Constant,
    Function,
    Negate,
    Nested,
    Node,
    Number,
    Power,
    Product,
    Sum,
    Variable,
)

__all__ = ["FUNCTION_NAMES", "MAX_POWERS"]

MAX_POWERS: Final = 8
"""Most ``^`` in a row (a power tower), which keeps the syntax tree shallow."""
_NUMBER_FUNCTIONS: Final = ("sqrt", "exp", "log", "ln")
_EXPRESSION_FUNCTIONS: Final = (
    *("sqrt", "exp", "log", "ln", "sin", "cos", "tanh", "sinh", "cosh", "sech"),
    *("sigmoid", "σ", "softplus", "relu", "abs"),
)
FUNCTION_NAMES: Final[dict[str, str]] = {
    "number": "sqrt, exp, log (ln)",
    "expression": "sqrt, exp, log (ln), sin, cos, tanh, sinh, cosh, sech, sigmoid (σ), "
    "softplus, relu, abs",
}
"""The functions an answer of each kind may use, as a prompt lists them."""
_CONSTANTS: Final = ("pi", "e")


class _Parser:
    """Recursive descent over the token list: one method per grammar rule.

    ``implicit``: juxtaposition multiplies (expression answers); ``percent``: ``%`` divides by
    100 (number and tensor answers); ``tuples``: the ``(`` tokens that open a list (tensors).
    """

    def __init__(
        self,
        text: str,
        tokens: list[_Token],
        functions: tuple[str, ...],
        variables: tuple[str, ...],
        *,
        implicit: bool = False,
        percent: bool = False,
        tuples: set[int] | None = None,
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.functions = functions
        self.variables = variables
        self.implicit = implicit
        self.percent = percent
        self.tuples = tuples or set()

    # helpers

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def at(self, *ops: str) -> bool:
        token = self.peek()
        return token.kind == "op" and token.text in ops

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def close(self, bracket: str, opened: _Token) -> _Token:
        if self.at(bracket):
            return self.advance()
        token = self.peek()
        if token.kind == "end":
            raise _error(
                "missing_closer", closer=bracket, opener=opened.text, position=opened.start + 1
            )
        raise _error(
            "expected_closer", closer=bracket, position=token.start + 1, found=_show(token.text)
        )

    def finish(self, code: str = "unexpected") -> None:
        token = self.peek()
        if token.kind == "end":
            return
        where = {"found": _show(token.text), "position": token.start + 1}
        if token.kind in ("number", "name") or token.text == "(":
            raise _error("missing_operator", **where)
        raise _error(code, **where)

    def unexpected(self, token: _Token) -> AnswerError:
        if token.kind == "end":
            return _error("unexpected_end")
        return _error("unexpected", found=_show(token.text), position=token.start + 1)

    # grammar rules

    def expr(self) -> Node:
        first = self.term()
        rest: list[tuple[Literal["+", "-"], Node]] = []
        while self.at("+", "-"):
            op: Literal["+", "-"] = "+" if self.advance().text == "+" else "-"
            rest.append((op, self.term()))
        if not rest:
            return first
        return Sum(first, tuple(rest), first.start, rest[-1][1].end)

    def term(self) -> Node:
        first = self.unary()
        rest: list[tuple[Literal["*", "/"], Node]] = []
        last, divided = first, False
        while True:
            if self.at("*", "/"):
                op: Literal["*", "/"] = "*" if self.advance().text == "*" else "/"
                last, divided = self.unary(), op == "/"
                rest.append((op, last))
            elif self.implicit and self.starts_implicit_factor():
                token = self.peek()
                where = {"found": _show(token.text), "position": token.start + 1}
                if divided:
                    raise _error("after_division", **where)
                if self.ends_in_power(last):
                    raise _error("after_power", **where)
                last = self.power()
                rest.append(("*", last))
            else:
                break
        if not rest:
            return first
        return Product(first, tuple(rest), first.start, rest[-1][1].end)

    def starts_implicit_factor(self) -> bool:
        """Whether the next token starts a factor multiplied without `*` (see the module)."""
        token = self.peek()
        if token.kind == "name":
            if token.text == "e" and self.tokens[self.index - 1].kind == "number":
                return self.peek(1).text in ("^", "**")  # 3e^x, but not 2e (an unfinished 2e-3)
            return True
        return token.kind == "op" and token.text == "("

    def ends_in_power(self, node: Node) -> bool:
        """Whether a factor ends in a bare exponent: `e^2` or `x^-n`, not `e^(2x)` or `(x^2)`."""
        if isinstance(node, Negate) and self.text[node.start] in "+-":
            return self.ends_in_power(node.operand)
        if not isinstance(node, Power) or node.start != node.base.start:
            return False  # not a power, or a power in parentheses
        exponent = node.exponent
        while isinstance(exponent, Negate) and self.text[exponent.start] in "+-":
            exponent = exponent.operand
        return not (self.text[exponent.start] == "(" and self.text[exponent.end - 1] == ")")

    def signs(self) -> bool:
        """Consume any run of `+`/`-`; True when the run negates."""
        negative = False
        while self.at("+", "-"):
            if self.advance().text == "-":
                negative = not negative
        return negative

    def unary(self) -> Node:
        start = self.peek().start
        negative = self.signs()
        node = self.power()
        return Negate(node, start, node.end) if negative else node

    def power(self) -> Node:
        # Collect `atom ^ [signs] atom ^ ...` in a loop, then fold from the right, so a long
        # tower never recurses deeper than the folding.
        base = self.atom()
        parts: list[tuple[Node, bool, int]] = [(base, False, base.start)]
        while self.at("**", "^"):
            op = self.advance()
            if len(parts) > MAX_POWERS:
                raise _error("too_many_powers", limit=MAX_POWERS, position=op.start + 1)
            start = self.peek().start
            negative = self.signs()
            parts.append((self.atom(), negative, start))
        top, negative, start = parts[-1]
        node: Node = Negate(top, start, top.end) if negative else top
        for atom, negative, start in reversed(parts[:-1]):
            node = Power(atom, node, atom.start, node.end)
            if negative:
                node = Negate(node, start, node.end)
        return node

    def atom(self) -> Node:
        token = self.peek()
        node: Node
        if token.kind == "number":
            self.advance()
            end = token.start + len(token.text)
            if self.percent and self.at("%"):
                # The decimal point moves two places (83.33% is exactly the float 0.8333).
                self.advance()
                return Number(_hundredth(token.text), token.text + "%", token.start, end + 1)
            node = Number(float(token.text), token.text, token.start, end)
        elif token.kind == "name":
            self.advance()
            return self.name(token)
        elif self.at("("):
            opened = self.advance()
            inner = self.expr()
            closed = self.close(")", opened)
            node = replace(inner, start=opened.start, end=closed.start + 1)
        else:
            raise self.unexpected(token)
        if self.percent and self.at("%"):
            sign = self.advance()
            hundred = Number(100.0, "100", sign.start, sign.start + 1)
            node = Product(node, (("/", hundred),), node.start, sign.start + 1)
        return node

    def name(self, token: _Token) -> Node:
        name = token.text
        end = token.start + len(name)
        if name in self.functions:
            if not self.at("("):
                raise _error("needs_parentheses", name=name, position=token.start + 1)
            opened = self.advance()
            argument = self.expr()
            closed = self.close(")", opened)
            return Call(_canonical_function(name), argument, token.start, closed.start + 1)
        if name in ("pi", "π"):
            return Constant("pi", token.start, end)
        if name == "e":
            return Constant("e", token.start, end)
        if name in self.variables:
            return Variable(name, token.start, end)
        allowed = ", ".join((*self.variables, *self.functions, *_CONSTANTS))
        raise _error("unknown_name", name=_show(name), allowed=allowed)

    def item(self) -> Nested:
        """A tensor item: a list in brackets, a tuple, or one numeric expression (evaluated)."""
        if self.at("["):
            closer = "]"
        elif self.at("(") and self.index in self.tuples:
            closer = ")"
        else:
            return _evaluate(self.expr(), {}, self.text)
        opened = self.advance()
        items: list[Nested] = []
        while not self.at(closer):
            items.append(self.item())
            if self.at(","):
                self.advance()
                continue
            if self.at(closer):
                break
            token = self.peek()
            if token.kind == "end":
                raise _error(
                    "missing_closer", closer=closer, opener=opened.text, position=opened.start + 1
                )
            where = {"found": _show(token.text), "position": token.start + 1}
            if token.kind in ("number", "name") or token.text in ("(", "["):
                raise _error("missing_comma", **where)
            raise _error("expected_comma", closer=closer, **where)
        self.advance()
        return items


def _hundredth(literal: str) -> float:
    """A number literal divided by 100, as the decimal literal with its point moved."""
    mantissa, _, exponent = literal.lower().partition("e")
    return float(f"{mantissa}e{int(exponent or 0) - 2}")


def _canonical_function(name: str) -> Function:
    """The stored name of a function (`ln` is `log`, `σ` is `sigmoid`)."""
    functions: dict[str, Function] = {
        "sqrt": "sqrt", "exp": "exp", "log": "log", "ln": "log", "sin": "sin", "cos": "cos",
        "tanh": "tanh", "sinh": "sinh", "cosh": "cosh", "sech": "sech", "sigmoid": "sigmoid",
        "σ": "sigmoid", "softplus": "softplus", "relu": "relu", "abs": "abs",
    }  # fmt: skip
    return functions[name]
