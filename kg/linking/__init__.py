"""Request understanding: link a request and its attachments into the knowledge graph.

A request is text plus attached files. :func:`link` returns a :class:`LinkResult`: the graph
entities it mentions (models, families, providers, tasks, capabilities, domains, modalities,
languages), the input modalities it needs, its hard constraints and an estimate of its input
tokens. Three parts do the work:

- :mod:`kg.linking.rules`: a spaCy PhraseMatcher pipeline built from the graph's own labels
  (English and Chinese), cached on disk and rebuilt when the graph changes;
- :mod:`kg.linking.semantic`: all-MiniLM-L6-v2 embeddings for needs not named word for word;
- :mod:`kg.linking.attachments` and :mod:`kg.linking.constraints`: files and constraints.

Nothing heavy is imported with this package: spaCy and torch load on the first link.

Examples
--------
>>> import genre
>>> kg = genre.open(snapshot=FIXTURE)
>>> result = link("Translate this contract into French with GPT-4o, no OpenAI, under $1 per million tokens",
...               kg=kg, semantic=False)
>>> [(e.type, e.iri.rsplit("/", 1)[-1]) for e in result.entities]
[('task', 'translation'), ('domain', 'law'), ('language', 'fr'), ('model', 'gpt-4o'), ('provider', 'openai')]
>>> result.constraints.max_input_price, result.constraints.output_language
(1.0, 'https://w3id.org/genre/language/fr')
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genre.errors import LinkingError
from kg.linking.constraints import Constraints, extract_constraints, negated
from kg.linking.labels import LabelTable, store_fingerprint
from kg.linking.rules import Mention
from ontology.terms import individual

__all__ = ["Attachment", "Constraints", "LinkResult", "LinkedEntity", "Linker", "link"]

IMPLICIT = frozenset({str(individual("modality", "text"))})
"""Entities every request has (text): listed in ``modalities``, not in ``entities``."""

IMPLICIT_DOMAINS = frozenset({str(individual("domain", "general"))})
"""A task's domain is added when the text names none, unless it is this catch-all."""

TASK_DOMAIN_CONFIDENCE = 0.8

RULE_CONFIDENCE = (1.0, 0.85, 0.75)
"""Confidence of a rule match by the evidence its pattern needed (any case, capitalised, capitalised inside)."""

_GENERATE_BEFORE = re.compile(
    r"\b(?:generate|create|draw|make|produce|design|render|paint|output)\b[^.;!?]{0,25}$|(?:生成|画|做|制作|设计|输出)[^。；！？]{0,8}$",
    re.IGNORECASE,
)


def __getattr__(name: str) -> Any:
    if name == "Attachment":
        from kg.linking.attachments import Attachment

        return Attachment
    raise AttributeError(f"module 'kg.linking' has no attribute {name!r}")


@dataclass(frozen=True, slots=True)
class LinkedEntity:
    """One graph entity a request refers to.

    ``span`` (character offsets into the request) is set for rule matches, ``similarity``
    (cosine with the request) for semantic matches.
    """

    iri: str
    label: str
    type: str
    confidence: float
    span: tuple[int, int] | None = None
    similarity: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """``{"iri", "label", "type", "span" or "similarity", "confidence"}``."""
        found: dict[str, Any] = {"iri": self.iri, "label": self.label, "type": self.type}
        if self.span is not None:
            found["span"] = list(self.span)
        else:
            found["similarity"] = round(float(self.similarity or 0.0), 4)
        found["confidence"] = round(self.confidence, 4)
        return found


@dataclass(frozen=True, slots=True)
class LinkResult:
    """A request linked into the graph."""

    text: str
    entities: list[LinkedEntity]
    modalities: list[str]
    constraints: Constraints
    estimated_input_tokens: int
    attachments: list[Any] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``genre link --json``."""
        return {
            "entities": [entity.as_dict() for entity in self.entities],
            "modalities": list(self.modalities),
            "constraints": self.constraints.as_dict(),
            "estimated_input_tokens": self.estimated_input_tokens,
        }

    def iris(self, kind: str | None = None) -> list[str]:
        """IRIs of the linked entities (of one type when ``kind`` is given)."""
        return [entity.iri for entity in self.entities if kind is None or entity.type == kind]


class Linker:
    """Links requests into one graph; build once, call :meth:`link` many times.

    Parameters
    ----------
    store:
        The graph's :class:`~kg.store.Store` (``kg.store`` of a KnowledgeGraph).
    semantic:
        Also use the sentence-embedding linker (loads the MiniLM model).
    cache_dir:
        Folder for the pattern and embedding caches (default ``$GENRE_HOME/cache/linking``).
    thresholds:
        Semantic thresholds (default: the calibrated ones).
    """

    def __init__(
        self,
        store: Any,
        *,
        semantic: bool = True,
        cache_dir: Path | None = None,
        thresholds: Any = None,
    ) -> None:
        self.store = store
        self.cache_dir = cache_dir if cache_dir is not None else default_cache_dir()
        self.use_semantic = semantic
        self.thresholds = thresholds
        self._lock = threading.Lock()
        self.fingerprint = ""
        self.refresh()

    def refresh(self) -> bool:
        """Rebuild the patterns (and concept vectors) if the graph changed; True when it rebuilt."""
        from kg.linking.rules import RuleLinker, load_graph_data

        fingerprint = store_fingerprint(self.store)
        if fingerprint == self.fingerprint:
            return False
        with self._lock:
            table, patterns = load_graph_data(self.store, self.cache_dir)
            self.table: LabelTable = table
            self.rules = RuleLinker(patterns)
            self.semantic = None
            if self.use_semantic:
                from kg.linking.semantic import SemanticLinker

                self.semantic = SemanticLinker(table, cache_dir=self.cache_dir, thresholds=self.thresholds)
            self.fingerprint = fingerprint
        return True

    def link(
        self,
        text: str,
        *,
        attachments: Iterable[str | Path] = (),
        constraints: Mapping[str, Any] | None = None,
        semantic: bool | None = None,
    ) -> LinkResult:
        """Link ``text`` and ``attachments``; ``constraints`` given explicitly override those read from the text."""
        from kg.linking.attachments import inspect_file, text_tokens
        from kg.linking.rules import longest_mentions

        if not isinstance(text, str):
            raise LinkingError(f"a request must be text, got {type(text).__name__}")
        files = [inspect_file(path) for path in attachments]
        mentions = longest_mentions(self.rules(text), text, self.table)
        first: dict[str, LinkedEntity] = {}
        for mention in mentions:  # an entity named twice is listed once, at its first mention
            if mention.iri not in IMPLICIT and mention.iri not in first:
                first[mention.iri] = self._entity(mention)
        entities = list(first.values())
        entities += self._task_domains(entities)
        use_semantic = self.use_semantic if semantic is None else semantic
        if use_semantic and self.semantic is not None and text.strip():
            entities += self._semantic_entities(text, {entity.type for entity in entities})
        found = extract_constraints(text, mentions, features=self.table.features, makers=self.table.makers)
        if constraints:
            found = found.merged(dict(constraints))
        modalities = _input_modalities(text, mentions, files)
        tokens = text_tokens(text) + sum(file.tokens for file in files)
        return LinkResult(text, entities, modalities, found, tokens, files)

    def _entity(self, mention: Mention) -> LinkedEntity:
        strictness = self.rules.strictness.get(mention.iri, 0)
        return LinkedEntity(
            mention.iri,
            self.table.names.get(mention.iri, mention.text),
            mention.type,
            RULE_CONFIDENCE[strictness],
            span=(mention.start, mention.end),
        )

    def _task_domains(self, entities: list[LinkedEntity]) -> list[LinkedEntity]:
        """The domain of a named task when the graph gives it exactly one (and the text names none)."""
        if any(entity.type == "domain" for entity in entities):
            return []
        found: dict[str, LinkedEntity] = {}
        for entity in entities:
            domains = self.table.task_domains.get(entity.iri, ()) if entity.type == "task" else ()
            if len(domains) == 1 and domains[0] not in IMPLICIT_DOMAINS and domains[0] not in found:
                name = self.table.names.get(domains[0], domains[0])
                found[domains[0]] = LinkedEntity(domains[0], name, "domain", TASK_DOMAIN_CONFIDENCE, span=entity.span)
        return list(found.values())

    def _semantic_entities(self, text: str, found_types: set[str]) -> list[LinkedEntity]:
        """Concepts similar in meaning, for the types the rules found nothing of."""
        from kg.linking.text import is_chinese

        if is_chinese(text) or self.semantic is None:
            return []  # the model is English only; Chinese is covered by the Chinese labels
        return [
            LinkedEntity(iri, self.table.names.get(iri, iri), kind, min(1.0, max(0.0, score)), similarity=score)
            for iri, kind, score in self.semantic.link(text)
            if kind not in found_types
        ]


def _input_modalities(text: str, mentions: list[Mention], files: list[Any]) -> list[str]:
    found = {file.modality for file in files}
    if text.strip():
        found.add("text")
    for mention in mentions:
        if mention.type != "modality" or negated(text, mention):
            continue
        if _GENERATE_BEFORE.search(text[: mention.start]):
            continue  # "generate an image": an output, not an input
        found.add(mention.iri.rsplit("/", 1)[-1])
    return sorted(found)


def default_cache_dir() -> Path:
    """``$GENRE_HOME/cache/linking``."""
    from genre.settings import Settings

    return Settings.load().home / "cache" / "linking"


_LINKERS: dict[tuple[int, bool], Linker] = {}
_DEFAULT_GRAPH: list[Any] = []


def linker_for(kg: Any = None, *, semantic: bool = True) -> Linker:
    """The shared :class:`Linker` of a KnowledgeGraph (default: ``genre.open()``), refreshed if the graph changed."""
    if kg is None:
        if not _DEFAULT_GRAPH:
            import genre

            _DEFAULT_GRAPH.append(genre.open())
        kg = _DEFAULT_GRAPH[0]
    store = getattr(kg, "store", kg)
    key = (id(store), semantic)
    linker = _LINKERS.get(key)
    if linker is None or linker.store is not store:
        linker = _LINKERS[key] = Linker(store, semantic=semantic)
    else:
        linker.refresh()
    return linker


def link(
    text: str,
    *,
    attachments: Iterable[str | Path] = (),
    kg: Any = None,
    constraints: Mapping[str, Any] | None = None,
    semantic: bool = True,
) -> LinkResult:
    """Link a request (text and attached files) into the graph.

    Parameters
    ----------
    text:
        What the person typed (English or Chinese).
    attachments:
        Paths of attached files; their type is read from their content.
    kg:
        The KnowledgeGraph to link into (default: ``genre.open()``).
    constraints:
        Constraints given as options (``{"max_input_price": 1.0}``); they override the text's.
    semantic:
        Use the sentence-embedding linker as well as the rules.

    Raises
    ------
    LinkingError
        An attachment is unreadable or of an unsupported type, or an option is unknown.
    """
    return linker_for(kg, semantic=semantic).link(text, attachments=attachments, constraints=constraints)
