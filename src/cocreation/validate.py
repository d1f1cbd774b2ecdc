"""One validator for every public input of the package.

Every public function and dataclass checks its arguments here, so the rules are the
same everywhere and every message names the parameter and its domain:

* numbers are ``int``, ``float`` or numpy real scalars; ``bool`` and strings
  (even ``"0.5"``) are refused;
* integers also accept numpy integer scalars and integral floats (``300.0``, as a
  slider sends them);
* NaN and infinities are refused unless a domain is unbounded on that side *and*
  ``allow_inf`` is set;
* arrays are checked element by element and must be non-empty;
* work is bounded: :func:`work` refuses a request above a stated size.

Examples
--------
>>> number("rho_p", 1, lo=0, lo_open=True)
1.0
>>> number("rho_p", -1, lo=0, lo_open=True)
Traceback (most recent call last):
...
ValueError: rho_p must be a finite number in (0, inf), got -1
>>> integer("n", 300.0, lo=10, hi=5000)
300
>>> choice("scenario", "Q", ("N", "P"))
Traceback (most recent call last):
...
ValueError: scenario must be one of 'N', 'P', got 'Q'
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Iterable, Sequence

import numpy as np

__all__ = [
    "domain", "number", "integer", "array", "choice", "unit", "work", "keywords",
    "text", "flag", "function", "frame", "texts",
]


def domain(lo: float | None = None, hi: float | None = None, *, lo_open: bool = False, hi_open: bool = False) -> str:
    """The interval as text, e.g. ``"(0, inf)"`` or ``"[0, 1]"``.

    >>> domain(0, 1), domain(0, lo_open=True), domain(hi=5)
    ('[0, 1]', '(0, inf)', '(-inf, 5]')
    """
    left = "(" if lo is None or lo_open else "["
    right = ")" if hi is None or hi_open else "]"
    lo_text = "-inf" if lo is None else f"{lo:g}"
    hi_text = "inf" if hi is None else f"{hi:g}"
    return f"{left}{lo_text}, {hi_text}{right}"


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _in_range(v: float, lo: float | None, hi: float | None, lo_open: bool, hi_open: bool) -> bool:
    if lo is not None and (v <= lo if lo_open else v < lo):
        return False
    if hi is not None and (v >= hi if hi_open else v > hi):
        return False
    return True


def number(
    name: str,
    value: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
) -> float:
    """``value`` as a finite float in the domain, or a ``ValueError`` naming ``name``.

    >>> number("share", 0.5, 0, 1)
    0.5
    >>> number("share", "0.5", 0, 1)
    Traceback (most recent call last):
    ...
    ValueError: share must be a finite number in [0, 1], got '0.5' (a str)
    >>> number("share", float("nan"), 0, 1)
    Traceback (most recent call last):
    ...
    ValueError: share must be a finite number in [0, 1], got nan
    """
    where = domain(lo, hi, lo_open=lo_open, hi_open=hi_open)
    if not _is_real(value):
        raise ValueError(f"{name} must be a finite number in {where}, got {value!r} (a {type(value).__name__})")
    v = float(value)
    if not math.isfinite(v) or not _in_range(v, lo, hi, lo_open, hi_open):
        raise ValueError(f"{name} must be a finite number in {where}, got {value!r}")
    return v


def unit(name: str, value: Any) -> float:
    """A number in [0, 1].

    >>> unit("weight", 1)
    1.0
    """
    return number(name, value, 0, 1)


def integer(name: str, value: Any, lo: int | None = None, hi: int | None = None) -> int:
    """``value`` as an int in ``[lo, hi]``; numpy integers and integral floats are accepted.

    >>> integer("seed", np.int64(3), lo=0)
    3
    >>> integer("seed", 2**63 - 1, 0, 2**63 - 1)
    9223372036854775807
    >>> integer("months", 2.5, 1, 120)
    Traceback (most recent call last):
    ...
    ValueError: months must be an integer in [1, 120], got 2.5
    """
    where = domain(lo, hi)
    if _is_real(value) and isinstance(value, numbers.Integral):
        v = int(value)  # exact: float(2**63 - 1) would round it
    elif _is_real(value) and math.isfinite(float(value)) and float(value).is_integer():
        v = int(value)
    else:
        raise ValueError(f"{name} must be an integer in {where}, got {value!r}")
    if not _in_range(v, lo, hi, False, False):
        raise ValueError(f"{name} must be an integer in {where}, got {value!r}")
    return v


def array(
    name: str,
    value: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
    max_size: int = 10_000_000,
) -> np.ndarray:
    """``value`` (a number or an array-like) as a float array, every element checked.

    >>> array("rho_s", [0.5, 1.0], lo=0, lo_open=True).tolist()
    [0.5, 1.0]
    >>> array("rho_s", [0.5, 0.0], lo=0, lo_open=True)
    Traceback (most recent call last):
    ...
    ValueError: rho_s must be finite numbers in (0, inf), got 0.0
    """
    where = domain(lo, hi, lo_open=lo_open, hi_open=hi_open)
    if _is_real(value):
        number(name, value, lo, hi, lo_open=lo_open, hi_open=hi_open)
        return np.asarray(float(value))
    if isinstance(value, (str, bytes, bool, np.bool_)) or value is None:
        raise ValueError(f"{name} must be a number or an array of numbers in {where}, got {value!r}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers in {where}, got {value!r}") from None
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"{name} must be a number or an array of numbers in {where}, got {value!r}")
    if arr.size == 0:
        raise ValueError(f"{name} must be a non-empty number or array in {where}, got an empty array")
    work(f"the size of {name}", arr.size, max_size)
    arr = arr.astype(float)
    bad = ~np.isfinite(arr)
    if lo is not None:
        bad |= (arr <= lo) if lo_open else (arr < lo)
    if hi is not None:
        bad |= (arr >= hi) if hi_open else (arr > hi)
    if bad.any():
        first = arr.flat[int(np.argmax(bad.ravel()))]
        raise ValueError(f"{name} must be finite numbers in {where}, got {first}")
    return arr


def choice(name: str, value: Any, options: Iterable[Any]) -> Any:
    """``value`` if it is one of ``options``.

    >>> choice("combine", "mean", ("mean", "min"))
    'mean'
    """
    options = tuple(options)
    try:
        ok = value in options
    except TypeError:  # unhashable or incomparable values
        ok = False
    if not ok:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {listed}, got {value!r}")
    return value


def work(name: str, size: Any, limit: int) -> int:
    """Refuse a request whose size (rows, draws, cells, nodes) exceeds ``limit``.

    >>> work("n * n_boot", 10**9, 10**8)
    Traceback (most recent call last):
    ...
    ValueError: n * n_boot must be at most 100,000,000 (to bound time and memory), got 1,000,000,000
    """
    size = int(size)
    if size > limit:
        raise ValueError(f"{name} must be at most {limit:,} (to bound time and memory), got {size:,}")
    return size


def keywords(name: str, given: Iterable[str], allowed: Sequence[str]) -> None:
    """Refuse keyword arguments that are not parameters (a misspelt name is an error).

    >>> keywords("lookup", ["aa"], ["a", "b"])
    Traceback (most recent call last):
    ...
    ValueError: lookup got unknown parameter 'aa'; its parameters are 'a', 'b'
    """
    unknown = [k for k in given if k not in allowed]
    if unknown:
        listed = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} got unknown parameter {unknown[0]!r}; its parameters are {listed}")


def text(name: str, value: Any, *, empty: bool = False) -> str:
    """``value`` if it is a string (non-empty unless ``empty``).

    >>> text("caption", "Table 1")
    'Table 1'
    >>> text("caption", 3)
    Traceback (most recent call last):
    ...
    ValueError: caption must be a non-empty string, got 3
    """
    if not isinstance(value, str) or (not empty and not value.strip()):
        kind = "a string" if empty else "a non-empty string"
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return value


def texts(name: str, value: Any, *, empty: bool = True) -> tuple[str, ...]:
    """``value`` as a tuple of non-empty strings (a list or tuple; a lone string is refused).

    >>> texts("tooltip", ["x", "y"])
    ('x', 'y')
    >>> texts("tooltip", "xy")
    Traceback (most recent call last):
    ...
    ValueError: tooltip must be a list or tuple of non-empty strings, got 'xy'
    """
    ok = isinstance(value, (list, tuple)) and (empty or len(value) > 0)
    if not ok or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{name} must be a{'' if empty else ' non-empty'} list or tuple of non-empty strings, got {value!r}")
    return tuple(value)


def flag(name: str, value: Any) -> bool:
    """``value`` if it is a bool (or a numpy bool); numbers and strings are refused.

    >>> flag("horizontal", False)
    False
    >>> flag("horizontal", "yes")
    Traceback (most recent call last):
    ...
    ValueError: horizontal must be True or False, got 'yes'
    """
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def function(name: str, value: Any) -> Any:
    """``value`` if it can be called.

    >>> function("model", len) is len
    True
    >>> function("model", 3)
    Traceback (most recent call last):
    ...
    ValueError: model must be a function (a callable), got 3
    """
    if not callable(value):
        raise ValueError(f"{name} must be a function (a callable), got {value!r}")
    return value


def frame(name: str, value: Any, columns: Iterable[str] = (), *, min_rows: int = 0) -> Any:
    """``value`` if it is a pandas DataFrame with ``columns`` and at least ``min_rows`` rows.

    >>> import pandas as pd
    >>> frame("nodes", pd.DataFrame({"id": ["a"]}), ["id"]).shape
    (1, 1)
    >>> frame("nodes", pd.DataFrame({"id": ["a"]}), ["id", "layer"])
    Traceback (most recent call last):
    ...
    ValueError: nodes must be a DataFrame with the columns ['id', 'layer']; it lacks ['layer']
    >>> frame("nodes", [1], ["id"])
    Traceback (most recent call last):
    ...
    ValueError: nodes must be a DataFrame with the columns ['id'], got a list
    """
    import pandas as pd

    columns = list(columns)
    if not isinstance(value, pd.DataFrame):
        raise ValueError(f"{name} must be a DataFrame with the columns {columns}, got a {type(value).__name__}")
    missing = [c for c in columns if c not in value.columns]
    if missing:
        raise ValueError(f"{name} must be a DataFrame with the columns {columns}; it lacks {missing}")
    if len(value) < min_rows:
        raise ValueError(f"{name} must have at least {min_rows} rows, got {len(value)}")
    return value
