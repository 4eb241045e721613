"""dispatch-gen: Vietnamese official documents (Nghị định 30/2020/NĐ-CP) from structured data."""
from __future__ import annotations

__version__ = "0.1.0"
