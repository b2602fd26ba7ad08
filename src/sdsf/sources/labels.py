"""Column labels as files write them, matched leniently (shared by every reader)."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

LINE = "_line"  # the line of each row in the file, as a spreadsheet numbers it


def normalize_label(label: str) -> str:
    """Lower case, no accents, single spaces: for matching column labels leniently."""
    text = unicodedata.normalize("NFKD", str(label)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def columns_found(frame: pd.DataFrame) -> str:
    """The file's column names, as an error message shows them."""
    return " | ".join(str(col) for col in frame.columns if col != LINE)[:300]
