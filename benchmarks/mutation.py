"""Mutation score of the model modules: do the tests notice a wrong result?

A small AST mutator (no extra dependency; mutmut and cosmic-ray copy or rewrite the
tree, which is slow with this suite's notebooks): each mutant changes one thing in one
module —

* an arithmetic operator (``+`` ↔ ``-``, ``*`` ↔ ``/``, ``**`` → ``*``, ``//`` → ``/``),
* a comparison (``<`` ↔ ``<=``, ``>`` ↔ ``>=``, ``==`` ↔ ``!=``, ``in`` ↔ ``not in``),
* a boolean operator (``and`` ↔ ``or``) or a condition (``if c`` → ``if not c``, ``not c`` → ``c``),
* a number (``0`` → ``1``, ``n`` → ``n + 1``, ``x`` → ``x * 1.5`` for floats) or a bool,
* a unary minus dropped.

Strings, docstrings and f-strings are left alone. A fixed-seed sample of the mutants
is run. The parent process imports the package once; each mutant runs in a forked child
that executes the mutated module source into the loaded module (and rebinds every name
other modules imported from it), then runs the module's tests with ``-x``. A mutant is
*killed* when a test fails or the run times out, *survived* when every test passes.

Not run in CI. Usage (about half an hour for the three default modules on 2 busy cores)::

    python benchmarks/mutation.py                      # the table (40 mutants per module)
    python benchmarks/mutation.py --survivors --json m.json   # each survivor, and a record
    python benchmarks/mutation.py --retry m.json       # rerun the survivors after adding tests
    python benchmarks/mutation.py --compare "likert or covers"   # score without/with those tests
    python benchmarks/mutation.py src/cocreation/synthesis.py --sample 0   # every mutant

Scores of the coopetition and OLI model modules (issue 21; seed 21, ``--timeout 600`` on
2 busy cores; *before* with the tests as they were, *after* with
tests/test_coopetition_properties.py, tests/test_oli_properties.py and their rows of
tests/test_inputs.py)::

    module                    sampled  before  after  survivors after
    coopetition/model.py           40     82%    85%  6, all equivalent (tie tolerances, a bound re-checked downstream)
    coopetition/numeric.py         25     68%    72%  7, all equivalent (iteration caps, start values, z = 0 vs inf)
    oli/model.py                   25     76%   100%  0
    oli/presets.py                 25     72%    92%  2 equivalent (months re-checked by the model; a default)
    oli/model_runs.py              25     52%    76%  6 equivalent (branches of an empty binomial draw; a default)

Typology, foundations and data (seed 21 and a second sample with seed 22, 40 mutants each;
*after* adds tests/test_inputs_typology_foundations_data.py and the new rows of their tests)::

    module                    sampled  before  after  survivors after
    typology/model.py           40+40  82/90%  95/95%  equivalent (a rounding digit in the tie-break, column order)
    foundations.py              40+40  48/88%  88/92%  equivalent (label wrap and pixel limits no label reaches)
    data.py                     40+40  72/92%  90/95%  equivalent (cache size, a suggestion count, the __main__ block)

Every non-equivalent survivor is killed. With a 180 s timeout the coopetition model's
run counted 12 slow survivors as "timed out" (killed): use 600 s on a loaded machine.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import random
import signal
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

#: The tests each module answers to, and the slow tests left out (they build explorer
#: grids or run a notebook; the fast tests cover the same code).
TESTS: dict[str, list[str]] = {
    "src/cocreation/ipo/model.py": ["tests/test_ipo.py", "tests/test_inputs.py", "src/cocreation/ipo/model.py"],
    "src/cocreation/ipo/power.py": ["tests/test_ipo.py", "tests/test_inputs.py", "src/cocreation/ipo/power.py"],
    "src/cocreation/synthesis.py": ["tests/test_synthesis.py", "tests/test_inputs.py", "src/cocreation/synthesis.py"],
    "src/cocreation/typology/model.py": ["tests/test_typology.py", "tests/test_inputs_typology_foundations_data.py",
                                         "src/cocreation/typology/model.py"],
    "src/cocreation/foundations.py": ["tests/test_foundations.py", "tests/test_inputs_typology_foundations_data.py",
                                      "src/cocreation/foundations.py"],
    "src/cocreation/data.py": ["tests/test_data.py", "tests/test_data_corruption.py", "tests/test_provenance.py",
                               "tests/test_inputs_typology_foundations_data.py", "src/cocreation/data.py"],
    **{f"src/cocreation/coopetition/{m}.py": ["tests/test_coopetition.py", "tests/test_coopetition_properties.py",
                                               "tests/test_inputs.py", f"src/cocreation/coopetition/{m}.py"]
       for m in ("model", "numeric")},
    **{f"src/cocreation/oli/{m}.py": ["tests/test_oli.py", "tests/test_oli_presets.py", "tests/test_oli_properties.py",
                                       "tests/test_inputs.py", f"src/cocreation/oli/{m}.py"]
       for m in ("model", "model_runs", "presets")},
}
_SLOW = "not notebook and not static_power_explorer and not static_and_live and not registry_expectations"
#: pytest -k per module: the slow tests and the other modules' rows of test_inputs left out.
SELECT: dict[str, str] = {
    "src/cocreation/ipo/model.py": f"{_SLOW} and not widgets and not charts and not synthesis and not split_sides and not first_sentence",
    "src/cocreation/ipo/power.py": f"{_SLOW} and not widgets and not charts and not synthesis and not split_sides and not first_sentence",
    "src/cocreation/synthesis.py": "not ipo and not widgets and not charts",
    **dict.fromkeys(
        ["src/cocreation/typology/model.py", "src/cocreation/foundations.py", "src/cocreation/data.py"],
        "not notebook and not static_explorer and not live_explorer and not registry_declares",
    ),
    **{f"src/cocreation/{m}.py": f"{_SLOW} and not widgets and not charts and not synthesis and not ipo and not split_sides "
       f"and not first_sentence and not local_search and not {'oli' if m.startswith('coop') else 'coopetition'}"
       for m in ("coopetition/model", "coopetition/numeric", "oli/model", "oli/model_runs", "oli/presets")},
}

SWAP_BIN = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.Pow: ast.Mult,
            ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv, ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd,
            ast.RShift: ast.LShift, ast.LShift: ast.RShift, ast.BitXor: ast.BitOr}
SWAP_CMP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
            ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}


@dataclass(frozen=True)
class Mutant:
    index: int  # position of the node in ast.walk order
    kind: str
    line: int
    before: str
    after: str


def _skipped(tree: ast.AST) -> set[int]:
    """ids of nodes inside docstrings, f-strings and type annotations."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        parts = []
        if isinstance(node, ast.JoinedStr):
            parts.append(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            parts += [a.annotation for a in node.args.args + node.args.kwonlyargs if a.annotation]
            if node.returns:
                parts.append(node.returns)
        if isinstance(node, ast.AnnAssign):
            parts.append(node.annotation)
        for part in parts:
            skip.update(id(n) for n in ast.walk(part))
    return skip


def _mutate(node: ast.AST) -> list[tuple[str, ast.AST]]:
    """The mutated copies of one node (empty if it is not a mutation point)."""
    out: list[tuple[str, ast.AST]] = []
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in SWAP_BIN:
        new = copy.deepcopy(node)
        new.op = SWAP_BIN[type(node.op)]()
        out.append(("operator", new))
    elif isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in SWAP_CMP:
                new = copy.deepcopy(node)
                new.ops[i] = SWAP_CMP[type(op)]()
                out.append(("comparison", new))
    elif isinstance(node, ast.BoolOp):
        new = copy.deepcopy(node)
        new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        out.append(("boolean", new))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
        out.append(("unary", copy.deepcopy(node.operand)))
    elif isinstance(node, (ast.If, ast.While, ast.IfExp)):
        new = copy.deepcopy(node)
        new.test = ast.UnaryOp(op=ast.Not(), operand=new.test)
        out.append(("condition", new))
    elif isinstance(node, ast.Constant) and not isinstance(node.value, str):
        value = node.value
        if isinstance(value, bool):
            changed = not value
        elif isinstance(value, int):
            changed = 1 if value == 0 else value + 1
        elif isinstance(value, float):
            changed = 1.0 if value == 0 else value * 1.5
        else:
            return out
        out.append(("constant", ast.copy_location(ast.Constant(changed), node)))
    return out


def mutants(source: str) -> list[Mutant]:
    tree = ast.parse(source)
    skip = _skipped(tree)
    found = []
    for index, node in enumerate(ast.walk(tree)):
        if id(node) in skip:
            continue
        for kind, new in _mutate(node):
            before = ast.unparse(node).splitlines()[0][:70]
            after = ast.unparse(new).splitlines()[0][:70]
            found.append(Mutant(index, kind, getattr(node, "lineno", 0), before, after))
    return found


def mutated_code(source: str, path: str, mutant: Mutant):
    """Compile ``source`` with ``mutant`` applied (the nth variant of its node)."""
    tree = ast.parse(source)
    nodes = list(ast.walk(tree))
    target = nodes[mutant.index]
    variants = [new for kind, new in _mutate(target) if kind == mutant.kind
                and ast.unparse(new).splitlines()[0][:70] == mutant.after]
    new = variants[0]
    for parent in nodes:
        for field, value in ast.iter_fields(parent):
            if value is target:
                setattr(parent, field, new)
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if item is target:
                        value[i] = new
    ast.fix_missing_locations(tree)
    return compile(tree, path, "exec")


def _module_name(path: str) -> str:
    return path.removeprefix("src/").removesuffix(".py").replace("/", ".")


#: Modules whose package builds instances of their classes at import (oli's PRESETS hold
#: Disposition and Rates objects): rebinding names is not enough, the child imports the
#: whole package afresh with the mutated module in place.
FRESH = {"src/cocreation/oli/model.py", "src/cocreation/oli/model_runs.py", "src/cocreation/oli/presets.py"}


class _MutatedFinder:
    """Import ``name`` from ``code`` (the mutant) and every other module as usual."""

    def __init__(self, name: str, code) -> None:
        self.name, self.code = name, code

    def find_spec(self, fullname, path, target=None):
        if fullname != self.name:
            return None
        import importlib.machinery

        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        spec.loader = self
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        exec(self.code, module.__dict__)  # noqa: S102 - our own module, mutated


def _load_fresh(path: str, code) -> bool:
    import importlib

    for key in [k for k in sys.modules if k == "cocreation" or k.startswith("cocreation.")]:
        del sys.modules[key]
    sys.meta_path.insert(0, _MutatedFinder(_module_name(path), code))
    try:
        importlib.import_module(_module_name(path).rsplit(".", 1)[0])
    except Exception:
        return False  # the mutant breaks the import: every test would fail
    return True


def _load(path: str, code) -> bool:
    """Execute the mutated module into the loaded one and rebind what others imported from it."""
    if path in FRESH:
        return _load_fresh(path, code)
    name = _module_name(path)
    module = sys.modules[name]
    old = dict(module.__dict__)
    try:
        exec(code, module.__dict__)  # noqa: S102 - our own module, mutated
    except Exception:
        return False  # the mutant breaks the import: every test would fail
    for other in list(sys.modules.values()):
        if other is module or not getattr(other, "__name__", "").startswith("cocreation"):
            continue
        for key, value in list(vars(other).items()):
            if key in old and value is old[key] and key in module.__dict__:
                setattr(other, key, module.__dict__[key])
    return True


def _pytest(path: str, select: str) -> int:
    import pytest

    tests = TESTS[path]
    # the module's doctests first: they are quick and stop most mutants (-x)
    ordered = [t for t in tests if t.startswith("src/")] + [t for t in tests if not t.startswith("src/")]
    args = [str(ROOT / t) for t in ordered] + [
        "-x", "-q", "-p", "no:cacheprovider", "-m", "not build and not browser", "-k", select,
        "--doctest-modules", "-W", "ignore",
    ]
    return int(pytest.main(args))


def _fork(job) -> int:
    """Run ``job()`` in a child of its own process group; return its pid."""
    pid = os.fork()
    if pid == 0:
        os.setpgid(0, 0)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            status = job()
        except BaseException:
            status = 1
        os._exit(status)
    return pid


def run(path: str, chosen: list[Mutant], timeout: float, jobs: int, compare: str | None) -> dict[str, list[Mutant]]:
    """Run each mutant: ``killed`` by the tests, ``killed_new`` only by the tests that
    ``compare`` selects (those added since the baseline), ``timeout``, or ``survived``."""
    source = (ROOT / path).read_text(encoding="utf-8")
    out: dict[str, list[Mutant]] = {"killed": [], "killed_new": [], "timeout": [], "survived": []}
    select = SELECT[path]
    # control: the unmutated module through the same machinery must pass every test
    original = compile(source, str(ROOT / path), "exec")
    pid = _fork(lambda: _pytest(path, select) if _load(path, original) else 1)
    if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0:
        sys.exit(f"{path}: the selected tests fail without any mutant; fix them first")
    pending = [(m, "base") for m in chosen]
    running: dict[int, tuple[Mutant, str, float]] = {}
    while pending or running:
        while pending and len(running) < jobs:
            mutant, phase = pending.pop(0)
            code = mutated_code(source, str(ROOT / path), mutant)
            if compare is None:
                expr = select
            elif phase == "base":
                expr = f"({select}) and not ({compare})"
            else:
                expr = f"({select}) and ({compare})"
            pid = _fork(lambda: _pytest(path, expr) if _load(path, code) else 1)
            running[pid] = (mutant, phase, time.monotonic())
        time.sleep(0.05)
        for pid, (mutant, phase, start) in list(running.items()):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done == 0:
                if time.monotonic() - start > timeout:
                    os.killpg(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    out["timeout"].append(mutant)
                    del running[pid]
                continue
            del running[pid]
            exit_code = os.waitstatus_to_exitcode(status)
            if exit_code == 5 and phase == "new":  # no test selected: nothing new to kill it
                exit_code = 0
            if exit_code != 0:
                out["killed" if phase == "base" else "killed_new"].append(mutant)
            elif phase == "base" and compare is not None:
                pending.insert(0, (mutant, "new"))
            else:
                out["survived"].append(mutant)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", default=list(TESTS))
    parser.add_argument("--sample", type=int, default=40, help="mutants per module (0: all)")
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per mutant (a timeout counts as killed)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--survivors", action="store_true", help="list every surviving mutant")
    parser.add_argument("--compare", metavar="EXPR", help="a pytest -k expression selecting the tests added since a "
                        "baseline: the table then shows the score without them (before) and with them (after)")
    parser.add_argument("--json", metavar="PATH", help="write every mutant's outcome here")
    parser.add_argument("--retry", metavar="PATH", help="rerun only the survivors recorded in this --json file "
                        "(after adding tests; the mutants it records as killed stay killed)")
    args = parser.parse_args()
    os.environ.setdefault("COCREATION_SOURCES", str(ROOT.parent / "shared" / "sources"))
    # import everything once in the parent, so each forked child starts warm
    import altair  # noqa: F401
    import hypothesis
    import pytest  # noqa: F401

    import cocreation.ipo  # noqa: F401
    import cocreation.synthesis  # noqa: F401
    import cocreation.typology  # noqa: F401
    import cocreation.foundations  # noqa: F401
    import cocreation.data  # noqa: F401
    import cocreation.provenance  # noqa: F401
    import cocreation.coopetition  # noqa: F401
    import cocreation.oli  # noqa: F401

    hypothesis.settings.register_profile("mutation", database=None)
    hypothesis.settings.load_profile("mutation")
    previous = json.loads(Path(args.retry).read_text()) if args.retry else {}
    record: dict[str, dict[str, list[dict]]] = {}
    rows = []
    for path in args.modules:
        if path not in TESTS:
            sys.exit(f"no tests declared for {path}; add it to TESTS")
        start = time.monotonic()
        every = mutants((ROOT / path).read_text(encoding="utf-8"))
        if args.retry:
            before = previous[path]
            chosen = [Mutant(**m) for m in before["survived"]]
            kept = {k: [Mutant(**m) for m in v] for k, v in before.items() if k != "survived"}
        else:
            chosen = every if args.sample <= 0 or args.sample >= len(every) else random.Random(args.seed).sample(every, args.sample)
            kept = {}
        chosen.sort(key=lambda m: (m.line, m.index))
        out = run(path, chosen, args.timeout, args.jobs, args.compare)
        for key, value in kept.items():
            out[key] = value + out[key]
        record[path] = {k: [asdict(m) for m in v] for k, v in out.items()}
        total = sum(len(v) for v in out.values())
        base = len(out["killed"]) + len(out["timeout"])
        rows.append((path, len(every), total, base, base + len(out["killed_new"]), len(out["survived"])))
        print(f"{path}: {total} of {len(every)} mutants, {len(out['killed'])} killed, {len(out['killed_new'])} killed "
              f"only by the compared tests, {len(out['timeout'])} timed out, {len(out['survived'])} survived "
              f"({time.monotonic() - start:.0f} s)", flush=True)
        if args.survivors:
            for m in out["survived"]:
                print(f"    survived line {m.line} [{m.kind}]: {m.before}  ->  {m.after}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(record, indent=1))
    print()
    header = f"{'module':32} {'points':>6} {'mutants':>7} {'killed':>6} {'survived':>8} {'score':>6}"
    if args.compare:
        header += f" {'before':>7}"
    print(header)
    for path, points, total, base, dead, alive in rows:
        line = f"{path:32} {points:6d} {total:7d} {dead:6d} {alive:8d} {dead / max(total, 1):6.0%}"
        if args.compare:
            line += f" {base / max(total, 1):7.0%}"
        print(line)


if __name__ == "__main__":
    main()
