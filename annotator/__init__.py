"""annotator: read news articles, tag claims, sources and figures, export the work."""

__version__ = "0.1.0"
