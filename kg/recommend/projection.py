"""A sparse projection of the graph for path algorithms, built once per graph.

Nodes: the offered models, capabilities, modalities, tasks, domains, benchmarks, providers and model
families. Undirected weighted edges (:data:`EDGE_WEIGHTS`):

- model–capability (``genre:hasCapability``, and features its offers declare),
- model–modality (input modalities of the model or its offers),
- model–provider (``genre:createdBy``; and, lighter, the providers that offer it),
- model–family (``genre:inFamily``),
- model–benchmark, one edge per benchmark with results, weighted by the result's confidence
  × (0.5 + 0.5 × its percentile): better and fresher evidence carries more of the walk,
- the vocabulary's own links: task–capability, task–domain, domain–capability,
  benchmark–capability, benchmark–task, benchmark–domain.

networkx builds the graph; the walk runs on a column-stochastic ``scipy.sparse`` CSR matrix.
:func:`personalized_pagerank` is the power iteration ``x = a·s + (1 - a)·P x``.

Examples
--------
>>> import genre
>>> from kg.recommend.tables import graph_tables
>>> projection = graph_projection(graph_tables(genre.open(snapshot=FIXTURE).store))
>>> scores = personalized_pagerank(projection, {"https://w3id.org/genre/task/code-generation": 1.0})
>>> round(float(scores.sum()), 6) <= 1.0
True
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from kg.recommend.quality import benchmark_matrix
from kg.recommend.tables import CAPABILITY, MODALITY, GraphTables

EDGE_WEIGHTS = {
    "capability": 1.0,
    "modality": 0.5,
    "creator": 1.0,
    "offered_by": 0.3,
    "family": 1.0,
    "vocabulary": 1.0,
}
RESTART = 0.25
"""Restart probability of the walk (paths of two to four steps dominate)."""
ITERATIONS = 20
"""Power iterations: the error shrinks as (1 - RESTART) ** ITERATIONS, about 0.003."""


@dataclass(frozen=True, slots=True)
class Projection:
    """The CSR transition matrix, the node order and where each offered model sits in it."""

    transition: sp.csr_matrix
    nodes: list[str]
    index: dict[str, int]
    model_nodes: np.ndarray
    model_capabilities: sp.csr_matrix
    """Offered models × capability bits (1 where the model or an offer of it has the capability)."""


def build_projection(tables: GraphTables) -> Projection:
    """Build the projection (use :func:`graph_projection`, which caches it on the tables)."""
    graph = nx.Graph()
    graph.add_nodes_from(tables.model_iri)

    def link(a: str, b: str, weight: float) -> None:
        previous = graph.get_edge_data(a, b, default={"weight": 0.0})["weight"]
        graph.add_edge(a, b, weight=max(previous, weight))

    by_bit = {bit: iri for iri, bit in tables.bits.items()}
    capability_mask = tables.model_capability_mask.copy()
    input_mask = tables.model_input_mask.copy()
    np.bitwise_or.at(capability_mask, tables.offer_model, tables.offer_feature_mask)
    np.bitwise_or.at(input_mask, tables.offer_model, tables.offer_input_mask)
    rows, cols = [], []
    capability_bits = sorted(bit for iri, bit in tables.bits.items() if iri.startswith(CAPABILITY))
    column_of = {bit: i for i, bit in enumerate(capability_bits)}
    for model, iri in enumerate(tables.model_iri):
        for bit in capability_bits:
            if int(capability_mask[model]) & bit:
                link(iri, by_bit[bit], EDGE_WEIGHTS["capability"])
                rows.append(model)
                cols.append(column_of[bit])
        for modality_iri, bit in tables.bits.items():
            if modality_iri.startswith(MODALITY) and int(input_mask[model]) & bit:
                link(iri, modality_iri, EDGE_WEIGHTS["modality"])
        if tables.model_creator[model]:
            link(iri, tables.model_creator[model], EDGE_WEIGHTS["creator"])
        if tables.model_family[model]:
            link(iri, tables.model_family[model], EDGE_WEIGHTS["family"])
    for offer, model in enumerate(tables.offer_model):
        link(tables.model_iri[model], tables.offer_provider[offer], EDGE_WEIGHTS["offered_by"])
    matrix = benchmark_matrix(tables)
    for model, benchmark in zip(*np.nonzero(matrix.confidence), strict=True):
        weight = matrix.confidence[model, benchmark] * (0.5 + 0.5 * matrix.percentile[model, benchmark])
        link(tables.model_iri[model], tables.benchmark_iri[benchmark], float(weight))
    for pairs in tables.links.values():
        for a, b in pairs:
            link(a, b, EDGE_WEIGHTS["vocabulary"])
    nodes = sorted(graph.nodes)
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight="weight", format="csr", dtype=float)
    degree = np.asarray(adjacency.sum(axis=0)).ravel()
    inverse = np.divide(1.0, degree, out=np.zeros_like(degree), where=degree > 0)
    transition = sp.csr_matrix(adjacency @ sp.diags(inverse))
    index = {node: i for i, node in enumerate(nodes)}
    capabilities = sp.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(tables.model_iri), len(capability_bits))
    )
    return Projection(
        transition=transition,
        nodes=nodes,
        index=index,
        model_nodes=np.array([index[iri] for iri in tables.model_iri], dtype=np.int64),
        model_capabilities=capabilities,
    )


def graph_projection(tables: GraphTables) -> Projection:
    """The :class:`Projection` of a graph, built once per tables."""
    return tables.cached("projection", build_projection)


def capability_columns(tables: GraphTables) -> dict[str, int]:
    """Capability IRI -> its column in :attr:`Projection.model_capabilities`."""
    bits = sorted((bit, iri) for iri, bit in tables.bits.items() if iri.startswith(CAPABILITY))
    return {iri: i for i, (_, iri) in enumerate(bits)}


def personalized_pagerank(
    projection: Projection, seeds: dict[str, float], *, restart: float = RESTART, iterations: int = ITERATIONS
) -> np.ndarray:
    """Personalized PageRank over all nodes from ``seeds`` (IRI -> weight; unknown IRIs are ignored).

    Returns zeros when no seed is a node of the projection.
    """
    start = np.zeros(len(projection.nodes))
    for iri, weight in seeds.items():
        position = projection.index.get(iri)
        if position is not None:
            start[position] += weight
    total = start.sum()
    if total <= 0:
        return start
    start /= total
    scores = start.copy()
    transition = projection.transition
    for _ in range(iterations):
        scores = restart * start + (1.0 - restart) * (transition @ scores)
    return scores
