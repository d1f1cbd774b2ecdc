"""Small text helpers for lists and spans in generated prose.

>>> import pandas as pd
>>> names(pd.DataFrame({"n": ["a", "b"]}), "n"), span(["P1", "P2", "P3"]), first_sentence("One. Two.")
('a, b', 'P1–P3', 'One.')
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["names", "span", "first_sentence"]


def names(frame: pd.DataFrame, column: str) -> str:
    """The values of ``column``, joined with commas."""
    return ", ".join(frame[column].astype(str))


def span(ids: list[str]) -> str:
    """``"P1–P3"`` for a run of ids, or the one id."""
    return ids[0] if len(ids) == 1 else f"{ids[0]}–{ids[-1]}"


def first_sentence(text: str) -> str:
    """The text up to its first full stop."""
    return re.split(r"(?<=\.)\s", text.strip(), maxsplit=1)[0]
