"""Browse pages: home, entity, relation and class pages, class tree, search and the
article view, each as HTML or JSON, plus linked-data RDF for entities.

Route table::

    GET /  /index.json                      home: what legkg is, counts, the nine causes
    GET /entity/<CURIE>[.json|.ttl|.jsonld|.rdf|.nt|.svg]   entity page / description
    GET /relation/<CURIE>[.json]            relation page with every pair and its evidence
    GET /class/<CURIE>[.json]               class page; /classes[.json] the class tree
    GET /search[.json]?q=                   search; /search/suggest?q= autocomplete (JSON)
    GET /source[.json]                      the article with its evidence passages
    GET /<Id>  /id/<Id>  /section/<id>      IRIs under the base: 303 to their page

HTML is the default; ``Accept: application/json`` or ``.json`` gives JSON, and entity
pages also answer Turtle, JSON-LD, RDF/XML and N-Triples (``Vary: Accept``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, render_template, request
from markupsafe import Markup

from kg.external import external_iri, external_term
from kg.namespaces import DEFAULT_BASE, PREFIXES
from kg.svg import Neighbour, neighbourhood_svg
from kg.views import EntityPage, Ref, Views
from kg.views_index import BrowseIndex
from kg.views_source import SourcePage, source_page
from service import urls
from service.errors import BadRequest, NotFound
from service.external_search import with_external
from service.state import state

bp = Blueprint("browse", __name__)

TITLE = "legkg: why legs hurt when lying down"
ARTICLE = "9+ Reasons Why Leg Hurts When I Lay Down"
HTML, JSON, SVG = "html", "json", "svg"
RDF_TYPES = {
    "turtle": ("text/turtle", ox.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
}
SUFFIXES = {"json": JSON, "html": HTML, "svg": SVG, "ttl": "turtle", "jsonld": "jsonld",
            "rdf": "rdfxml", "nt": "ntriples"}  # fmt: skip
_PAGE_ACCEPT = [("text/html", HTML), ("application/xhtml+xml", HTML), ("application/json", JSON)]
_RDF_ACCEPT = [(media, name) for name, (media, _) in RDF_TYPES.items()]


# ---------------------------------------------------------------------- per-process state
@bp.record_once
def _load(setup: Any) -> None:
    """Build the index when the blueprint is registered, so the first request is fast.

    A dataset the browse queries cannot read (say, a bare triple file) must not stop
    the rest of the service: the failure is logged and retried on the first page.
    """
    app_state = setup.app.extensions["legkg"]
    try:
        app_state.cache["browse"] = Views(BrowseIndex.load(app_state.index_store))
    except Exception:  # noqa: BLE001 - any store or data problem; pages report it later
        setup.app.logger.warning("browse index not built at start-up", exc_info=True)


def views() -> Views:
    cache = state().cache
    if "browse" not in cache:
        cache["browse"] = Views(BrowseIndex.load(state().index_store))
    return cache["browse"]


def article() -> SourcePage:
    cache = state().cache
    if "browse-source" not in cache:
        cache["browse-source"] = source_page(views(), ARTICLE)
    return cache["browse-source"]


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "href": href,
        "source_url": urls.source_url,
        "search_url": urls.search_url,
        "classes_url": urls.classes_url,
        "browse_home_url": urls.browse_home_url,
        "all_names": lambda: _all_names(),
    }


def href(ref: Ref, suffix: str | None = None) -> str:
    """The page of a graph term; an external term's own IRI only when it is http(s)."""
    url = urls.browse_url(ref.kind, ref.iri, ref.curie, suffix)
    if ref.kind in urls.BROWSE_ENDPOINTS or ref.kind == "section":
        return url
    return url if url.startswith(("https://", "http://")) else ""


def _all_names() -> list[str]:
    """Labels and acronyms for the search box's <datalist> (autocomplete without JS)."""
    cache = state().cache
    if "browse-names" not in cache:
        ents = views().index.entities.values()
        names = {e.label for e in ents} | {a for e in ents for a in e.acronyms}
        cache["browse-names"] = sorted(names, key=str.lower)
    return cache["browse-names"]


# ---------------------------------------------------------------------- negotiation
def choose(suffix: str, rdf: bool = False, svg: bool = False) -> str:
    """The format for this request: a suffix wins, then Accept; HTML by default."""
    if suffix:
        fmt = SUFFIXES.get(suffix)
        allowed = {HTML, JSON} | (set(RDF_TYPES) if rdf else set()) | ({SVG} if svg else set())
        if fmt not in allowed:
            raise NotFound(f"unknown format suffix .{suffix}")
        return fmt
    if not request.headers.get("Accept"):
        return HTML
    table = _PAGE_ACCEPT + (_RDF_ACCEPT if rdf else [])
    best = request.accept_mimetypes.best_match([media for media, _ in table])
    return dict(table).get(best, HTML) if best else HTML


def split_suffix(value: str) -> tuple[str, str]:
    """``legkg:X.ttl`` -> (``legkg:X``, ``ttl``) when the suffix is a known format."""
    base, dot, suffix = value.rpartition(".")
    if dot and suffix in SUFFIXES:
        return base, suffix
    return value, ""


def expand(curie: str) -> str | None:
    prefix, colon, local = curie.partition(":")
    if not colon or prefix not in PREFIXES or not local:
        return None
    return PREFIXES[prefix] + local


def page(template: str, alternates: dict[str, str], **context: Any) -> Response:
    """An HTML page with Link rel=alternate headers and Vary: Accept."""
    html = render_template(template, alternates=alternates, **context)
    response = Response(html, 200, mimetype="text/html")
    links = [f'<{url}>; rel="alternate"; type="{media}"' for media, url in alternates.items()]
    if links:
        response.headers["Link"] = ", ".join(links)
    response.headers["Vary"] = "Accept"
    return response


def as_json(payload: Any, status: int = 200) -> Response:
    response = Response(_dumps(to_plain(payload)), status, mimetype="application/json")
    response.headers["Vary"] = "Accept"
    return response


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, indent=1)


def to_plain(value: Any) -> Any:
    """Dataclasses to JSON-ready values; every Ref gains its page ``url``."""
    if isinstance(value, Ref):
        return {**dataclasses.asdict(value), "url": href(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


# ---------------------------------------------------------------------- home
@bp.route("/", endpoint="home")
@bp.route("/index.json", endpoint="home_json", defaults={"json_suffix": True})
def home(json_suffix: bool = False) -> Response:
    view = views().home(TITLE)
    if choose("json" if json_suffix else "") == JSON:
        return as_json(view)
    alternates = {"application/json": urls.browse_home_url("json")}
    return page("browse/home.html", alternates, home=view)


# ---------------------------------------------------------------------- entity
@bp.route("/entity/<curie>")
def entity(curie: str) -> Response:
    short, suffix = split_suffix(curie)
    fmt = choose(suffix, rdf=True, svg=True)
    iri = expand(short)
    view = views().entity(iri) if iri else None
    if view is None:
        return external_page(short, fmt) or not_found(short, fmt)
    if fmt in RDF_TYPES:
        return describe(iri, fmt)
    if fmt == JSON:
        return as_json(view)
    picture = neighbourhood(view)
    if fmt == SVG:
        return Response(picture, 200, mimetype="image/svg+xml", headers={"Vary": "Accept"})
    alternates = {"application/json": href(view.entity, "json")}
    for name, suffix_name in (("turtle", "ttl"), ("jsonld", "jsonld"), ("rdfxml", "rdf"),
                              ("ntriples", "nt")):  # fmt: skip
        alternates[RDF_TYPES[name][0]] = href(view.entity, suffix_name)
    editor = urls.sparql_url(view.editor_query)
    return page("browse/entity.html", alternates, page=view, svg=Markup(picture), editor=editor)


def external_page(short: str, fmt: str) -> Response | None:
    """A term of a loaded ontology (HP:0001250...), read from the full store; None if absent."""
    iri = external_iri(short)
    term = external_term(state().store, iri) if iri and fmt in (HTML, JSON) else None
    if term is None:
        return None
    if fmt == JSON:
        return as_json(term)
    return page("browse/external.html", {}, term=term)


def describe(iri: str, fmt: str) -> Response:
    """The entity's description as RDF in the chosen format."""
    media, rdf_format = RDF_TYPES[fmt]
    triples = views().graph.construct("entity-describe", entity=iri)
    prefixes = dict(PREFIXES) if rdf_format != ox.RdfFormat.N_TRIPLES else None
    body = ox.serialize(triples, format=rdf_format, prefixes=prefixes)
    response = Response(body, 200, mimetype=media)
    response.headers["Vary"] = "Accept"
    return response


def neighbourhood(view: EntityPage) -> str:
    """The SVG picture from the page's edges (one node per neighbour)."""
    nodes: dict[str, Neighbour] = {}
    for groups, outgoing in ((view.outgoing, True), (view.incoming, False)):
        for group in groups:
            for edge in group.edges:
                other = edge.object if outgoing else edge.subject
                words = edge.sentence if outgoing else f"← {edge.sentence}"
                nb = nodes.setdefault(other.iri, Neighbour(other.label, href(other), [], outgoing))
                if words not in nb.relations:
                    nb.relations.append(words)
                nb.inferred = nb.inferred and not edge.asserted
    ordered = sorted(nodes.values(), key=lambda n: (n.inferred, -len(n.relations), n.label.lower()))
    return neighbourhood_svg(view.entity.label, ordered)


def not_found(term: str, fmt: str) -> Response:
    """404: an HTML page with search suggestions, or the one JSON error shape."""
    local = term.partition(":")[2] or term
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in local).strip()
    suggestions = views().search(words[:200]).results[:5] if words else []
    if fmt == HTML:
        html = render_template("browse/not_found.html", term=term, suggestions=suggestions)
        return Response(html, 404, mimetype="text/html", headers={"Vary": "Accept"})
    hint = ", ".join(s.entity.curie for s in suggestions)
    extra = f" Did you mean: {hint}?" if hint else " Try /search?q=..."
    raise NotFound(f"there is no entity {term!r} in legkg.{extra}")


# ---------------------------------------------------------------------- relation, class
def _term_page(curie: str, kind: str) -> Response:
    """A relation or class page (``kind`` names the view method, template and field)."""
    short, suffix = split_suffix(curie)
    fmt = choose(suffix)
    iri = expand(short)
    view = getattr(views(), kind)(iri) if iri else None
    if view is None:
        return not_found(short, fmt)
    if fmt == JSON:
        return as_json(view)
    alternates = {"application/json": href(getattr(view, kind), "json")}
    template = "browse/class.html" if kind == "cls" else f"browse/{kind}.html"
    return page(template, alternates, page=view)


@bp.route("/relation/<curie>")
def relation(curie: str) -> Response:
    return _term_page(curie, "relation")


@bp.route("/class/<curie>", endpoint="cls")
def cls(curie: str) -> Response:
    return _term_page(curie, "cls")


@bp.route("/classes", defaults={"suffix": ""})
@bp.route("/classes.json", defaults={"suffix": ".json"})
def classes(suffix: str) -> Response:
    tree = views().class_tree()
    if choose(suffix.lstrip(".")) == JSON:
        return as_json({"classes": tree})
    return page("browse/classes.html", {"application/json": urls.classes_url("json")}, nodes=tree)


# ---------------------------------------------------------------------- search
@bp.route("/search", defaults={"suffix": ""})
@bp.route("/search.json", defaults={"suffix": ".json"})
def search(suffix: str) -> Response:
    raw = request.args.get("q", "")
    view = views().search(raw)
    fmt = choose(suffix.lstrip("."))
    too_long = len(raw.strip()) > 200
    if not too_long:  # terms of the loaded ontologies, after legkg's own
        view = with_external(view, views().index)
    if fmt == JSON:
        if not raw.strip() or too_long:
            raise BadRequest(view.message)
        results = [search_item(r) for r in view.results]
        return as_json({"query": view.query, "results": results})
    alternates = {"application/json": urls.search_url(view.query or None, "json")}
    response = page("browse/search.html", alternates, page=view)
    response.status_code = 400 if too_long else 200
    return response


def search_item(result: Any) -> dict[str, str]:
    ref = result.entity
    return {"curie": ref.curie, "iri": ref.iri, "label": ref.label, "type": result.type,
            "url": href(ref), "matched": result.matched}  # fmt: skip


@bp.route("/search/suggest")
def suggest() -> Response:
    raw = request.args.get("q", "")
    if len(raw.strip()) > 200:
        raise BadRequest("The query is longer than 200 characters.")
    items = [search_item(r) for r in views().suggest(raw)] if raw.strip() else []
    return as_json({"query": raw.strip(), "suggestions": items})


# ---------------------------------------------------------------------- article
@bp.route("/source", defaults={"suffix": ""})
@bp.route("/source.json", defaults={"suffix": ".json"})
def source(suffix: str) -> Response:
    view = article()
    if choose(suffix.lstrip(".")) == JSON:
        return as_json(view)
    return page("browse/source.html", {"application/json": urls.source_url(suffix="json")},
                page=view)  # fmt: skip


# ---------------------------------------------------------------------- IRIs under the base
@bp.route("/id/<name>")
@bp.route("/<name>")
def resolve(name: str) -> Response:
    """``https://w3id.org/legkg/<Id>`` redirected here: 303 to the page of that term."""
    short, suffix = split_suffix(name)
    iri = DEFAULT_BASE + short
    ref = views().ref(iri)
    if ref.kind not in ("entity", "relation", "class"):
        return not_found(f"legkg:{short}", choose(suffix))
    return redirect(href(ref, suffix or None), 303)


@bp.route("/section/<sid>")
def section(sid: str) -> Response:
    return redirect(urls.source_url("sec-" + sid), 303)
