"""``/healthz``: liveness (the store is loaded and answers a trivial query)."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from service.state import state

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz() -> ResponseReturnValue:
    st = state()
    return jsonify(status="ok", engine=st.store.engine, graphs=len(st.store.graph_names()))
