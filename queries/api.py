"""The Python query API: :class:`KnowledgeGraph`, typed answers over the store.

Get one with :func:`genre.open`. Every method reads; :meth:`KnowledgeGraph.add_model`
is the one write, and it validates first. Names are forgiving: a model can be given by
any alias (``"GPT-4o"``, ``"openai/gpt-4o"``, ``"gpt-4o-2024-08-06"``), a concept by its
id, IRI or any English or Chinese label.

Examples
--------
>>> import genre
>>> kg = genre.open(snapshot=FIXTURE)            # the tiny fixture graph of the tests
>>> kg.model("openai/gpt-4o-2024-08-06").label
'GPT-4o'
>>> [(m.id, m.offer.input_price) for m in kg.models(capability="vision", input_modality="image", max_input_price=2)]
[('mistral-large', 0.5), ('gemini-2.5-pro-preview-tts', 1.0), ('gemini-2.5-pro', 1.25)]
>>> kg.sparql("SELECT ?m ?label WHERE { ?m skos:prefLabel ?label }", m=kg.model_iri("Claude 3.5 Sonnet")).dicts()
[{'label': 'Claude 3.5 Sonnet (20240620)'}]
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Identifier

from genre.errors import NotFoundError, QueryError
from kg.store import SelectResult, Store
from loaders.names import model_key
from loaders.resolve import provider_id
from ontology.files import concept_ids, label_key, ontology_graph
from ontology.terms import BASE, individual, slug
from queries.named import NODE_TYPES, NamedQuery, literal_value, named_query
from queries.results import BenchmarkScore, GraphStats, ModelCard, ModelSummary, OfferInfo

if TYPE_CHECKING:
    from kg.feedback import FeedbackEvent, UserProfile

_VOCABULARY_KINDS = ("capability", "task", "domain", "modality", "benchmark")


class KnowledgeGraph:
    """GENRE's knowledge graph, read through typed methods and SPARQL.

    Parameters
    ----------
    store:
        The open :class:`~kg.store.Store`.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- SPARQL -------------------------------------------------------------------------------
    def sparql(self, text: str, **bindings: Any) -> SelectResult:
        """Run a read-only SPARQL SELECT or ASK; keyword arguments pre-bind variables.

        Common prefixes (``genre:``, ``skos:``, ``dcterms:``, ``prov:``, ``schema:``...) are
        declared for you. Strings that are http(s) IRIs bind as IRIs, other values as literals.
        """
        return self.store.select(text, {name: _term(value) for name, value in bindings.items()})

    def query(self, name: str, **params: Any) -> SelectResult:
        """Run the named query ``name`` (see ``queries/sparql``) with its declared parameters."""
        query = named_query(name)
        return self.store.select(query.text, self.bind(query, params))

    def bind(self, query: NamedQuery, params: Mapping[str, Any]) -> dict[str, Identifier]:
        """Check and convert a named query's parameters into RDF terms (defaults fill the gaps)."""
        declared = {parameter.name: parameter for parameter in query.parameters}
        unknown = sorted(set(params) - set(declared))
        if unknown:
            raise QueryError(f"query {query.name!r} has no parameter {', '.join(unknown)}", options=declared)
        bindings: dict[str, Identifier] = {}
        for name, parameter in declared.items():
            value = params.get(name, parameter.default)
            if value is None:
                raise QueryError(f"query {query.name!r} needs the parameter {name!r} ({parameter.type})")
            if parameter.type in NODE_TYPES:
                bindings[name] = self.resolve(parameter.type, value)
            else:
                bindings[name] = literal_value(parameter, value)
        return bindings

    # -- names -> IRIs --------------------------------------------------------------------------
    def resolve(self, kind: str, value: Any) -> URIRef:
        """The IRI of a ``kind`` of node (``model``, ``capability``, ``provider``...) from any of its names."""
        if kind not in NODE_TYPES:
            raise QueryError(f"unknown kind of node {kind!r}", options=NODE_TYPES)
        if isinstance(value, URIRef):
            return value
        text = str(value).strip()
        if kind == "model":
            return self.model_iri(text)
        if text.startswith(BASE):
            return URIRef(text)
        if kind == "provider":
            return individual("provider", slug(provider_id(text)))
        if kind == "family":
            return individual("family", slug(text))
        return self._concept(kind, text)

    def _concept(self, kind: str, text: str) -> URIRef:
        by_label = self._concept_labels.get(kind, {})
        found = by_label.get(label_key(text)) or by_label.get(label_key(text.replace("_", "-")))
        if found is None:
            raise NotFoundError(f"unknown {kind} {text!r}", options=concept_ids(kind))
        return found

    @cached_property
    def _concept_labels(self) -> dict[str, dict[str, URIRef]]:
        graph = ontology_graph()
        labels: dict[str, dict[str, URIRef]] = {kind: {} for kind in _VOCABULARY_KINDS}
        for kind in _VOCABULARY_KINDS:
            prefix = f"{BASE}{kind}/"
            for identifier in sorted(concept_ids(kind)):
                node = URIRef(prefix + identifier)
                labels[kind].setdefault(label_key(identifier), node)
                for predicate in (SKOS.prefLabel, SKOS.altLabel):
                    for label in graph.objects(node, predicate):
                        labels[kind].setdefault(label_key(str(label)), node)
        return labels

    def model_iri(self, name: str) -> URIRef:
        """The IRI of the model any alias names; :class:`NotFoundError` lists close matches."""
        found = self.find_model(name)
        if found is None:
            close = ", ".join(self.close_models(name)) or "none"
            raise NotFoundError(f"unknown model {name!r}; close matches: {close}")
        return found

    def find_model(self, name: str) -> URIRef | None:
        """The IRI of the model any alias names, or ``None``.

        An exact label (as some source spells it) wins; otherwise the name's normalised key
        (:func:`loaders.names.model_key`) is tried, which forgives case, hosting prefixes,
        dates and separators.
        """
        text = name.strip()
        if text.startswith(BASE) and self._is_model(URIRef(text)):
            return URIRef(text)
        keyed = individual("model", model_key(text)) if text else None
        labelled = sorted(
            row[0]
            for row in self.store.select(
                "SELECT DISTINCT ?model ?label WHERE { ?model skos:altLabel|skos:prefLabel ?label "
                "FILTER EXISTS { ?model a genre:Model } }",
                {"label": Literal(text)},
            ).rows
        )
        if labelled:
            return keyed if keyed in labelled else labelled[0]  # type: ignore[return-value]
        if keyed is not None and self._is_model(keyed):
            return keyed
        return None

    def _is_model(self, iri: URIRef) -> bool:
        try:
            rows = self.store.select("ASK { ?model a <https://w3id.org/genre/ontology#Model> }", {"model": iri}).rows
        except ValueError:  # the name makes no valid IRI ("{", "|", control characters): it names no model
            return False
        return bool(rows[0][0].toPython())  # type: ignore[union-attr]

    def close_models(self, name: str, n: int = 5) -> list[str]:
        """Ids of the models whose ids look most like ``name``."""
        ids = [str(row[0]) for row in self.store.select("SELECT DISTINCT ?id WHERE { ?m dcterms:identifier ?id }").rows]
        return difflib.get_close_matches(model_key(name) or name.lower(), ids, n=n, cutoff=0.6)

    # -- typed reads ----------------------------------------------------------------------------
    def model(self, name: str) -> ModelCard:
        """A model's card: labels, maker, dates, size, licence, modalities, capabilities, offers, results."""
        iri = self.model_iri(name)
        rows = self.query("model-card", model=iri).dicts()
        if not rows:
            raise NotFoundError(f"model {name!r} has no label in the graph")
        row = rows[0]
        aliases = self.sparql(
            "SELECT DISTINCT ?model ?alias WHERE { ?model skos:altLabel ?alias } ORDER BY ?alias", model=iri
        ).rows
        return ModelCard(
            iri=str(iri),
            id=row["id"],
            label=row["label"],
            aliases=[str(alias[0]) for alias in aliases],
            creator=row["creator"],
            family=row["family"],
            release_date=_date(row["release_date"]),
            knowledge_cutoff=_date(row["knowledge_cutoff"]),
            parameter_count=_int(row["parameter_count"]),
            open_weights=row["open_weights"],
            licence=row["licence"],
            input_modalities=sorted((row["input_modalities"] or "").split()),
            output_modalities=sorted((row["output_modalities"] or "").split()),
            capabilities=sorted((row["capabilities"] or "").split()),
            offers=self.offers(iri),
            benchmarks=self.benchmarks(iri),
        )

    def offers(self, model: str | URIRef) -> list[OfferInfo]:
        """A model's offers, cheapest input price first."""
        rows = self.query("model-offers", model=self.resolve("model", model)).dicts()
        return [
            OfferInfo(
                provider=row["provider"],
                call_id=row["call_id"],
                input_price=_float(row["input_price"]),
                output_price=_float(row["output_price"]),
                context_window=_int(row["context_window"]),
                max_output_tokens=_int(row["max_output_tokens"]),
                source=row["source"],
            )
            for row in rows
        ]

    def benchmarks(self, model: str | URIRef) -> list[BenchmarkScore]:
        """A model's benchmark results with their sources, by benchmark."""
        rows = self.query("model-benchmarks", model=self.resolve("model", model)).dicts()
        return [
            BenchmarkScore(
                benchmark=row["benchmark"].rsplit("/", 1)[-1],
                benchmark_label=row["benchmark_label"],
                value=float(row["value"]),
                metric=row["metric"],
                scale_max=_float(row["scale_max"]),
                setting=row["setting"],
                date=_date(row["date"]),
                reported_as=row["reported_as"],
                source=row["source"],
                source_url=row["source_url"],
            )
            for row in rows
        ]

    def models(
        self,
        *,
        capability: str | None = None,
        input_modality: str | None = None,
        output_modality: str | None = None,
        max_input_price: float | None = None,
        min_input_price: float | None = None,
        open_weights: bool | None = None,
        provider: str | None = None,
        search: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[ModelSummary]:
        """Models meeting every given condition, cheapest qualifying offer first.

        ``search`` keeps the models whose id, name or an alias contains it (any case); ``offset``
        skips that many models of the ordered list (pages: ``limit=20, offset=20``).

        With a price or provider condition only models with such an offer qualify; the
        summary carries that offer. Without one, models without offers are listed too.
        ``min_input_price=0.01`` leaves out offers listed at zero (free tiers and
        subscriptions such as GitHub Copilot, which have no per-token price).
        """
        if not isinstance(limit, int) or limit < 1:
            raise QueryError(f"limit must be a positive integer, got {limit!r}")
        if not isinstance(offset, int) or offset < 0:
            raise QueryError(f"offset must be a whole number, got {offset!r}")
        patterns = [
            "?model a genre:Model ; skos:prefLabel ?label .",
            "OPTIONAL { ?model dcterms:identifier ?given_id }",
            'BIND(COALESCE(?given_id, REPLACE(STR(?model), "^.*/", "")) AS ?id)',
        ]
        bindings: dict[str, Identifier] = {}
        if capability is not None:
            patterns.append("?model genre:hasCapability ?capability .")
            bindings["capability"] = self.resolve("capability", capability)
        if input_modality is not None:
            patterns.append("?model genre:supportsInputModality ?input_modality .")
            bindings["input_modality"] = self.resolve("modality", input_modality)
        if output_modality is not None:
            patterns.append("?model genre:supportsOutputModality ?output_modality .")
            bindings["output_modality"] = self.resolve("modality", output_modality)
        if search is not None and search.strip():
            patterns.append(
                "FILTER EXISTS { { ?model skos:prefLabel|skos:altLabel ?name }"
                " UNION { ?model dcterms:identifier ?name } FILTER(CONTAINS(LCASE(STR(?name)), ?search)) }"
            )
            bindings["search"] = Literal(search.strip().lower())
        if open_weights is not None:
            patterns.append("?model genre:openWeights ?open_weights .")
            bindings["open_weights"] = Literal(bool(open_weights))
        offer = ["?model genre:hasOffer ?offer .", "?offer genre:inputPricePerMillionTokens ?price ."]
        if provider is not None:
            offer.append("?offer genre:offeredBy ?provider .")
            bindings["provider"] = self.resolve("provider", provider)
        if max_input_price is not None:
            offer.append("FILTER(?price <= ?max_input_price)")
            bindings["max_input_price"] = Literal(Decimal(str(max_input_price)))
        if min_input_price is not None:
            offer.append("FILTER(?price >= ?min_input_price)")
            bindings["min_input_price"] = Literal(Decimal(str(min_input_price)))
        if provider is not None or max_input_price is not None or min_input_price is not None:
            patterns.extend(offer)
        else:
            patterns.append("OPTIONAL { " + " ".join(offer) + " }")
        text = (
            f"SELECT ?model ?id ?label {' '.join('?' + name for name in bindings)} (MIN(?price) AS ?cheapest) WHERE {{ "
            + " ".join(patterns)
            + f" }} GROUP BY ?model ?id ?label {' '.join('?' + name for name in bindings)}"
            + f" ORDER BY (!BOUND(?cheapest)) ?cheapest ?label LIMIT {int(limit)} OFFSET {int(offset)}"
        )
        summaries = []
        for row in self.sparql(text, **bindings).dicts():
            cheapest = float(row["cheapest"]) if row["cheapest"] is not None else None
            offers = (
                [o for o in self.offers(URIRef(row["model"])) if o.input_price == cheapest]
                if cheapest is not None
                else []
            )
            if provider is not None:
                offers = [o for o in offers if provider_id(o.provider) == provider_id(str(provider))] or offers
            summaries.append(
                ModelSummary(iri=row["model"], id=row["id"], label=row["label"], offer=offers[0] if offers else None)
            )
        return summaries

    def stats(self) -> GraphStats:
        """Counts of models, providers, offers, benchmarks, results, concepts and distinct triples."""
        kinds = {
            "models": "Model",
            "providers": "Provider",
            "offers": "Offer",
            "benchmarks": "Benchmark",
            "benchmark_results": "BenchmarkResult",
            "capabilities": "Capability",
            "tasks": "Task",
            "domains": "Domain",
            "modalities": "Modality",
        }
        counts = {}
        for key, cls in kinds.items():
            rows = self.sparql(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a genre:{cls} }}").rows
            counts[key] = int(rows[0][0].toPython())  # type: ignore[union-attr]
        triples = self.sparql("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }").rows
        return GraphStats(**counts, triples=int(triples[0][0].toPython()))  # type: ignore[union-attr]

    # -- writing ---------------------------------------------------------------------------------
    def feedback(self, user: str, model: str, **judgement: Any) -> FeedbackEvent:
        """Record a user's feedback on a model (see :func:`kg.feedback.record_feedback` for the judgements).

        ``kg.feedback("ana", "GPT-4o", rating=5)``, ``kg.feedback("ana", "GPT-4o", prefer="Claude 3 Opus")``;
        the next recommendation for ``ana`` uses it.
        """
        from kg.feedback import record_feedback

        return record_feedback(self, user, model, **judgement)

    def user_profile(self, user: str) -> UserProfile:
        """A user's feedback, newest first, and what it says they like (:func:`kg.feedback.user_profile`)."""
        from kg.feedback import user_profile

        return user_profile(self, user)

    def forget_user(self, user: str) -> int:
        """Delete every node and edge about a user; returns how many quads went."""
        from kg.feedback import forget_user

        return forget_user(self, user)

    def close(self) -> None:
        """Release the store (a persistent one is then free for other processes)."""
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add_model(self, path: str | Path) -> list[str]:
        """Validate a model description (Turtle or YAML) and add it; returns the new model IRIs.

        Nothing is written when validation fails (:class:`~genre.errors.ValidationError`).
        """
        from kg.additions import add_model_file

        return add_model_file(self.store, Path(path))


def _term(value: Any) -> Identifier:
    if isinstance(value, Identifier):
        return value
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return URIRef(value)
    if isinstance(value, float):
        return Literal(Decimal(str(value)))
    return Literal(value)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _date(value: Any) -> date | None:
    return value if isinstance(value, date) else None
