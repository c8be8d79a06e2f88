"""IRIs of legkg: the closed vocabulary and the minting rules for everything else.

The vocabulary is a closed ``DefinedNamespace`` so a misspelt term fails at once;
``tests/test_ontology.py`` checks it lists exactly the terms of ontology/legkg.ttl.
"""

from __future__ import annotations

import hashlib

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

DEFAULT_BASE = "https://w3id.org/legkg/"

PROV = Namespace("http://www.w3.org/ns/prov#")


class LEGKG(DefinedNamespace):
    """Classes and properties of the legkg ontology."""

    _NS = Namespace(DEFAULT_BASE)
    _fail = True

    # classes
    Activity: URIRef
    AnatomicalSite: URIRef
    Article: URIRef
    ArticleSection: URIRef
    Behaviour: URIRef
    BloodVessel: URIRef
    BodyPosition: URIRef
    BodyPositionOrActivity: URIRef
    BodyRegion: URIRef
    Claim: URIRef
    ClinicalContext: URIRef
    ClinicalFinding: URIRef
    Condition: URIRef
    DiagnosticProcedure: URIRef
    Electrolyte: URIRef
    Entity: URIRef
    ImagingStudy: URIRef
    Inference: URIRef
    InflammatoryCondition: URIRef
    Instruction: URIRef
    Joint: URIRef
    Mechanism: URIRef
    Medication: URIRef
    MetabolicWaste: URIRef
    Muscle: URIRef
    MusculoskeletalCondition: URIRef
    Nerve: URIRef
    NeurologicalCondition: URIRef
    PhysiologicalFunction: URIRef
    Population: URIRef
    Procedure: URIRef
    RiskFactor: URIRef
    SelfCareMeasure: URIRef
    Sign: URIRef
    SignallingMolecule: URIRef
    SkeletalStructure: URIRef
    Substance: URIRef
    Symptom: URIRef
    SystemicCondition: URIRef
    Therapy: URIRef
    TimePattern: URIRef
    Treatment: URIRef
    VascularCondition: URIRef

    # properties
    acronym: URIRef
    affectedBy: URIRef
    affects: URIRef
    articleDescription: URIRef
    associatedWith: URIRef
    causeNumber: URIRef
    causedBy: URIRef
    causes: URIRef
    compressedBy: URIRef
    compresses: URIRef
    contextFor: URIRef
    definingFeatureOf: URIRef
    diagnosedBy: URIRef
    diagnoses: URIRef
    hasDefiningFeature: URIRef
    hasInstruction: URIRef
    hasMechanism: URIRef
    hasPart: URIRef
    hasRiskFactor: URIRef
    hasSubtype: URIRef
    hasSymptom: URIRef
    hasTimePattern: URIRef
    impairedBy: URIRef
    impairs: URIRef
    improvedBy: URIRef
    improves: URIRef
    inSection: URIRef
    instructionFor: URIRef
    inverseSentenceForm: URIRef
    involvedIn: URIRef
    involves: URIRef
    leadsTo: URIRef
    locatedIn: URIRef
    locationOf: URIRef
    mayBePresentationOf: URIRef
    mayBeWorsenedBy: URIRef
    mayPresentWith: URIRef
    mayWorsen: URIRef
    mechanismOf: URIRef
    parentSection: URIRef
    partOf: URIRef
    partOfArticle: URIRef
    premise: URIRef
    preventedBy: URIRef
    prevents: URIRef
    producesSymptom: URIRef
    quote: URIRef
    quoteStart: URIRef
    relatedTo: URIRef
    relievedBy: URIRef
    relieves: URIRef
    reservedFor: URIRef
    resultsFrom: URIRef
    riskFactorFor: URIRef
    rule: URIRef
    sectionOrder: URIRef
    sentenceForm: URIRef
    subtypeOf: URIRef
    susceptiblePopulation: URIRef
    susceptibleTo: URIRef
    symptomOf: URIRef
    symptomProducedBy: URIRef
    text: URIRef
    timePatternOf: URIRef
    treatedBy: URIRef
    treats: URIRef
    usesAxiom: URIRef
    worsenedBy: URIRef
    worsens: URIRef


ONTOLOGY = URIRef(DEFAULT_BASE + "ontology")
ARTICLE = URIRef(DEFAULT_BASE + "article/why-leg-hurts-when-lying-down")

ENTITY = Namespace(DEFAULT_BASE)
SECTION = Namespace(DEFAULT_BASE + "section/")
CLAIM = Namespace(DEFAULT_BASE + "claim/")
GRAPH = Namespace(DEFAULT_BASE + "graph/")

GRAPH_ONTOLOGY = GRAPH.ontology
GRAPH_ASSERTED = GRAPH.asserted
GRAPH_INFERRED = GRAPH.inferred
GRAPH_EXPLANATIONS = GRAPH.explanations
GRAPH_XREFS = GRAPH.xrefs

LEGKG_GRAPHS = (GRAPH_ONTOLOGY, GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_EXPLANATIONS, GRAPH_XREFS)

PREFIXES: dict[str, str] = {
    "legkg": DEFAULT_BASE,
    "legkgsec": str(SECTION),
    "legkgclaim": str(CLAIM),
    "legkggraph": str(GRAPH),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": str(PROV),
}


def entity(local_id: str) -> URIRef:
    """IRI of a curated entity from its local id, e.g. ``PeripheralArteryDisease``."""
    return ENTITY[local_id]


def section(section_id: str) -> URIRef:
    """IRI of an article section from its id, e.g. ``c4.2``."""
    return SECTION[section_id]


def claim(subject: str, predicate: str, obj: str, section_id: str, quote: str) -> URIRef:
    """Stable IRI of one evidence row: a hash of what it states and where."""
    key = "\x1f".join((subject, predicate, obj, section_id, quote)).encode("utf-8")
    return CLAIM["C" + hashlib.sha1(key).hexdigest()[:12]]
