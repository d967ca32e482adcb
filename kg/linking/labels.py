"""Everything the linker needs to know about the graph's names, read from the store in one pass.

:func:`gather_labels` collects the ``skos:prefLabel`` and ``skos:altLabel`` of every model,
model family, provider, task, capability, domain, modality and language, the definitions of
the vocabulary concepts, and a few facts that decide between readings of a name: how
prominent each model, family and provider is (offers, models), which providers make models,
which capabilities offers declare as API features, and the domains of each task. Models,
families and providers are also named by their ids and by the last part of hosting paths
(``mistral/mistral-large-latest``). :func:`store_fingerprint` says cheaply whether the store
changed since the labels were read.

Examples
--------
>>> import genre
>>> table = gather_labels(genre.open(snapshot=FIXTURE).store)
>>> table.types["https://w3id.org/genre/task/summarization"]
'task'
>>> table.names["https://w3id.org/genre/capability/function-calling"]
'function calling'
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg.store import Store

ENTITY_TYPES = {
    "model": "Model",
    "family": "ModelFamily",
    "provider": "Provider",
    "task": "Task",
    "capability": "Capability",
    "domain": "Domain",
    "modality": "Modality",
    "language": "Language",
}
"""Entity type (as the linker names it) -> ontology class."""

CONCEPT_TYPES = ("task", "capability", "domain", "modality", "language")
"""Types of the controlled vocabularies (the others are named things: models, families, providers)."""

_LABELS = """
SELECT ?x ?cls ?pref ?label WHERE {
  VALUES ?cls { %s }
  ?x a ?cls ; ?p ?label .
  FILTER(?p IN (skos:prefLabel, skos:altLabel))
  BIND(?p = skos:prefLabel AS ?pref)
}"""
_DEFINITIONS = (
    "SELECT ?x ?definition WHERE { ?x skos:definition ?definition FILTER(LANGMATCHES(LANG(?definition), 'en')) }"
)
_PROMINENCE = """
SELECT ?x (COUNT(?y) AS ?n) WHERE {
  { ?x genre:hasOffer ?y } UNION { ?x genre:offers ?y } UNION { ?y genre:createdBy ?x } UNION { ?y genre:inFamily ?x }
} GROUP BY ?x"""
_MAKERS = "SELECT DISTINCT ?x WHERE { ?m genre:createdBy ?x }"
_FEATURES = "SELECT ?c (COUNT(?o) AS ?n) WHERE { ?o genre:supportsFeature ?c } GROUP BY ?c"
_TASK_DOMAINS = "SELECT ?task ?domain WHERE { ?task genre:taskInDomain ?domain }"
_OFFERS = "SELECT (COUNT(?o) AS ?n) WHERE { ?o a genre:Offer }"


@dataclass(frozen=True, slots=True)
class Label:
    """One name of one entity."""

    iri: str
    type: str
    text: str
    preferred: bool
    language: str | None


@dataclass(slots=True)
class LabelTable:
    """The names of the graph's entities and the facts that rank their readings."""

    labels: list[Label]
    types: dict[str, str]
    names: dict[str, str]
    definitions: dict[str, str] = field(default_factory=dict)
    prominence: dict[str, int] = field(default_factory=dict)
    makers: frozenset[str] = frozenset()
    features: frozenset[str] = frozenset()
    task_domains: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def english_labels(self, iri: str) -> list[str]:
        """The English (or untagged) labels of ``iri``, preferred label first."""
        found = [label for label in self.labels if label.iri == iri and label.language in (None, "en")]
        return [label.text for label in sorted(found, key=lambda label: not label.preferred)]


def gather_labels(store: Store) -> LabelTable:
    """Read every name the linker matches, and the facts that rank them, from ``store``."""
    classes = " ".join(f"genre:{cls}" for cls in ENTITY_TYPES.values())
    by_class = {f"https://w3id.org/genre/ontology#{cls}": kind for kind, cls in ENTITY_TYPES.items()}
    labels: list[Label] = []
    types: dict[str, str] = {}
    names: dict[str, tuple[int, str]] = {}
    for iri, cls, pref, text in store.select(_LABELS % classes).rows:
        kind = by_class[str(cls)]
        language = getattr(text, "language", None)
        preferred = bool(pref.toPython()) if pref is not None else False
        labels.append(Label(str(iri), kind, str(text), preferred, language))
        types.setdefault(str(iri), kind)
        rank = (0 if preferred else 2) + (0 if language in (None, "en") else 1)
        if str(iri) not in names or rank < names[str(iri)][0]:
            names[str(iri)] = (rank, str(text))
    for iri, kind in types.items():
        if kind not in CONCEPT_TYPES:  # a model's id is a name people type ("claude-3.5-sonnet")
            labels.append(Label(iri, kind, iri.rsplit("/", 1)[-1], False, None))
    labels.extend(
        Label(label.iri, label.type, label.text.rsplit("/", 1)[-1], False, label.language)
        for label in list(labels)
        if label.type not in CONCEPT_TYPES and "/" in label.text
    )
    labels.sort(key=lambda label: (label.iri, not label.preferred, label.text))
    offers = int(store.select(_OFFERS).rows[0][0].toPython())  # type: ignore[union-attr]
    feature_counts = {str(c): int(n.toPython()) for c, n in store.select(_FEATURES).rows}  # type: ignore[union-attr]
    task_domains: dict[str, list[str]] = defaultdict(list)
    for task, domain in store.select(_TASK_DOMAINS).rows:
        task_domains[str(task)].append(str(domain))
    return LabelTable(
        task_domains={task: tuple(sorted(domains)) for task, domains in task_domains.items()},
        labels=labels,
        types=types,
        names={iri: text for iri, (_, text) in names.items()},
        definitions={str(x): str(d) for x, d in store.select(_DEFINITIONS).rows},
        prominence={str(x): int(n.toPython()) for x, n in store.select(_PROMINENCE).rows},  # type: ignore[union-attr]
        makers=frozenset(str(row[0]) for row in store.select(_MAKERS).rows),
        # a feature nearly every offer has (text generation) constrains nothing
        features=frozenset(c for c, n in feature_counts.items() if n * 10 < max(offers, 1) * 9),
    )


def store_fingerprint(store: Store) -> str:
    """A cheap fingerprint of the store's content, which changes when the linker must rebuild.

    It combines the snapshot the store was loaded from with the size of every graph holding
    people's own additions (``genre model add``, imported logs; not the live feedback graph).
    """
    from kg.snapshot import USER_GRAPH_PREFIXES, content_fingerprint

    return content_fingerprint(store, USER_GRAPH_PREFIXES)


def labels_by_iri(table: LabelTable) -> dict[str, list[Label]]:
    """The labels of each entity."""
    grouped: dict[str, list[Label]] = defaultdict(list)
    for label in table.labels:
        grouped[label.iri].append(label)
    return grouped
