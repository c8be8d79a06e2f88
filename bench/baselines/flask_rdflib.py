"""Baseline: the smallest Flask SPARQL endpoint over plain rdflib (bench/baselines/serve.py).

The TriG file comes from $BENCH_DATA; the default graph is the union of its graphs.
rdflib's SPARQL parser is not thread-safe (concurrent queries fail inside pyparsing),
so under a threaded worker one query runs at a time per process.
"""

import os
import threading

import rdflib
from flask import Flask, Response, request

dataset = rdflib.Dataset(default_union=True)
dataset.parse(os.environ["BENCH_DATA"], format="trig")
app = Flask(__name__)
lock = threading.Lock()


@app.route("/sparql")
def sparql() -> Response:
    with lock:
        result = dataset.query(request.args["query"])
        body = result.serialize(format="json")
    return Response(body, mimetype="application/sparql-results+json")
