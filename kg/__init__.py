"""legkg: a knowledge graph of why legs hurt when lying down, built from one article."""

__version__ = "0.1.0"
