"""Pure extraction: raw page bytes (HTML or a page-text dump) and a URL in, an `Article` out.

Nothing here touches the network or the database.
"""
from extractors.extract import ExtractionError, extract
from extractors.model import EXTRACTOR_VERSION, Article, Image, RawPage

__all__ = ["EXTRACTOR_VERSION", "Article", "ExtractionError", "Image", "RawPage", "extract"]
