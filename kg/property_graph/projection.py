"""The store's quads projected onto a typed property graph.

How RDF becomes nodes, relationships and properties:

* **Nodes** are the IRIs typed with one of GENRE's classes (``rdf:type genre:Model``...). SKOS
  concepts are nodes of their GENRE class (``Capability``, ``Task``...). A node with several
  GENRE classes lives in the table of the first class in alphabetical order (Ladybug gives a
  node one table); all its classes are kept in the list property ``classes`` (and become
  labels in Neo4j). Every node has ``iri`` (the unique key), ``id`` (the IRI's last segment,
  the id GENRE's SPARQL queries cut with ``REPLACE(STR(?x), "^.*/", "")``), ``classes`` and
  ``graphs``: the named graphs (one per source) that state its class.
* **Relationships** are the triples of GENRE's object properties between two nodes; the type
  is the property's local name (``hasCapability``), and ``graphs`` lists the named graphs that
  state the triple. A triple stated in three graphs is one relationship.
* **Properties**: every literal of a node becomes a property named by its predicate's local
  name (``genre:releaseDate`` -> ``releaseDate``, ``skos:prefLabel`` -> ``prefLabel``,
  ``dcterms:identifier`` -> ``identifier``). Datatype properties of the ontology are typed by
  their ``rdfs:range`` and present on every class of their ``rdfs:domain`` (null where unknown);
  other predicates are typed by the datatypes in the data (STRING when mixed). IRI values of
  predicates that are not object properties (``schema:url``, ``prov:wasDerivedFrom``...) are
  kept as STRING properties holding the IRI. When two predicates share a local name on one
  label (``genre:comment`` and ``rdfs:comment``), the non-GENRE one is prefixed
  (``rdfs_comment``).
* **Several values**: ``skos:altLabel`` (all languages) becomes the sorted list ``altLabels``.
  Language-tagged literals: the plain or English value is the property (``prefLabel``); other
  languages get a suffix (``prefLabel_zh``). Any other property is single-valued: when the
  data holds several values for one node (conflicting source rows), the smallest is kept and
  the conflict counted in :attr:`ProjectionReport.conflicts`.

Examples
--------
>>> import genre
>>> graph = project(genre.open(snapshot=FIXTURE).store)
>>> graph.nodes["Model"].count > 0, "hasCapability" in graph.relationships
(True, True)
>>> sorted(c.name for c in graph.nodes["Model"].columns if c.name in ("altLabels", "prefLabel", "releaseDate"))
['altLabels', 'prefLabel', 'releaseDate']
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

import pyoxigraph as ox

from kg.property_graph.schema import CYPHER_TYPES, GENRE_NS, OntologyTerms, local_name, ontology_terms
from kg.store import PREFIXES, Store

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
LIST_PREDICATES = {f"{SKOS}altLabel": "altLabels"}
"""Predicates whose values are kept together in a list property (every alias a user may type)."""
DEFAULT_LANGUAGES = ("", "en")
"""Languages whose values fill the unsuffixed property, most preferred first."""
CORE_COLUMNS = ("iri", "id", "classes", "graphs")

_PREFIX_OF = {namespace: prefix for prefix, namespace in PREFIXES.items()}


@dataclass(frozen=True, slots=True)
class Column:
    """A property of a node label: its name, Cypher type and whether it holds a list."""

    name: str
    type: str
    is_list: bool = False

    @property
    def ddl_type(self) -> str:
        """The type as a Ladybug column type (``STRING[]`` for a list)."""
        return f"{self.type}[]" if self.is_list else self.type


@dataclass(slots=True)
class NodeTable:
    """The nodes of one label: columns and one dict of values per node (``iri`` first)."""

    label: str
    columns: list[Column]
    rows: list[dict[str, Any]]

    @property
    def count(self) -> int:
        """How many nodes have this label."""
        return len(self.rows)


@dataclass(slots=True)
class RelationshipTable:
    """The relationships of one type, grouped by (start label, end label)."""

    type: str
    pairs: list[tuple[str, str]]
    rows: dict[tuple[str, str], list[tuple[str, str, list[str]]]]
    """(start label, end label) -> (start iri, end iri, graphs) for each relationship."""

    @property
    def count(self) -> int:
        """How many relationships have this type."""
        return sum(len(rows) for rows in self.rows.values())


@dataclass(slots=True)
class ProjectionReport:
    """What the projection kept, and what it could not."""

    quads: int = 0
    seconds: float = 0.0
    conflicts: Counter[str] = field(default_factory=Counter)
    """``Label.property`` -> nodes whose several values were reduced to one."""
    skipped: Counter[str] = field(default_factory=Counter)
    """Reason -> quads left out (e.g. an object property pointing at an untyped IRI)."""


@dataclass(slots=True)
class PropertyGraph:
    """The projection: node tables by label, relationship tables by type, and a report."""

    nodes: dict[str, NodeTable]
    relationships: dict[str, RelationshipTable]
    report: ProjectionReport


def project(store: Store, *, terms: OntologyTerms | None = None) -> PropertyGraph:
    """Project every quad of ``store`` onto the property graph the ontology describes."""
    started = time.perf_counter()
    terms = terms or ontology_terms()
    label_of = {iri: label for label, iri in terms.classes.items()}
    report = ProjectionReport()

    classes: dict[str, set[str]] = defaultdict(set)
    graphs: dict[str, set[str]] = defaultdict(set)
    for subject, _, obj, graph in store.quads(predicate=RDF_TYPE):
        label = label_of.get(obj.value) if type(obj) is ox.NamedNode else None
        if label is not None and type(subject) is ox.NamedNode:
            classes[subject.value].add(label)
            graphs[subject.value].add(_graph_name(graph))
    primary = {node: min(labels) for node, labels in classes.items()}

    relations = {prop.iri: prop.name for prop in terms.object_properties.values()}
    edges: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    values: dict[str, dict[tuple[str, str], set[tuple[str, str]]]] = {}
    for subject, predicate_node, obj, graph in store.quads():
        report.quads += 1
        predicate, node = predicate_node.value, subject.value
        if predicate == RDF_TYPE or node not in primary or type(subject) is not ox.NamedNode:
            continue
        kind = type(obj)
        if predicate in relations:
            if kind is ox.NamedNode and obj.value in primary:
                edges[(relations[predicate], node, obj.value)].add(_graph_name(graph))
            else:
                report.skipped[f"{relations[predicate]} to a node without a GENRE class"] += 1
            continue
        found = values.get(node)
        if found is None:
            found = values[node] = {}
        if kind is ox.Literal:
            found.setdefault((predicate, obj.language or ""), set()).add((obj.datatype.value, obj.value))
        elif kind is ox.NamedNode:
            found.setdefault((predicate, ""), set()).add(("iri", obj.value))
        else:
            report.skipped["blank-node objects"] += 1

    nodes = _node_tables(terms, classes, primary, graphs, values, report)
    relationships = _relationship_tables(terms, primary, edges)
    report.seconds = time.perf_counter() - started
    return PropertyGraph(nodes, relationships, report)


def _graph_name(name: Any) -> str:
    return name.value if isinstance(name, ox.NamedNode) else ""


def _property_names(
    terms: OntologyTerms, label: str, predicates: set[str], languages: dict[str, set[str]]
) -> dict[tuple[str, str], str]:
    """(predicate, language) -> property name, for the predicates used on ``label``."""
    wanted = set(predicates) | {prop.iri for prop in terms.datatype_properties.values() if label in prop.domains}
    wanted.add(f"{SKOS}prefLabel")
    wanted |= set(LIST_PREDICATES)
    taken: dict[str, str] = {}
    names: dict[tuple[str, str], str] = {}
    # GENRE's own predicates first, so they keep the plain name on a collision
    for predicate in sorted(wanted, key=lambda p: (not p.startswith(GENRE_NS), p)):
        base = LIST_PREDICATES.get(predicate) or _identifier(local_name(predicate))
        if base in CORE_COLUMNS or (base in taken and taken[base] != predicate):
            base = f"{_prefix(predicate)}_{base}"
        taken[base] = predicate
        if predicate in LIST_PREDICATES:
            names[(predicate, "*")] = base
            continue
        for language in sorted(languages.get(predicate, set()) | {""}):
            names[(predicate, language)] = base if language in DEFAULT_LANGUAGES else f"{base}_{_identifier(language)}"
    return names


def _prefix(iri: str) -> str:
    for namespace, prefix in _PREFIX_OF.items():
        if iri.startswith(namespace):
            return prefix
    return "ns"


def _identifier(text: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in text)
    return cleaned if cleaned and not cleaned[0].isdigit() else f"_{cleaned}"


def _node_tables(
    terms: OntologyTerms,
    classes: dict[str, set[str]],
    primary: dict[str, str],
    graphs: dict[str, set[str]],
    values: dict[str, dict[tuple[str, str], set[tuple[str, str]]]],
    report: ProjectionReport,
) -> dict[str, NodeTable]:
    by_label: dict[str, list[str]] = {label: [] for label in terms.classes}
    for node in sorted(primary):
        by_label[primary[node]].append(node)
    declared = {prop.iri: prop.type for prop in terms.datatype_properties.values()}
    tables = {}
    for label, members in by_label.items():
        predicates: set[str] = set()
        languages: dict[str, set[str]] = defaultdict(set)
        datatypes: dict[str, set[str]] = defaultdict(set)
        for node in members:
            for (predicate, language), literals in values.get(node, {}).items():
                predicates.add(predicate)
                languages[predicate].add(language)
                datatypes[predicate].update(datatype for datatype, _ in literals)
        names = _property_names(terms, label, predicates, languages)
        columns = [Column("iri", "STRING"), Column("id", "STRING"), Column("classes", "STRING", True)]
        columns.append(Column("graphs", "STRING", True))
        kinds: dict[str, str] = {}
        for (predicate, _language), name in sorted(names.items(), key=lambda item: item[1]):
            if name not in kinds:
                kinds[name] = declared.get(predicate) or _observed_type(datatypes.get(predicate, set()))
                columns.append(Column(name, kinds[name], is_list=predicate in LIST_PREDICATES))
        rows = []
        for node in members:
            row: dict[str, Any] = {
                "iri": node,
                "id": node.rstrip("/").rsplit("/", 1)[-1],
                "classes": sorted(classes[node]),
                "graphs": sorted(graphs[node]),
            }
            chosen: dict[str, tuple[int, Any]] = {}
            for (predicate, language), literals in values.get(node, {}).items():
                if predicate in LIST_PREDICATES:
                    name = names[(predicate, "*")]
                    row.setdefault(name, set()).update(lexical for _, lexical in literals if lexical)
                    continue
                name = names[(predicate, language)]
                converted = [v for v in (_convert(kinds[name], lexical) for _, lexical in literals) if v is not None]
                if len(converted) > 1:
                    converted.sort(key=_sort_key)
                if not converted:
                    report.skipped[f"{label}.{name}: ill-typed literals"] += len(literals)
                    continue
                rank = DEFAULT_LANGUAGES.index(language) if language in DEFAULT_LANGUAGES else 0
                if len(set(converted)) > 1:
                    report.conflicts[f"{label}.{name}"] += 1
                if name not in chosen or rank < chosen[name][0]:
                    chosen[name] = (rank, converted[0])
            row.update({name: value for name, (_, value) in chosen.items()})
            for column in columns:
                if column.is_list and column.name not in CORE_COLUMNS:
                    row[column.name] = sorted(row.get(column.name, ()))
            rows.append(row)
        tables[label] = NodeTable(label, columns, rows)
    return tables


def _observed_type(found: set[str]) -> str:
    kinds = {CYPHER_TYPES.get(datatype, "STRING") for datatype in found}
    return kinds.pop() if len(kinds) == 1 else "STRING"


def _convert(kind: str, lexical: str) -> Any:
    """A Python value of Cypher type ``kind`` from a literal's lexical form (``None`` if ill-typed)."""
    try:
        if kind == "STRING":
            return lexical
        if kind == "DOUBLE":
            return float(lexical)
        if kind == "INT64":
            return int(lexical)
        if kind == "BOOLEAN":
            if lexical not in ("true", "false", "1", "0"):
                return None
            return lexical in ("true", "1")
        if kind == "DATE":
            return date.fromisoformat(lexical[:10])
        if kind == "TIMESTAMP":
            moment = datetime.fromisoformat(lexical.replace("Z", "+00:00"))
            if moment.tzinfo is not None:
                moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
            return moment
    except ValueError:
        return None
    return lexical


def _sort_key(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, value)


def _relationship_tables(
    terms: OntologyTerms, primary: dict[str, str], edges: dict[tuple[str, str, str], set[str]]
) -> dict[str, RelationshipTable]:
    grouped: dict[str, dict[tuple[str, str], list[tuple[str, str, list[str]]]]] = defaultdict(lambda: defaultdict(list))
    for (name, start, end), where in sorted(edges.items()):
        grouped[name][(primary[start], primary[end])].append(
            (start, end, sorted(where) if len(where) > 1 else [*where])
        )
    tables = {}
    for name, prop in terms.object_properties.items():
        ranges = prop.ranges or tuple(terms.classes)
        declared = {(start, end) for start in prop.domains for end in ranges}
        rows = dict(grouped.get(name, {}))
        pairs = sorted(declared | set(rows))
        tables[name] = RelationshipTable(name, pairs, rows)
    return tables
