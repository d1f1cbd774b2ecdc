"""What the coopetition page tells a reader: its worked example, its tables, its exercises.

Expected values are derived here by hand from the model's primitives (demand
alpha + k_p*sqrt(A) + k_s*sqrt(a), each party's margin times demand minus what it pays),
in exact fractions where the parameters allow, never copied from the package's output.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction as F

import numpy as np
import pytest

from cocreation import coopetition as co
from cocreation.coopetition import Params, solve
from cocreation.coopetition.numeric import _payoffs
from conftest import ROOT

PAGE = (ROOT / "book" / "coopetition" / "cooperative_advertising_game.md").read_text(encoding="utf-8")
WORKED = PAGE[PAGE.index("## A worked example"):PAGE.index("## Backward induction")]


def _hand_p_and_n(alpha, k_p, k_s, rho_p, rho_s):
    """Scenarios N and P at theta = 1/2 from the first-order conditions written out by hand.

    Follower: max rho_s*k_s*sqrt(a) - (1-t)*a  ->  sqrt(a) = rho_s*k_s / (2(1-t)).
    Leader: max rho_p*k_s*x - t*x**2 with t = 1 - rho_s*k_s/(2x)  ->  x = (2rho_p + rho_s)k_s/4.
    """
    root_A = rho_p * k_p / 2
    out = {}
    for name, t in (("N", 0), ("P", max(0, (2 * rho_p - rho_s) / (2 * rho_p + rho_s)))):
        root_a = rho_s * k_s / (2 * (1 - t))
        demand = alpha + k_p * root_A + k_s * root_a
        out[name] = dict(t=t, A=root_A ** 2, a=root_a ** 2, demand=demand,
                         profit_platform=rho_p * demand - root_A ** 2 - t * root_a ** 2,
                         profit_participant=rho_s * demand - (1 - t) * root_a ** 2)
    return out


def _printed(value: float, text: str) -> bool:
    return f"{value:.{len(text.split('.')[1]) if '.' in text else 0}f}" == text


# --- the worked example ----------------------------------------------------------------------

def test_worked_example_at_the_defaults_is_t_0_6_and_gains_0_141_and_0_094():
    hand = _hand_p_and_n(F(1), F(1), F(1), F(1), F(1, 2))
    n, p = hand["N"], hand["P"]
    assert p["t"] == F(3, 5)
    gain_p, gain_s = p["profit_platform"] - n["profit_platform"], p["profit_participant"] - n["profit_participant"]
    assert (gain_p, gain_s) == (F(9, 64), F(3, 32))  # 0.140625 and 0.09375
    assert gain_p / (gain_p + gain_s) == p["t"]  # "the same number as its support rate"
    # the numbers the walk-through types, each against the hand derivation
    typed = {"0.062": n["a"], "0.250": n["A"], "1.750": n["demand"], "0.391": p["a"], "2.125": p["demand"],
             "0.375": p["demand"] - n["demand"], "0.234": p["t"] * p["a"], "**0.141**": gain_p, "**0.094**": gain_s,
             "$t = 0.6$": p["t"], "1 - 0.4 = 0.6": 1 - F(1, 2) / F(5, 4), "0.5 / 1.25 = 0.4": F(1, 2) / F(5, 4),
             "1 + 0.25 = 1.25": 1 + F(1, 2) / 2}
    for text, value in typed.items():
        assert text in WORKED, text
        number = re.findall(r"\d+\.\d+", text)[-1]
        assert _printed(float(value), number), (text, float(value))
    assert "0.141 / (0.141 + 0.094) = 60\\%" in WORKED
    # the single owner's spend "about 0.56": max (rho_p + rho_s) k_s sqrt(a) - a
    assert "about 0.56" in WORKED and _printed(float(((F(1) + F(1, 2)) / 2) ** 2), "0.56")


@pytest.mark.parametrize("seed", range(5))
def test_worked_example_table_equals_the_hand_derivation(seed):
    rng = np.random.default_rng(seed)
    v = dict(alpha=rng.uniform(0.1, 3), k_p=rng.uniform(0.1, 2), k_s=rng.uniform(0.1, 2),
             rho_p=rng.uniform(0.1, 2), rho_s=rng.uniform(0.1, 2))
    hand = _hand_p_and_n(**v)
    table = co.worked_example(Params(**v)).set_index("quantity")
    keys = ["t", "A", "a", "demand", "profit_platform", "profit_participant"]
    assert list(table.columns) == ["N", "P", "P − N"] and len(table) == len(keys)
    for row, key in zip(table.index, keys):
        n, p = hand["N"][key], hand["P"][key]
        assert table.loc[row].tolist() == pytest.approx([n, p, p - n], abs=6e-4), row


def test_the_intuition_of_the_worked_example_holds_for_any_curvature():
    rng = np.random.default_rng(7)
    for _ in range(30):
        rho_p, rho_s = rng.uniform(0.2, 2), rng.uniform(0.05, 0.3)
        k_s, theta = rng.uniform(0.2, 2), rng.uniform(0.1, 0.9)
        eq = solve(Params(rho_p=rho_p, rho_s=rho_s, k_s=k_s, theta=theta), "P")
        # the participant pays its margin over (platform's margin + theta * its margin) of its bill
        assert 1 - eq.t == pytest.approx(rho_s / (rho_p + theta * rho_s), rel=1e-9)
        # and at its best spend that bill is the share theta ("half" at theta = 1/2) of its advertising revenue
        assert (1 - eq.t) * eq.a == pytest.approx(theta * rho_s * k_s * eq.a ** theta, rel=1e-9)


def test_the_page_puts_the_number_before_the_derivation_and_the_derivation_in_a_box():
    worked, backward = PAGE.index("## A worked example"), PAGE.index("## Backward induction, step by step")
    box = PAGE.index("```{dropdown} Optional: the derivation")
    box_end = PAGE.index("\n```\n", box)
    assert worked < backward < box
    assert "**Stage 2, the follower.**" in PAGE[box:box_end] and "**Any curvature.**" in PAGE[box:box_end]
    assert "vertical externality" in WORKED and "ignores the platform's margin" in WORKED
    assert 'Where the "2" in the formula comes from' in WORKED
    sympy_cell = PAGE.index("coopetition.derive()")
    assert box_end < sympy_cell and ":tags: [hide-input, hide-output]" in PAGE[box_end:sympy_cell]


# --- notation links ----------------------------------------------------------------------------

SYMBOLS = [r"\beta", "A", "a", "k_p", "k_s", r"\alpha", "D", r"\theta", r"\rho_p", r"\rho_s", "t", "s", r"\varphi",
           r"\Pi^X"]


def test_each_model_symbol_links_to_the_notation_page_where_the_model_is_stated():
    stated = PAGE.index("## A worked example")
    assert PAGE.count("{ref}`notation-coopetition`") == 1
    for sym in SYMBOLS:
        link = f"[${sym}$](notation-coopetition)"
        assert PAGE.count(link) == 1 and PAGE.index(link) < stated, sym
    assert PAGE.index(r"[$\pi_p$ and $\pi_s$](notation-coopetition)") < stated


# --- tables with readers' column names ---------------------------------------------------------

def test_tables_for_readers_rename_and_round_without_changing_values():
    raw = co.scenario_table()
    shown = co.scenarios_for_readers(raw)
    assert list(shown.columns) == list(co.SCENARIO_COLUMNS.values())
    assert not any("_" in c for c in shown.columns)  # no snake_case names reach a reader
    assert shown["π platform"].tolist() == raw["profit_platform"].round(3).tolist()
    claim2 = co.claim2_table([0.5])
    shown2 = co.claim2_for_readers(claim2)
    assert list(shown2.columns) == list(co.CLAIM2_COLUMNS.values()) and not any("_" in c for c in shown2.columns)
    assert shown2.iloc[0, 0] == 0.5
    # the page's code cells no longer rename columns themselves
    cells = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", PAGE, re.S)
    assert cells and not any("rename(" in c or "columns=" in c for c in cells)


@pytest.mark.parametrize("call, name", [
    (lambda: co.scenarios_for_readers(co.scenario_table().drop(columns="gap")), "frame"),
    (lambda: co.scenarios_for_readers("table"), "frame"),
    (lambda: co.claim2_for_readers(co.claim2_table([0.5]).drop(columns="ratio_p")), "frame"),
    (lambda: co.worked_example("defaults"), "params"),
    (lambda: co.worked_example(Params(rho_p=np.array([1.0, 2.0]))), "params"),
])
def test_tables_for_readers_reject_what_they_cannot_show(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# --- exercises ---------------------------------------------------------------------------------

EXERCISES = dict(re.findall(r"```\{exercise\}\n:label: (coopetition_ex\d+)\n\n(.*?)\n```", PAGE, re.S))
MARKER = re.compile(r"\((Easy|Medium|Hard), (recall|application|explorer|maths|discussion|design|coding|extension), "
                    r"(Python|no code), (\d+) minutes\.\)")


def test_every_exercise_opens_with_the_canonical_marker_and_says_python_only_when_it_needs_code():
    assert sorted(EXERCISES) == [f"coopetition_ex{i}" for i in range(1, 9)]
    for label, body in EXERCISES.items():
        marker = MARKER.match(body)
        assert marker, label
        asks_for_code = re.search(r"\b(write|run)\b[^.]*\b(code|function|cell|python)\b|\buse the vectorised\b",
                                  body, re.I)
        needs_code = "\n    " in body or "```" in body or asks_for_code
        assert (marker.group(3) == "Python") == bool(needs_code), label


def test_every_coding_exercise_has_a_no_code_variant():
    for label, body in EXERCISES.items():
        if MARKER.match(body).group(2) == "coding":
            variants = [b for b in EXERCISES.values() if f"{{ref}}`{label}` without code." in " ".join(b.split())]
            assert variants and all(MARKER.match(b).group(3) == "no code" for b in variants), label


def _solution(label: str) -> str:
    start = PAGE.index(f"```{{solution-start}} {label}")
    return PAGE[start:PAGE.index("```{solution-end}", start)]


def test_the_no_code_variant_of_exercise_3_gives_the_gaps_of_the_model():
    text = _solution("coopetition_ex6")
    # by hand: the joint profit at alpha is its value at alpha = 1 plus 1.5 (alpha - 1); losses 5/16 (N), 5/64 (P)
    hand = _hand_p_and_n(F(1), F(1), F(1), F(1), F(1, 2))
    c_total = F(21, 8)  # both spends (1.5/2)**2: 1.5 * 2.5 - 2 * 9/16
    loss = {sc: c_total - hand[sc]["profit_platform"] - hand[sc]["profit_participant"] for sc in "NP"}
    assert loss == {"N": F(5, 16), "P": F(5, 64)}
    for alpha, printed in ((F(1, 10), {"N": "0.245", "P": "0.061"}), (F(10), {"N": "0.019", "P": "0.005"})):
        total = c_total + F(3, 2) * (alpha - 1)
        for sc, text_value in printed.items():
            assert text_value in text and _printed(float(loss[sc] / total), text_value), (alpha, sc)
            assert _printed(float(co.efficiency_gap(Params(alpha=float(alpha)), sc)), text_value)
    assert "1.275" in text and "16.125" in text


def test_the_bargaining_exercise_gives_the_splits_of_the_nash_solution():
    text = _solution("coopetition_ex7")
    hand = _hand_p_and_n(F(1), F(1), F(1), F(1), F(1, 2))
    b_p, b_s = hand["P"]["profit_platform"], hand["P"]["profit_participant"]  # S is not offered: B = P
    c_total = F(21, 8)
    surplus = c_total - b_p - b_s
    assert _printed(float(surplus), "0.078") and "0.078" in text
    printed = {0: ("1.641", "0.984", "0.109"), F(1, 2): ("1.680", "0.945", "0.070"), 1: ("1.719", "0.906", "0.031")}
    for beta, (platform, participant, transfer) in printed.items():
        pp, ps = b_p + beta * surplus, b_s + (1 - beta) * surplus
        # without a side payment the coordinating rates give the platform rho_p / (rho_p + rho_s) = 2/3
        paid_by_platform = F(2, 3) * c_total - pp
        assert paid_by_platform > 0
        for value, printed in ((pp, platform), (ps, participant), (paid_by_platform, transfer)):
            assert printed in text and _printed(float(value), printed), (beta, printed)
        r = solve(Params(), "R", power=float(beta))
        assert (r.profit_platform, r.profit_participant, -r.transfer) == pytest.approx(
            (float(pp), float(ps), float(paid_by_platform)), abs=1e-12)
    assert _printed(float(1 - b_s / c_total), "0.655") and "0.655" in text


def test_the_cross_check_exercise_gives_the_platforms_profit_at_three_rates():
    text = _solution("coopetition_ex8")
    printed = {F(1, 2): ("0.25", "1.625"), F(3, 5): ("0.391", "1.641"), F(7, 10): ("0.694", "1.597")}
    best = max(printed, key=lambda t: 1 + F(1, 2) - F(1, 4) + F(1, 4) / (1 - t) - t * (F(1, 4) / (1 - t)) ** 2)
    assert best == F(3, 5)
    for t, (spend, profit) in printed.items():
        a = (F(1, 4) / (1 - t)) ** 2
        pi_p = F(5, 4) + F(1, 4) / (1 - t) - t * a
        assert _printed(float(a), spend) and _printed(float(pi_p), profit) and profit in text, t
        # the package's profit functions (the ones the numerical solver uses) agree
        package = _payoffs({"alpha": 1.0, "k_p": 1.0, "k_s": 1.0, "rho_p": 1.0, "rho_s": 0.5, "theta": 0.5},
                           0.25, float(a), float(1 - t), 1.0)[0]
        assert math.isclose(package.real, float(pi_p), rel_tol=1e-12)
