"""The chapter registry: ``data/chapters.csv`` declares the chapters, everything else reads it.

A chapter is one row of ``chapters.csv`` (id, title, page, source) plus its own files: its
book folder, its package (``cocreation.<id>``), its tables ``data/<id>_*`` and its tests.
This module finds the rest from the row: the chapter's module, its explorers (the
``EXPLORERS`` tuple its package exports) and its synthesis facts.

Examples
--------
>>> from cocreation import registry
>>> registry.chapter_ids()[:2]
['foundations', 'ipo']
>>> registry.chapter("ipo")["source"]
'000'
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import pandas as pd

from . import data, validate

__all__ = ["chapters", "chapter_ids", "chapter", "module", "explorers", "tables_of"]


def chapters() -> pd.DataFrame:
    """The rows of ``data/chapters.csv``, in book order."""
    return data.load("chapters")


def chapter_ids() -> list[str]:
    """The chapter ids, in book order."""
    return chapters()["id"].tolist()


def chapter(chapter_id: str) -> pd.Series:
    """One chapter's row (id, title, page, source, framework)."""
    validate.choice("chapter_id", chapter_id, chapter_ids())
    return chapters().set_index("id", drop=False).loc[chapter_id]


def module(chapter_id: str) -> ModuleType:
    """The chapter's package or module, ``cocreation.<id>``."""
    validate.choice("chapter_id", chapter_id, chapter_ids())
    return importlib.import_module(f"cocreation.{chapter_id}")


def explorers(chapter_id: str | None = None) -> list[Any]:
    """Every registered explorer (:class:`cocreation.widgets.Explorer`), or one chapter's.

    Each chapter's package exports its explorers as ``EXPLORERS``; a chapter without
    slider charts exports none.
    """
    ids = chapter_ids() if chapter_id is None else [validate.choice("chapter_id", chapter_id, chapter_ids())]
    found = []
    for cid in ids:
        for entry in getattr(module(cid), "EXPLORERS", ()):
            if entry.chapter != cid:
                raise ValueError(f"explorer {entry.name!r} of cocreation.{cid} declares chapter {entry.chapter!r}")
            found.append(entry)
    return found


def tables_of(chapter_id: str) -> list[str]:
    """The data tables a chapter owns: those named ``<id>_*``."""
    validate.choice("chapter_id", chapter_id, chapter_ids())
    return [t for t in data.tables() if t.startswith(f"{chapter_id}_")]
