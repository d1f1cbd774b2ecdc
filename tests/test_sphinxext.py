"""The book's Sphinx extension: downloadable notebooks keep their outputs."""

from __future__ import annotations

import nbformat
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from cocreation.sphinxext import executed_notebook


def _notebook(with_output: bool) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("6 * 7")
    if with_output:
        cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "42"}, execution_count=1)]
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def test_outputs_come_from_the_cache_when_myst_nb_wrote_none(tmp_path):
    # myst-nb writes jupyter_execute/<page>.ipynb without outputs on a cache hit
    cache_dir = tmp_path / "cache"
    cache = get_cache(str(cache_dir))
    cache.cache_notebook_bundle(CacheBundleIn(_notebook(True), str(tmp_path / "page.md")), check_validity=False)
    written = tmp_path / "page.ipynb"
    nbformat.write(_notebook(False), written)

    nb = executed_notebook(written, cache_dir)
    assert nb.cells[0].outputs[0]["data"]["text/plain"] == "42"


def test_a_notebook_with_outputs_or_without_a_cache_is_returned_as_written(tmp_path):
    written = tmp_path / "page.ipynb"
    nbformat.write(_notebook(False), written)
    assert executed_notebook(written, tmp_path / "no-cache").cells[0].outputs == []
    nbformat.write(_notebook(True), written)
    assert executed_notebook(written, tmp_path / "no-cache").cells[0].outputs[0]["data"]["text/plain"] == "42"
