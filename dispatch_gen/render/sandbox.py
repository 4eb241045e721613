"""A Jinja sandbox with bounds: a template from `--templates` cannot hang or exhaust memory.

Jinja's own sandbox stops templates from reaching Python internals; it does not stop
`{{ 'a' * 10**9 }}`, `{{ 10**100000 }}`, nested `range(99999)` loops or a recursive macro. Here
every way a template can make work grow is bounded by a figure of `limits`:

* `**` and `*` on numbers: the size of the result is estimated before it is computed;
* `*`, `+` and `~` on text and lists, `%` and `format` widths, filters and text methods whose
  arguments set a size (`center`, `ljust`, `slice` …): the length is checked first;
* every `{% for %}` loop counts its steps against one budget per rendering;
* calls nest at most `MAX_RENDER_DEPTH` deep (a recursive macro stops there);
* the rendered text of a part is counted as it is produced.

A broken bound raises `RenderLimit`; the engine names the template, the part and the tag.
"""
from __future__ import annotations

import contextvars
import functools
import math
import re
from typing import Any

from jinja2 import nodes
from jinja2.defaults import DEFAULT_FILTERS
from jinja2.runtime import Macro
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .. import limits


class RenderLimit(SecurityError):
    """A template went past one of the bounds of `limits`."""


class _Budget:
    __slots__ = ("steps", "depth")

    def __init__(self) -> None:
        self.steps = 0
        self.depth = 0


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("render_budget", default=None)


def new_budget() -> contextvars.Token:
    """Start the loop-step and depth budget of one rendering (reset with the returned token)."""
    return _BUDGET.set(_Budget())


def reset_budget(token: contextvars.Token) -> None:
    _BUDGET.reset(token)


def _budget() -> _Budget:
    budget = _BUDGET.get()
    if budget is None:
        budget = _Budget()
        _BUDGET.set(budget)
    return budget


def _sized(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, list, tuple, bytes)) else None


def _check_length(length: int, what: str) -> None:
    if length > limits.MAX_REPEAT:
        raise RenderLimit(f"{what} would make {length:,} items or characters (at most {limits.MAX_REPEAT:,})")


def _check_bits(bits: int, what: str) -> None:
    if bits > limits.MAX_POWER_DIGITS * 3.33:
        raise RenderLimit(f"{what} gives a number of more than {limits.MAX_POWER_DIGITS} digits")


_WIDTH = re.compile(r"\d{7,}")


def _check_format(spec: Any, what: str) -> None:
    """`%1000000000d`, `{:>1000000000}`: a width of seven digits or more is refused."""
    if isinstance(spec, str) and (_WIDTH.search(spec) or "*" in spec and "%" in spec):
        raise RenderLimit(f"{what}: a field width of a million characters or more")


def bounded_iter(iterable: Any):
    """The iterable of a `{% for %}` loop, counting each step against the rendering's budget."""
    budget = _budget()
    for item in iterable:
        budget.steps += 1
        if budget.steps > limits.MAX_LOOP_STEPS:
            raise RenderLimit(f"loops ran more than {limits.MAX_LOOP_STEPS:,} steps")
        yield item


def bounded_text(value: Any) -> Any:
    """The result of `~`: checked before it can double again."""
    size = _sized(value)
    if size is not None:
        _check_length(size, "joining text with ~")
    return value


def safe_range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > limits.MAX_RANGE:
        raise RenderLimit(f"range() of {len(rng):,} items (at most {limits.MAX_RANGE:,})")
    return rng


def _bounded_filter(name: str, func):
    """A Jinja built-in filter whose size-setting arguments are checked and result measured."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        pass_arg = getattr(func, "jinja_pass_arg", None)
        values = args[1:] if pass_arg else args
        if name == "format" and values:
            _check_format(values[0], "format")
        else:
            for arg in (*values[1:], *kwargs.values()):
                if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > limits.MAX_RANGE:
                    raise RenderLimit(f"filter {name}({arg:,}): at most {limits.MAX_RANGE:,}")
        result = func(*args, **kwargs)
        size = _sized(result)
        if size is not None:
            _check_length(size, f"filter {name}")
        return result

    return wrapper


_SIZE_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map", "replace", "join",
                 "__mul__", "__rmul__", "__add__"}


class BoundedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox, with every growth bounded (see the module's docstring)."""

    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = safe_range
        self.globals.pop("lipsum", None)
        for name, func in DEFAULT_FILTERS.items():
            self.filters[name] = _bounded_filter(name, func)
        self.filters["_bounded_iter"] = bounded_iter
        self.filters["_bounded_text"] = bounded_text

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Every loop's iterable goes through `bounded_iter`, every `~` through `bounded_text`."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "_bounded_iter", [], [], None, None, lineno=loop.lineno)
        for parent in list(tree.find_all(nodes.Node)):
            for field in parent.fields:
                child = getattr(parent, field, None)
                if isinstance(child, nodes.Concat):
                    setattr(parent, field, nodes.Filter(child, "_bounded_text", [], [], None, None, lineno=child.lineno))
                elif isinstance(child, list):
                    for i, item in enumerate(child):
                        if isinstance(item, nodes.Concat):
                            child[i] = nodes.Filter(item, "_bounded_text", [], [], None, None, lineno=item.lineno)
        return tree

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
                digits = right * math.log10(abs(left))
                if digits > limits.MAX_POWER_DIGITS:
                    raise RenderLimit(f"{left} ** {right} has about {digits:,.0f} digits "
                                      f"(at most {limits.MAX_POWER_DIGITS})")
        elif operator == "*":
            for seq, times in ((left, right), (right, left)):
                size = _sized(seq)
                if size is not None and isinstance(times, int):
                    _check_length(size * times, "*")
            if isinstance(left, int) and isinstance(right, int):
                _check_bits(left.bit_length() + right.bit_length(), "*")
        elif operator == "+":
            a, b = _sized(left), _sized(right)
            if a is not None and b is not None:
                _check_length(a + b, "+")
        elif operator == "%":
            _check_format(left, "%")
        try:
            return super().call_binop(context, operator, left, right)
        except OverflowError as exc:
            raise RenderLimit(f"{operator}: {exc}") from None

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        budget = _budget()
        if budget.depth >= limits.MAX_RENDER_DEPTH:
            raise RenderLimit(f"calls nested more than {limits.MAX_RENDER_DEPTH} deep (a macro that calls itself?)")
        name = getattr(__obj, "__name__", "")
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)  # str.format comes wrapped
        if isinstance(owner, (str, list, tuple)) and name in _SIZE_METHODS:
            if name in ("format", "format_map"):
                _check_format(owner, f"{name}()")
            for arg in (*args, *kwargs.values()):
                if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > limits.MAX_REPEAT:
                    raise RenderLimit(f"{name}({arg:,}): at most {limits.MAX_REPEAT:,}")
            if name == "replace" and len(args) >= 2 and isinstance(args[1], str):
                _check_length(len(owner) + (len(owner) + 1) * len(args[1]), "replace()")
        budget.depth += 1
        try:
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            budget.depth -= 1
        if not isinstance(__obj, Macro):  # a macro's output is bounded by loops and the part's length
            size = _sized(result)
            if size is not None:
                _check_length(size, f"{name or 'a call'}()")
        return result
