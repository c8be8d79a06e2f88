"""SERVICE policy: refused unless the endpoint matches an allow-listed IRI prefix.

Only http(s) endpoints are ever allowed (no ``file:``). An endpoint whose host is, or
resolves to, a loopback, private, link-local or otherwise non-global address is refused
unless the allow-list entry names that address (or ``localhost``) literally. The
queries are parsed with rdflib's parser (only when the text mentions SERVICE) to find
every SERVICE clause, including nested ones; ``SERVICE ?var`` is always refused.

Known limit: the engine does its own DNS lookup and follows HTTP redirects of an
allow-listed endpoint, so allow-list only endpoints you trust.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from service.errors import Forbidden

_MENTIONS_SERVICE = re.compile(r"service", re.IGNORECASE)


class ServicePolicy:
    """Allow-list of SERVICE endpoint prefixes (empty: SERVICE refused)."""

    def __init__(self, allow: Sequence[str] = ()) -> None:
        self.allow = [p for p in allow if p]
        for prefix in self.allow:
            if urlsplit(prefix).scheme not in ("http", "https"):
                raise ValueError(f"SERVICE allow-list entries must be http(s) IRIs: {prefix!r}")

    def check(self, text: str) -> None:
        """Raise Forbidden when the query calls an endpoint that is not allowed."""
        if not _MENTIONS_SERVICE.search(text):
            return
        endpoints = service_endpoints(text)
        if endpoints is None:
            if re.search(r"\bSERVICE\b", text, re.IGNORECASE):
                raise Forbidden("SERVICE is refused: the query could not be checked")
            return
        for endpoint in endpoints:
            self._check_endpoint(endpoint)

    def _check_endpoint(self, endpoint: str | None) -> None:
        if endpoint is None:
            raise Forbidden("SERVICE with a variable endpoint is refused")
        if not self.allow:
            raise Forbidden(f"SERVICE is disabled on this server (query calls <{endpoint}>)")
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https"):
            raise Forbidden(f"SERVICE <{endpoint}> is refused: only http(s) endpoints")
        prefix = next((p for p in self.allow if _matches(p, parts)), None)
        if prefix is None:
            raise Forbidden(f"SERVICE <{endpoint}> is not in the allow-list of this server")
        if not _host_is_explicit(urlsplit(prefix).hostname or "") and not _host_is_public(
            parts.hostname or ""
        ):
            raise Forbidden(
                f"SERVICE <{endpoint}> is refused: its host is a loopback, private or "
                "link-local address that is not explicitly allow-listed"
            )


def _matches(prefix: str, parts: Any) -> bool:
    allowed = urlsplit(prefix)
    try:
        same_port = (allowed.port or _default_port(allowed.scheme)) == (
            parts.port or _default_port(parts.scheme)
        )
    except ValueError:
        return False
    return (
        allowed.scheme == parts.scheme
        and (allowed.hostname or "") == (parts.hostname or "")
        and same_port
        and parts.path.startswith(allowed.path)
    )


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _host_is_explicit(host: str) -> bool:
    """An allow-list entry that names an IP literal or localhost allows it knowingly."""
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _host_is_public(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}
    return bool(addresses) and all(a.is_global for a in addresses)


def service_endpoints(text: str) -> list[str | None] | None:
    """Endpoint IRIs of all SERVICE clauses (None for a variable); None if unparsable."""
    found = _endpoints(text)
    return None if found is None else list(found)


@functools.lru_cache(maxsize=256)
def _endpoints(text: str) -> tuple[str | None, ...] | None:
    """Parsing with rdflib takes milliseconds: cached by query text."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.term import URIRef

    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except Exception:  # rdflib's parser raises many exception types
        return None
    return tuple(str(t) if isinstance(t, URIRef) else None for t in _service_terms(algebra))


def _service_terms(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            yield node.get("term")
        for value in node.values():
            yield from _service_terms(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _service_terms(item)
