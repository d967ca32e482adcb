"""The ontology's files as rdflib graphs, read once per process.

- :func:`ontology_graph`: ``genre.ttl`` plus every controlled vocabulary in ``vocab/``.
- :func:`shapes_graph`: ``shapes.ttl``.
- :func:`concept_ids`: the ids of a vocabulary's concepts (``capability``, ``task``...).
- :func:`benchmark_index`: every label of every benchmark, for matching source names.

Examples
--------
>>> "function-calling" in concept_ids("capability")
True
>>> str(benchmark_index()["mmlu-pro"])
'https://w3id.org/genre/benchmark/mmlu-pro'
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from genre.errors import OntologyError
from ontology.terms import BASE, GENRE

FOLDER = Path(__file__).resolve().parent
ONTOLOGY_FILE = FOLDER / "genre.ttl"
SHAPES_FILE = FOLDER / "shapes.ttl"
VOCABULARY_FOLDER = FOLDER / "vocab"

_KIND_CLASS = {
    "capability": GENRE.Capability,
    "task": GENRE.Task,
    "domain": GENRE.Domain,
    "modality": GENRE.Modality,
    "language": GENRE.Language,
    "benchmark": GENRE.Benchmark,
    "preset": GENRE.ConfigurationPreset,
}


def ontology_files() -> list[Path]:
    """``genre.ttl`` and the vocabulary files, in a stable order."""
    return [ONTOLOGY_FILE, *sorted(VOCABULARY_FOLDER.glob("*.ttl"))]


def _parse(path: Path) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as error:  # noqa: BLE001 - rdflib raises many parser error types
        raise OntologyError(f"ontology file {path.name} cannot be parsed: {error}") from error
    return graph


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology and all controlled vocabularies in one graph (do not modify it)."""
    graph = Graph()
    for path in ontology_files():
        graph += _parse(path)
    return graph


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The SHACL shapes (do not modify the returned graph)."""
    return _parse(SHAPES_FILE)


@cache
def concept_ids(kind: str) -> frozenset[str]:
    """Ids of the individuals of a vocabulary kind (``capability``, ``task``, ``domain``, ``modality``...)."""
    if kind not in _KIND_CLASS:
        raise OntologyError(f"unknown vocabulary kind {kind!r}", options=_KIND_CLASS)
    prefix = f"{BASE}{kind}/"
    return frozenset(
        str(subject)[len(prefix) :]
        for subject in ontology_graph().subjects(RDF.type, _KIND_CLASS[kind])
        if str(subject).startswith(prefix)
    )


def label_key(label: str) -> str:
    """A label reduced for lookups: lower case, letters and digits only (``"MMLU-Pro"`` -> ``"mmlupro"``)."""
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "", label.lower())


@lru_cache(maxsize=1)
def benchmark_index() -> dict[str, URIRef]:
    """Benchmark label (any spelling, reduced by :func:`label_key`) and id -> benchmark IRI.

    The raw lower-case id is also a key, so ``benchmark_index()["mmlu-pro"]`` works.
    """
    graph = ontology_graph()
    index: dict[str, URIRef] = {}
    prefix = f"{BASE}benchmark/"
    for benchmark in graph.subjects(RDF.type, GENRE.Benchmark):
        if not isinstance(benchmark, URIRef):
            continue
        identifier = str(benchmark)[len(prefix) :]
        index[identifier] = benchmark
        index.setdefault(label_key(identifier), benchmark)
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(benchmark, predicate):
                index.setdefault(label_key(str(label)), benchmark)
    return index


def match_benchmark(name: str) -> URIRef | None:
    """The benchmark a source's name denotes, or ``None`` when the vocabulary lacks it.

    >>> match_benchmark("MMLU (5-shot)") == match_benchmark("mmlu")
    True
    """
    index = benchmark_index()
    key = label_key(name)
    if key in index:
        return index[key]
    without_setting = label_key(re.sub(r"\([^)]*\)", "", name))
    return index.get(without_setting)
