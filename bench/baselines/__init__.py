"""Minimal Flask apps the benchmark compares legkg against."""
