"""The game's maths: parameters, closed-form equilibria, the region map and the scenario table.

Demand is ``D = alpha + k_p*A**theta + k_s*a**theta`` with the response curvature
``theta`` in (0, 1) (``theta = 0.5`` is the square root); the platform earns the margin
``rho_p``, the participant ``rho_s``. :func:`closed_forms` holds every scenario's
equilibrium once, written with generic arithmetic so that numpy (here) and sympy
(:mod:`cocreation.coopetition.symbolic`) evaluate the same formulas. Plain numpy and
pandas only: no chart or widget code.

Domain: ``alpha``, ``k_p``, ``k_s``, ``rho_p`` and ``rho_s`` in [1e-6, 1e6], ``theta``
in (0, 1). Inside it every result is finite, except that a spend grows like
``x**(1/(1 - theta))`` and so leaves the float range when ``theta`` is close to 1
(for example above 0.96 at the largest margins and effects): :func:`solve` then raises
a ``ValueError`` instead of returning ``inf``.

Examples
--------
>>> p = Params(alpha=1.0, k_p=1.0, k_s=1.0, rho_p=1.0, rho_s=0.5)
>>> eq = solve(p, "P")
>>> round(float(eq.t), 4)           # (1 - 0.5*0.5) / (1 + 0.5*0.5) at theta = 0.5
0.6
>>> round(float(solve(p, "R", power=0.5).total), 4) == round(float(solve(p, "C").total), 4)
True
>>> round(solve(Params(theta=0.3), "P").t, 4)   # (1 - 0.7*0.5) / (1 + 0.3*0.5)
0.5652
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .. import validate

__all__ = [
    "SCENARIOS",
    "SCENARIO_LABELS",
    "BENCHMARKS",
    "DOMAIN",
    "Params",
    "Equilibrium",
    "closed_forms",
    "solve",
    "feasible_phi",
    "efficiency_gap",
    "region",
    "region_grid",
    "scenario_table",
]

#: The scenarios, in the order the book shows them.
SCENARIOS = ("N", "P", "S", "B", "R", "C")
SCENARIO_LABELS = {
    "N": "N: no cooperation",
    "P": "P: platform supports",
    "S": "S: participant supports",
    "B": "B: mutual support",
    "R": "R: profit sharing",
    "C": "C: centralised",
}
#: Outside options of the profit-sharing split. ``"B"`` (the default) is the best
#: equilibrium the parties reach without the contract; ``"best"`` is only a bound (each
#: party's better of P and S, possibly from different scenarios), kept for comparison.
BENCHMARKS = ("B", "P", "S", "N", "best")
_MARKET = ("alpha", "k_p", "k_s", "rho_p", "rho_s")
_FIELDS = _MARKET + ("theta",)
#: The documented domain of the market parameters (theta is in the open interval (0, 1)).
DOMAIN = (1e-6, 1e6)


# --- parameters and results ------------------------------------------------------


def _check_scenario(scenario: Any) -> str:
    """``scenario`` if it is one of :data:`SCENARIOS`.

    >>> _check_scenario("X")
    Traceback (most recent call last):
    ...
    ValueError: scenario must be one of 'N', 'P', 'S', 'B', 'R', 'C', got 'X'
    """
    return validate.choice("scenario", scenario, SCENARIOS)


def _check_benchmark(benchmark: Any) -> str:
    """``benchmark`` if it is one of :data:`BENCHMARKS`."""
    return validate.choice("benchmark", benchmark, BENCHMARKS)


def _check_power(power: Any) -> np.ndarray:
    """The bargaining power (a number or an array) in [0, 1], as a float array."""
    return validate.array("power", power, 0, 1)


def _check_field(name: str, value: Any) -> np.ndarray:
    """One parameter as a float array, checked against its domain."""
    if name == "theta":
        return validate.array(name, value, 0, 1, lo_open=True, hi_open=True)
    return validate.array(name, value, *DOMAIN)


def _check_params(p: Any) -> "Params":
    """``p`` if it is a :class:`Params`.

    >>> _check_params({"rho_p": 1.0})
    Traceback (most recent call last):
    ...
    ValueError: p must be a Params (the game's parameters), got a dict
    """
    if not isinstance(p, Params):
        raise ValueError(f"p must be a Params (the game's parameters), got a {type(p).__name__}")
    return p


@dataclass(frozen=True)
class Params:
    """The game's parameters; each may be a number or a numpy array (broadcast).

    Numbers are stored as ``float``, arrays (and array-likes) as float arrays.

    Parameters
    ----------
    alpha
        Base demand, in [1e-6, 1e6].
    k_p, k_s
        Effectiveness of the platform's and the participant's advertising, in [1e-6, 1e6].
    rho_p, rho_s
        Unit margins of the platform (commission) and the participant, in [1e-6, 1e6].
    theta
        Curvature of demand's response to advertising, in (0, 1): demand grows with
        ``A**theta``; 0.5 (the default) is the square-root response.

    Examples
    --------
    >>> Params(rho_s=-1)
    Traceback (most recent call last):
    ...
    ValueError: rho_s must be a finite number in [1e-06, 1e+06], got -1
    >>> Params(theta=1.0)
    Traceback (most recent call last):
    ...
    ValueError: theta must be a finite number in (0, 1), got 1.0
    >>> Params(rho_p=np.array([1.0, 2.0])).arrays()["rho_p"].tolist()
    [1.0, 2.0]
    """

    alpha: float | np.ndarray = 1.0
    k_p: float | np.ndarray = 1.0
    k_s: float | np.ndarray = 1.0
    rho_p: float | np.ndarray = 1.0
    rho_s: float | np.ndarray = 0.5
    theta: float | np.ndarray = 0.5

    def __post_init__(self) -> None:
        checked = {name: _check_field(name, getattr(self, name)) for name in _FIELDS}
        try:
            np.broadcast_shapes(*(a.shape for a in checked.values()))
        except ValueError:
            shapes = ", ".join(f"{n}{a.shape}" for n, a in checked.items())
            raise ValueError(f"Params arrays must broadcast together, got shapes {shapes}") from None
        for name, arr in checked.items():
            object.__setattr__(self, name, float(arr) if arr.ndim == 0 else arr)

    def arrays(self) -> dict[str, np.ndarray]:
        """The parameters as float arrays broadcast to one common shape."""
        arrs = np.broadcast_arrays(*(np.asarray(getattr(self, n), dtype=float) for n in _FIELDS))
        return dict(zip(_FIELDS, arrs))

    def scalar(self) -> bool:
        """True if every parameter is a single number."""
        return all(np.ndim(getattr(self, n)) == 0 for n in _FIELDS)


@dataclass(frozen=True)
class Equilibrium:
    """The outcome of one scenario (arrays when :class:`Params` holds arrays).

    Use ``dataclasses.asdict`` for the fields as a dict.

    Attributes
    ----------
    scenario
        ``"N"``, ``"P"``, ``"S"``, ``"B"``, ``"R"`` or ``"C"``.
    A, a
        Advertising spends of the platform and the participant.
    t, s
        Shares of the participant's (``t``) and the platform's (``s``) advertising
        cost paid by the other party (0 where there is no cost sharing, and in C).
    phi
        The platform's share of the joint profit (bargained in R; elsewhere what the
        profits imply, and in C an accounting artefact of the untransferred profits).
    demand, profit_platform, profit_participant, total
        Demand, each party's profit and the joint profit. In C, the parties' profits
        are what each would earn paying its own (centralised) spend, without transfers.
    transfer
        Fixed side payment to the platform in R, negative when the platform pays the
        participant (positive exactly when phi > rho_p/(rho_p+rho_s)); 0 otherwise.

    Examples
    --------
    >>> from dataclasses import asdict
    >>> asdict(solve(Params(), "N"))["A"]
    0.25
    >>> round(solve(Params(), "R").transfer, 4)   # the platform pays the participant
    -0.0703
    """

    scenario: str
    A: float | np.ndarray
    a: float | np.ndarray
    t: float | np.ndarray
    s: float | np.ndarray
    phi: float | np.ndarray
    demand: float | np.ndarray
    profit_platform: float | np.ndarray
    profit_participant: float | np.ndarray
    total: float | np.ndarray
    transfer: float | np.ndarray = 0.0

    def __post_init__(self) -> None:
        _check_scenario(self.scenario)


# --- closed forms -------------------------------------------------------------------


class _NumpyOps:
    max = staticmethod(np.maximum)


def closed_forms(
    values: Mapping[str, Any],
    power: Any = 0.5,
    benchmark: str = "B",
    ops: Any = _NumpyOps,
) -> dict[str, dict[str, Any]]:
    """The equilibrium of every scenario in closed form.

    Written once with generic arithmetic: ``ops`` supplies ``max``, so the same
    formulas evaluate numpy arrays (for :func:`solve`) or build sympy expressions (for
    :func:`~cocreation.coopetition.symbolic.vega_expressions` and the tests). With
    ``m = 1/(1 - theta)``, a party whose spend earns the margin ``c`` per unit of its
    response and who pays the share ``w`` of it spends ``(theta*c*k/w)**m``:

    - N: ``A = (theta*rho_p*k_p)**m``, ``a = (theta*rho_s*k_s)**m``;
    - P: ``t* = max(0, (rho_p - (1-theta)*rho_s) / (rho_p + theta*rho_s))`` and
      ``a = (theta*k_s*max(rho_s, rho_p + theta*rho_s))**m``; S is the mirror image;
    - B: P's rate and spend ``a``, S's rate and spend ``A``;
    - C and R: ``A = (theta*(rho_p+rho_s)*k_p)**m``, ``a = (theta*(rho_p+rho_s)*k_s)**m``,
      in R with ``t = rho_p/(rho_p+rho_s)``, ``s = rho_s/(rho_p+rho_s)``.

    Parameters
    ----------
    values
        ``alpha, k_p, k_s, rho_p, rho_s`` and optionally ``theta`` (default 0.5):
        numbers, arrays or sympy symbols.
    power
        The platform's bargaining power in R, in [0, 1].
    benchmark
        Outside option of the R split: ``"B"`` (mutual support, the default), ``"P"``,
        ``"S"``, ``"N"`` or ``"best"`` (for each party the better of P and S: a bound,
        not an outcome).
    ops
        Namespace with ``max``; numpy by default.

    Returns
    -------
    dict
        Scenario -> ``{"A", "a", "eA", "ea", "t", "s", "demand", "profit_platform",
        "profit_participant", "transfer"}`` (``eA = A**theta``, ``ea = a**theta``);
        R also has ``phi_min``, ``phi_max``.

    Examples
    --------
    >>> cf = closed_forms({"alpha": 1.0, "k_p": 1.0, "k_s": 1.0, "rho_p": 1.0, "rho_s": 0.5})
    >>> float(cf["N"]["A"]), float(cf["C"]["a"])
    (0.25, 0.5625)
    """
    _check_benchmark(benchmark)
    missing = [n for n in _MARKET if n not in values]
    if missing:
        raise ValueError(f"values must hold {', '.join(_MARKET)}; missing {', '.join(missing)}")
    values = {**values, "theta": values.get("theta", 0.5)}
    if ops is _NumpyOps:  # numbers: check them (sympy symbols are checked by their assumptions)
        values = {n: _check_field(n, values[n]) for n in _FIELDS}
        power = _check_power(power)
    rp, rs, kp, ks, th = (values[n] for n in ("rho_p", "rho_s", "k_p", "k_s", "theta"))
    m = 1 / (1 - th)
    zero, one = 0 * rp, 0 * rp + 1
    out: dict[str, dict[str, Any]] = {}

    def spend(c: Any, k: Any, w: Any) -> tuple[Any, Any]:
        """(x, x**theta) for the spend x = (theta*c*k/w)**m (exact powers at theta = 1/2)."""
        u = th * c * k / w
        return u**m, u ** (m - 1)

    def record(name: str, A: tuple, a: tuple, t: Any, s: Any, wt: Any, ws: Any) -> None:
        (xA, eA), (xa, ea) = A, a
        demand = values["alpha"] + kp * eA + ks * ea
        pp = rp * demand - ws * xA - t * xa
        ps = rs * demand - wt * xa - s * xA
        out[name] = dict(A=xA, a=xa, eA=eA, ea=ea, t=t, s=s, demand=demand,
                         profit_platform=pp, profit_participant=ps, transfer=zero)

    # P: the supported party's own share w = 1 - t* = rho_s / max(rho_s, rho_p + theta rho_s)
    # (no cancellation when t* is close to 1).
    t_star = ops.max(zero, (rp - (1 - th) * rs) / (rp + th * rs))
    s_star = ops.max(zero, (rs - (1 - th) * rp) / (rs + th * rp))
    wt_p = rs / ops.max(rs, rp + th * rs)
    ws_s = rp / ops.max(rp, rs + th * rp)
    A_n, a_n = spend(rp, kp, one), spend(rs, ks, one)
    A_s, a_p = spend(rp, kp, ws_s), spend(rs, ks, wt_p)
    record("N", A_n, a_n, zero, zero, one, one)
    record("P", A_n, a_p, t_star, zero, wt_p, one)
    record("S", A_s, a_n, zero, s_star, one, ws_s)
    record("B", A_s, a_p, t_star, s_star, wt_p, ws_s)
    A_c, a_c = spend(rp + rs, kp, one), spend(rp + rs, ks, one)
    record("C", A_c, a_c, zero, zero, one, one)
    # R: coordinating rates, then each party's own best response is the C spend.
    wt_r, ws_r = rs / (rp + rs), rp / (rp + rs)
    record("R", spend(rp, kp, ws_r), spend(rs, ks, wt_r), 1 - wt_r, 1 - ws_r, wt_r, ws_r)

    total_c = out["C"]["profit_platform"] + out["C"]["profit_participant"]
    if benchmark == "best":
        bp = ops.max(out["P"]["profit_platform"], out["S"]["profit_platform"])
        bs = ops.max(out["P"]["profit_participant"], out["S"]["profit_participant"])
    else:
        bp, bs = out[benchmark]["profit_platform"], out[benchmark]["profit_participant"]
    phi_min = bp / total_c
    phi_max = 1 - bs / total_c
    phi = phi_min + power * (phi_max - phi_min)
    r = out["R"]
    total_r = r["profit_platform"] + r["profit_participant"]
    transfer = phi * total_r - r["profit_platform"]
    r.update(profit_platform=phi * total_r, profit_participant=(1 - phi) * total_r,
             transfer=transfer, phi_min=phi_min, phi_max=phi_max)
    return out


def _as_output(x: Any, scalar: bool) -> float | np.ndarray:
    arr = np.asarray(x, dtype=float)
    return float(arr) if scalar else arr


def _finite(cf: dict[str, dict[str, Any]], theta: np.ndarray) -> None:
    """Raise a ValueError if a spend left the float range (theta too close to 1)."""
    bad = ~np.isfinite(np.asarray(cf["C"]["profit_platform"] + cf["C"]["profit_participant"]))
    for sc in cf.values():
        for key in ("A", "a", "profit_platform", "profit_participant"):
            bad = bad | ~np.isfinite(np.asarray(sc[key]))
    if np.any(bad):
        worst = float(np.max(np.where(bad, theta, -np.inf)))
        raise ValueError(f"theta = {worst:g} is too close to 1 for these margins and effects: the spends "
                         f"grow like x**(1/(1 - theta)) and leave the float range; use a smaller theta")


def solve(p: Params, scenario: str, power: float | np.ndarray = 0.5, benchmark: str = "B") -> Equilibrium:
    """The equilibrium of ``scenario`` from the closed forms (vectorised).

    The closed forms include the corners ``t* = 0`` (P and B, when
    ``rho_p <= (1 - theta)*rho_s``) and ``s* = 0`` (S and B, when
    ``rho_s <= (1 - theta)*rho_p``): the leader's objective is concave in the spend it
    buys through its rate, so a negative interior rate means no support.

    Parameters
    ----------
    p
        Parameters; arrays are broadcast and every result field is then an array.
    scenario
        ``"N"``, ``"P"``, ``"S"``, ``"B"``, ``"R"`` or ``"C"``.
    power
        The platform's bargaining power in R, in [0, 1]: 0 leaves the platform at its
        benchmark profit, 1 leaves the participant at its benchmark.
    benchmark
        R's outside option: ``"B"`` (mutual support, default), ``"P"``, ``"S"``, ``"N"``
        or ``"best"``.

    Raises
    ------
    ValueError
        For inputs outside the domain, and when ``theta`` is so close to 1 that a spend
        overflows (never a silent ``inf`` or ``NaN``).

    Examples
    --------
    >>> p = Params(rho_p=1.0, rho_s=0.5)
    >>> solve(p, "N").A, solve(p, "N").a
    (0.25, 0.0625)
    >>> solve(Params(rho_p=0.2, rho_s=0.5), "P").t     # rho_p <= (1 - theta) rho_s: no support
    0.0
    >>> solve(p, "X")
    Traceback (most recent call last):
    ...
    ValueError: scenario must be one of 'N', 'P', 'S', 'B', 'R', 'C', got 'X'
    """
    _check_params(p)
    _check_scenario(scenario)
    pw = _check_power(power)
    values = p.arrays()
    with np.errstate(over="ignore", invalid="ignore"):
        cf = closed_forms(values, power=pw, benchmark=benchmark)
    _finite(cf, values["theta"])
    r = cf[scenario]
    total = r["profit_platform"] + r["profit_participant"]
    if scenario == "R" and np.any(r["phi_max"] < r["phi_min"] - 1e-12):
        raise ValueError("no feasible phi: the centralised profit is below the benchmark profits")
    scalar = p.scalar() and np.ndim(power) == 0
    out = {k: _as_output(r[k], scalar) for k in ("A", "a", "t", "s", "demand",
                                                   "profit_platform", "profit_participant", "transfer")}
    return Equilibrium(
        scenario=scenario,
        phi=_as_output(r["profit_platform"] / total, scalar),
        total=_as_output(total, scalar),
        **out,
    )


def feasible_phi(p: Params, benchmark: str = "B") -> tuple[float | np.ndarray, float | np.ndarray]:
    """The interval [phi_min, phi_max] of platform shares that leave both parties at
    least as well off as in ``benchmark``.

    Examples
    --------
    >>> lo, hi = feasible_phi(Params())
    >>> 0 < lo < hi < 1
    True
    """
    values = _check_params(p).arrays()
    with np.errstate(over="ignore", invalid="ignore"):
        cf = closed_forms(values, benchmark=benchmark)
    _finite(cf, values["theta"])
    scalar = p.scalar()
    return _as_output(cf["R"]["phi_min"], scalar), _as_output(cf["R"]["phi_max"], scalar)


def efficiency_gap(p: Params, scenario: str, power: float | np.ndarray = 0.5) -> float | np.ndarray:
    """(C - scenario) / C: the share of creatable value a scenario leaves unrealised.

    >>> round(efficiency_gap(Params(), "N"), 4)     # (2.625 - 2.3125) / 2.625
    0.119
    """
    c = solve(p, "C").total
    return (c - solve(p, scenario, power=power).total) / c


def region(rho_p: float | np.ndarray, rho_s: float | np.ndarray, theta: float | np.ndarray = 0.5
           ) -> dict[str, np.ndarray]:
    """Where P and S are active and who captures more of their gain over N.

    The classification depends on the margins and ``theta`` only (the gains scale with
    a power of k_s in P and of k_p in S, and alpha cancels).

    Returns
    -------
    dict
        ``"P"`` and ``"S"``: arrays of ``"inactive"``, ``"platform"`` (captures more
        than half of the gain), ``"participant"`` or ``"equal"``.

    Examples
    --------
    >>> region(1.0, 0.5)["P"].tolist(), region(1.0, 0.5)["S"].tolist()
    (['platform'], ['inactive'])
    >>> region(1.0, 1.0, theta=0.7)["P"].tolist()     # at theta = 1/2 it would be 'participant'
    ['platform']
    """
    p = Params(rho_p=np.atleast_1d(rho_p), rho_s=np.atleast_1d(rho_s), theta=theta)
    n_ = solve(p, "N")
    out = {}
    for sc in ("P", "S"):
        e = solve(p, sc)
        gp = e.profit_platform - n_.profit_platform
        gs = e.profit_participant - n_.profit_participant
        scale = np.abs(n_.total) * 1e-12
        active = (gp + gs) > scale
        label = np.where(gp > gs + scale, "platform", np.where(gs > gp + scale, "participant", "equal"))
        out[sc] = np.where(active, label, "inactive")
    return out


def scenario_table(rho_p: float = 1.0, rho_s: float = 0.5, k_p: float = 1.0, k_s: float = 1.0,
                   power: float = 0.5, alpha: float = 1.0, benchmark: str = "B",
                   theta: float = 0.5) -> pd.DataFrame:
    """One row per scenario: spends, rates, profits, gains over N and efficiency gap.

    ``phi`` and ``platform_share_of_gain`` are NaN (shown blank) where they mean
    nothing: in C (each party's accounting profit, no agreed split) and, for the share,
    where there is no gain over N.

    Examples
    --------
    >>> df = scenario_table()
    >>> df["scenario"].tolist()
    ['N', 'P', 'S', 'B', 'R', 'C']
    >>> float(df.set_index("scenario").loc["R", "gap"]) == 0.0
    True
    """
    p = Params(alpha=alpha, k_p=k_p, k_s=k_s, rho_p=rho_p, rho_s=rho_s, theta=theta)
    base = solve(p, "N")
    c_total = solve(p, "C").total
    rows = []
    for sc in SCENARIOS:
        e = solve(p, sc, power=power, benchmark=benchmark)
        gain_p = e.profit_platform - base.profit_platform
        gain_s = e.profit_participant - base.profit_participant
        rows.append({
            "scenario": sc, "label": SCENARIO_LABELS[sc], "A": e.A, "a": e.a, "t": e.t, "s": e.s,
            "demand": e.demand, "profit_platform": e.profit_platform,
            "profit_participant": e.profit_participant, "total": e.total,
            # C has no agreed split (each party's accounting profit only): no share reported
            "phi": e.phi if sc != "C" else float("nan"),
            "gain_platform": gain_p, "gain_participant": gain_s,
            "platform_share_of_gain": gain_p / (gain_p + gain_s)
            if sc != "C" and gain_p + gain_s > 1e-12 * base.total else float("nan"),
            "gap": 0.0 if sc in ("C", "R") and abs(e.total - c_total) <= 1e-12 * c_total
            else (c_total - e.total) / c_total,
        })
    return pd.DataFrame(rows)


def region_grid(step: float = 0.05, lo: float = 0.1, hi: float = 2.0, theta: float = 0.5) -> pd.DataFrame:
    """The (rho_p, rho_s) grid of :func:`region` for P and S, in long form.

    ``lo < hi`` are margins in the domain of :class:`Params`, ``step > 0`` with at most
    a million cells per scenario, ``theta`` in (0, 1).

    >>> g = region_grid()
    >>> len(g), sorted(g["scenario"].unique())
    (3042, ['P', 'S'])
    """
    step = validate.number("step", step, 0, lo_open=True)
    lo = validate.number("lo", lo, *DOMAIN)
    hi = validate.number("hi", hi, lo, DOMAIN[1], lo_open=True)
    theta = validate.number("theta", theta, 0, 1, lo_open=True, hi_open=True)
    validate.work("the region grid's cells", 2 * (int((hi - lo) / step) + 1) ** 2, 2_000_000)
    vals = np.round(np.arange(lo, hi + step / 2, step), 4)
    rp, rs = np.meshgrid(vals, vals, indexing="ij")
    reg = region(rp.ravel(), rs.ravel(), theta)
    frames = [pd.DataFrame({"rho_p": rp.ravel(), "rho_s": rs.ravel(), "scenario": sc, "region": reg[sc]})
              for sc in ("P", "S")]
    return pd.concat(frames, ignore_index=True)
