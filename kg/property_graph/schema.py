"""What the ontology says about the property graph: labels, relationship types, property types.

Nothing here is listed by hand: classes, object properties (with their domains and ranges,
``owl:unionOf`` expanded) and datatype properties (with the Cypher type of their ``rdfs:range``)
are read from :func:`ontology.files.ontology_graph`.

Examples
--------
>>> terms = ontology_terms()
>>> "Model" in terms.classes and "BenchmarkResult" in terms.classes
True
>>> relation = terms.object_properties["supportsInputModality"]
>>> sorted(relation.domains), relation.ranges
(['Model', 'Offer'], ('Modality',))
>>> terms.datatype_properties[str(GENRE.releaseDate)].type
'DATE'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

from ontology.files import ontology_graph
from ontology.terms import GENRE

GENRE_NS = str(GENRE._NS)

CYPHER_TYPES = {
    str(XSD.string): "STRING",
    str(RDF.langString): "STRING",
    str(XSD.language): "STRING",
    str(XSD.anyURI): "STRING",
    str(XSD.normalizedString): "STRING",
    str(XSD.token): "STRING",
    str(XSD.decimal): "DOUBLE",
    str(XSD.double): "DOUBLE",
    str(XSD.float): "DOUBLE",
    str(XSD.integer): "INT64",
    str(XSD.int): "INT64",
    str(XSD.long): "INT64",
    str(XSD.nonNegativeInteger): "INT64",
    str(XSD.positiveInteger): "INT64",
    str(XSD.boolean): "BOOLEAN",
    str(XSD.date): "DATE",
    str(XSD.dateTime): "TIMESTAMP",
}
"""XSD datatype IRI -> the Cypher (Ladybug) type of a property holding it; others are STRING."""


@dataclass(frozen=True, slots=True)
class ObjectProperty:
    """An ``owl:ObjectProperty``: a relationship type between node labels."""

    name: str
    iri: str
    domains: tuple[str, ...]
    ranges: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DatatypeProperty:
    """An ``owl:DatatypeProperty``: a node property typed by its range."""

    name: str
    iri: str
    type: str
    domains: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OntologyTerms:
    """GENRE's classes and properties, keyed for the projection."""

    classes: dict[str, str]
    """Label (the class's local name) -> class IRI."""
    object_properties: dict[str, ObjectProperty]
    """Relationship type (the property's local name) -> the property."""
    datatype_properties: dict[str, DatatypeProperty]
    """Property IRI -> the property."""


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/`` (``"https://x.org/a#b"`` -> ``"b"``)."""
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]


def _class_labels(graph: Graph, node: object) -> tuple[str, ...]:
    """The GENRE class labels a domain or range names: a class, or an ``owl:unionOf`` of classes."""
    if isinstance(node, BNode):
        members: list[str] = []
        for union in graph.objects(node, OWL.unionOf):
            members.extend(str(item) for item in Collection(graph, union))
        return tuple(sorted(local_name(m) for m in members if m.startswith(GENRE_NS)))
    if isinstance(node, URIRef) and str(node).startswith(GENRE_NS):
        return (local_name(str(node)),)
    return ()


def _many(graph: Graph, subject: URIRef, predicate: URIRef) -> tuple[str, ...]:
    found: set[str] = set()
    for value in graph.objects(subject, predicate):
        found.update(_class_labels(graph, value))
    return tuple(sorted(found))


@lru_cache(maxsize=1)
def ontology_terms() -> OntologyTerms:
    """The classes, object properties and datatype properties of ``genre.ttl``."""
    return terms_from(ontology_graph())


def terms_from(graph: Graph) -> OntologyTerms:
    """:class:`OntologyTerms` read from an ontology graph."""
    classes = {
        local_name(str(c)): str(c)
        for c in graph.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef) and str(c).startswith(GENRE_NS)
    }
    objects = {}
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        if isinstance(prop, URIRef) and str(prop).startswith(GENRE_NS):
            name = local_name(str(prop))
            objects[name] = ObjectProperty(
                name, str(prop), _many(graph, prop, RDFS.domain), _many(graph, prop, RDFS.range)
            )
    datatypes = {}
    for prop in graph.subjects(RDF.type, OWL.DatatypeProperty):
        if isinstance(prop, URIRef) and str(prop).startswith(GENRE_NS):
            ranges = [str(r) for r in graph.objects(prop, RDFS.range)]
            kind = CYPHER_TYPES.get(ranges[0], "STRING") if len(ranges) == 1 else "STRING"
            datatypes[str(prop)] = DatatypeProperty(
                local_name(str(prop)), str(prop), kind, _many(graph, prop, RDFS.domain)
            )
    return OntologyTerms(dict(sorted(classes.items())), dict(sorted(objects.items())), datatypes)
