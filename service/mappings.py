"""``/mappings.sssom.tsv``: the verified cross-references as an SSSOM mapping set."""

from __future__ import annotations

from functools import cache

from flask import Blueprint, Response

from kg.paths import DATA_DIR
from kg.sssom_export import render_sssom

bp = Blueprint("mappings", __name__)


@cache
def _sssom() -> bytes:
    # the curated mapping set is fixed for the life of the process
    return render_sssom(DATA_DIR).encode("utf-8")


@bp.route("/mappings.sssom.tsv")
def sssom() -> Response:
    return Response(_sssom(), mimetype="text/tab-separated-values", headers={
        "Content-Disposition": 'inline; filename="legkg-mappings.sssom.tsv"'
    })  # fmt: skip
