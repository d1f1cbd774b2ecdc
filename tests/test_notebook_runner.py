"""The shared notebook runner: no cell waits for the poll timeout (the Output-widget stall)."""

from __future__ import annotations

from datetime import datetime

import nbformat
import pytest

from conftest import run_notebook

CELLS = 300
TIMEOUT = 3  # seconds: a stalled reply would take this long


def _seconds(cell) -> float:
    timing = cell.metadata["execution"]
    start = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
    end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    return (end - start).total_seconds()


def test_hundreds_of_output_widget_cells_never_wait_for_the_timeout(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import ipywidgets as w\nout = w.Output()\nout")]
    nb.cells += [nbformat.v4.new_code_cell(f"with out:\n    print({i})") for i in range(CELLS)]
    run_notebook(nb, cwd=tmp_path, timeout=TIMEOUT)
    slowest = max(_seconds(c) for c in nb.cells)
    assert slowest < TIMEOUT - 1, f"a cell took {slowest:.2f} s: its reply waited for the poll timeout"


def test_the_runner_reports_a_failing_cell(tmp_path):
    import nbclient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")])
    with pytest.raises(nbclient.exceptions.CellExecutionError, match="ZeroDivisionError"):
        run_notebook(nb, cwd=tmp_path)
