"""Parsers for the offline terminology files read by :mod:`kg.terminologies`."""
