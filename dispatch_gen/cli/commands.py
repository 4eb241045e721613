"""Core commands: build, validate, templates."""
from __future__ import annotations
