"""Extraction: a published disclosure to typed rows with provenance (pure Python, no warehouse)."""

from .document import EXTRACTOR_VERSION, Extraction, NotADisclosure, extract_disclosure, headline

__all__ = ["EXTRACTOR_VERSION", "Extraction", "NotADisclosure", "extract_disclosure", "headline"]
