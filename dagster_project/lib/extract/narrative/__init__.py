"""The narrative (情况说明): its paragraphs (paragraphs.py) and the figures they state (figures.py)."""

from .figures import read_narrative

__all__ = ["read_narrative"]
