"""Baseline: the smallest Flask SPARQL endpoint calling pyoxigraph directly.

The TriG file comes from $BENCH_DATA; the default graph is the union of its graphs.
"""

import os

import pyoxigraph as ox
from flask import Flask, Response, request

store = ox.Store()
store.load(path=os.environ["BENCH_DATA"], format=ox.RdfFormat.TRIG)
app = Flask(__name__)


@app.route("/sparql")
def sparql() -> Response:
    result = store.query(request.args["query"], use_default_graph_as_union=True)
    body = result.serialize(format=ox.QueryResultsFormat.JSON)
    return Response(body, mimetype="application/sparql-results+json")
