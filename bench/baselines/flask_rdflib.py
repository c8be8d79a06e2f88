"""Baseline: the smallest Flask SPARQL endpoint over plain rdflib (gunicorn ...:app).

The TriG file comes from $BENCH_DATA; the default graph is the union of its graphs.
"""

import os

import rdflib
from flask import Flask, Response, request

dataset = rdflib.Dataset(default_union=True)
dataset.parse(os.environ["BENCH_DATA"], format="trig")
app = Flask(__name__)


@app.route("/sparql")
def sparql() -> Response:
    result = dataset.query(request.args["query"])
    body = result.serialize(format="json")
    return Response(body, mimetype="application/sparql-results+json")
