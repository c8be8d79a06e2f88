"""The per-process resources of the app: store, executor, named queries, settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from kg.executor import Executor
from kg.queries import NamedQuery
from kg.store import Store
from service.federation import ServicePolicy


@dataclass
class AppState:
    store: Store
    executor: Executor
    named: dict[str, NamedQuery]
    examples: dict[str, NamedQuery]
    policy: ServicePolicy
    prefixes: dict[str, str]
    builtin: bool
    timeout: float
    max_rows: int
    cache: dict[str, Any] = field(default_factory=dict)


def state() -> AppState:
    """The running app's state (set up once by ``create_app``)."""
    return current_app.extensions["legkg"]
