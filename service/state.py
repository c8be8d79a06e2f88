"""The per-process resources of the app: store, executor, named queries, settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
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
    snapshot: tuple[Path, str] | None = None  # index answers recorded with the data, its key

    @property
    def index_store(self) -> Store:
        """What the browse and explorer indexes read: legkg's own graphs of a big store,
        answering from the snapshot recorded at load/build time when it matches the data."""
        if "index-store" not in self.cache:
            from kg.index_snapshot import replayed
            from kg.store_scope import own_graphs

            self.cache["index-store"] = replayed(own_graphs(self.store), self.snapshot)
        return self.cache["index-store"]


def state() -> AppState:
    """The running app's state (set up once by ``create_app``)."""
    return current_app.extensions["legkg"]
