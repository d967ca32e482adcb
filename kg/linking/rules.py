"""The rule-based linker: a spaCy pipeline whose PhraseMatcher patterns are the graph's own labels.

The pipeline is ``spacy.blank("xx")`` with two changes: its tokenizer makes a ``Doc`` of the
normalised words of :mod:`kg.linking.text` (so ``GPT-4o`` = ``gpt 4o``, and Chinese is matched
character by character: spaCy's ``zh`` tokenizer would need jieba or pkuseg for words, and
its built-in character mode gives the same units), and a ``genre_labels`` component that runs
a :class:`spacy.matcher.PhraseMatcher` over them and puts every match, overlapping or not, in
``doc.spans["genre"]`` (span label = entity type, ``kb_id_`` = IRI). Chinese is written without
spaces and phrasings vary by a particle ("录音转成文字" for the label "录音转文字"), so Chinese concept
labels of three or more characters are also matched by a token :class:`spacy.matcher.Matcher`
that allows one extra character between any two of theirs.

Names of models, families and providers that are also ordinary words ("Writer", "Step",
"Seed") need evidence that they are names: a capital letter, and for very common words a
position that is not the start of a sentence. How common a word is comes from the rank of
the word in the vocabulary of the packaged MiniLM model (roughly by frequency).

The patterns are built from :func:`kg.linking.labels.gather_labels` and cached on disk under
``$GENRE_HOME/cache/linking`` keyed by :func:`kg.linking.labels.store_fingerprint`; a changed
graph gets new patterns.
"""

from __future__ import annotations

import pickle
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.linking.labels import CONCEPT_TYPES, LabelTable
from kg.linking.text import Word, inflections, word_key, words

ANY_CASE, CAPITALISED, CAPITALISED_INSIDE = 0, 1, 2
"""How much evidence a pattern needs: none, a capital letter, a capital letter not at a sentence start."""

VERY_COMMON_RANK = 5000
"""Words ranked above this in the MiniLM vocabulary are very common English words."""

PROMINENT = 20
"""A model, family or provider with this many offers or models is well known: its name links in any case."""

CACHE_VERSION = 7
_SENTENCE_END = ".!?。！？\n:;"
_CJK_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class Pattern:
    """One label to match: its words, the entity it names and the evidence it needs."""

    key: tuple[str, ...]
    iri: str
    type: str
    strictness: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of the request that names an entity."""

    iri: str
    type: str
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def word_ranks() -> dict[str, int]:
    """Whole words of the MiniLM vocabulary -> rank (lower is more frequent)."""
    from kg.linking.semantic import model_path

    ranks: dict[str, int] = {}
    lines = (model_path() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    for rank, token in enumerate(lines):
        if token.isalpha() and token.isascii():
            ranks.setdefault(token, rank)
    return ranks


def build_patterns(table: LabelTable) -> list[Pattern]:
    """The patterns of every usable label, one entity per (type, words).

    Vocabulary concepts keep all their labels. A model, family or provider label is left out
    when it is a hosting path (``vertex_ai/...``), has no letter, or is one short word; when two
    entities of one type share a label, the one whose preferred label it is, then the more
    prominent, wins.
    """
    ranks = word_ranks()
    concept_keys = {word_key(label.text) for label in table.labels if label.type in CONCEPT_TYPES}
    chosen: dict[tuple[str, tuple[str, ...]], tuple[tuple[int, int, str], Pattern]] = {}
    for label in table.labels:
        key = word_key(label.text)
        if not key or (len(key) == 1 and len(key[0]) == 1 and label.type != "language"):
            continue
        strictness = ANY_CASE
        if label.type not in CONCEPT_TYPES:
            if "/" in label.text or not any(char.isalpha() for char in label.text):
                continue
            if (len(key) == 1 and len(key[0]) <= 2) or key[0] in ("a", "i"):
                continue
            strictness = _name_strictness(key, ranks, table.prominence.get(label.iri, 0), key in concept_keys)
        rank = (0 if label.preferred else 1, -table.prominence.get(label.iri, 0), label.iri)
        slot = (label.type, key)
        if slot not in chosen or rank < chosen[slot][0]:
            chosen[slot] = (rank, Pattern(key, label.iri, label.type, strictness))
    return sorted((pattern for _, pattern in chosen.values()), key=lambda p: (p.type, p.key))


def _name_strictness(key: tuple[str, ...], ranks: dict[str, int], prominence: int, is_concept: bool) -> int:
    if len(key) > 1 and not is_concept:
        return ANY_CASE
    rank = ranks.get(key[0]) if len(key) == 1 else None
    if is_concept or (rank is not None and rank < VERY_COMMON_RANK):
        return CAPITALISED_INSIDE
    if rank is not None and prominence < PROMINENT:
        return CAPITALISED
    return ANY_CASE


class RuleLinker:
    """A spaCy pipeline that finds the graph's labels in a text.

    Parameters
    ----------
    patterns:
        From :func:`build_patterns`.
    """

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        import spacy
        from spacy.matcher import Matcher, PhraseMatcher
        from spacy.tokens import Doc

        self.patterns = list(patterns)
        self.nlp = spacy.blank("xx")
        known = {word for pattern in self.patterns for word in pattern.key}
        self.nlp.tokenizer = _WordTokenizer(self.nlp.vocab, known)
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        grouped: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for index, pattern in enumerate(self.patterns):
            grouped[pattern.key].append(index)
        self.strictness: dict[str, int] = {}
        for pattern in self.patterns:
            self.strictness[pattern.iri] = min(pattern.strictness, self.strictness.get(pattern.iri, pattern.strictness))
        self._by_key: dict[int, list[int]] = {}
        for key, indexes in grouped.items():
            name = " ".join(key)
            self.matcher.add(name, [Doc(self.nlp.vocab, words=list(key))])
            self._by_key[self.nlp.vocab.strings[name]] = indexes
        self.gap_matcher = Matcher(self.nlp.vocab)
        for key, indexes in grouped.items():
            if _gappable(key, [self.patterns[i] for i in indexes]):
                name = "gap " + " ".join(key)
                tokens: list[dict] = []
                for char in key:
                    tokens += [{"ORTH": char}, {"OP": "?"}]
                self.gap_matcher.add(name, [tokens[:-1]])
                self._by_key[self.nlp.vocab.strings[name]] = indexes
        _register_component()
        self.nlp.add_pipe("genre_labels", config={})
        self.nlp.get_pipe("genre_labels").linker = self

    def __call__(self, text: str) -> list[Mention]:
        """Every mention in ``text``, overlapping ones included (resolve them with :func:`longest_mentions`)."""
        doc = self.nlp(text)
        return [
            Mention(
                span.kb_id_,
                span.label_,
                doc.user_data["offsets"][span.start][0],
                doc.user_data["offsets"][span.end - 1][1],
                "",
            )
            for span in doc.spans["genre"]
        ]

    def spans(self, doc) -> list[tuple[int, int, str, str]]:  # noqa: ANN001 - a spaCy Doc
        """(first word, end word, IRI, type) of every acceptable match in ``doc``."""
        text: str = doc.user_data["text"]
        offsets: list[tuple[int, int]] = doc.user_data["offsets"]
        found = []
        for match_id, start, end in [*self.matcher(doc), *self.gap_matcher(doc)]:
            surface = text[offsets[start][0] : offsets[end - 1][1]]
            initial = _sentence_initial(text, offsets[start][0])
            for index in self._by_key[match_id]:
                pattern = self.patterns[index]
                if pattern.strictness >= CAPITALISED and surface.islower():
                    continue
                if pattern.strictness == CAPITALISED_INSIDE and initial:
                    continue
                found.append((start, end, pattern.iri, pattern.type))
        return found


def _gappable(key: tuple[str, ...], patterns: list[Pattern]) -> bool:
    """Chinese concept labels of three or more characters also match with one character between any two."""
    return len(key) >= 3 and all(_CJK_WORD.fullmatch(w) for w in key) and all(p.type in CONCEPT_TYPES for p in patterns)


def _sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in _SENTENCE_END


class _WordTokenizer:
    """spaCy tokenizer making a Doc of :func:`kg.linking.text.words`, offsets in ``user_data``.

    A word that no label uses but whose base form one does ("summarizing") becomes that base form.
    """

    def __init__(self, vocab, known: set[str]) -> None:  # noqa: ANN001 - spaCy Vocab
        self.vocab = vocab
        self.known = known
        self._forms: dict[str, str] = {}

    def form(self, word: str) -> str:
        """``word`` or the first of its :func:`~kg.linking.text.inflections` that some label uses."""
        found = self._forms.get(word)
        if found is None:
            found = word
            if word not in self.known:
                found = next((base for base in inflections(word) if base in self.known), word)
            self._forms[word] = found
        return found

    def __call__(self, text: str):  # noqa: ANN204 - returns a spaCy Doc
        from spacy.tokens import Doc

        found: list[Word] = words(text)
        doc = Doc(self.vocab, words=[self.form(word.norm) for word in found])  # no words: an empty Doc
        doc.user_data["text"] = text
        doc.user_data["offsets"] = [(word.start, word.end) for word in found]
        return doc


def _register_component() -> None:
    from spacy.language import Language
    from spacy.tokens import Span

    if "genre_labels" in Language.factories:
        return

    class GenreLabels:
        """Pipeline component: the RuleLinker's matches as ``doc.spans["genre"]``."""

        linker: RuleLinker

        def __call__(self, doc):  # noqa: ANN001, ANN204 - spaCy Doc in and out
            doc.spans["genre"] = [
                Span(doc, start, end, label=kind, kb_id=iri) for start, end, iri, kind in self.linker.spans(doc)
            ]
            return doc

    Language.factory("genre_labels", func=lambda nlp, name: GenreLabels())


def longest_mentions(mentions: list[Mention], text: str, table: LabelTable) -> list[Mention]:
    """Resolve overlaps: a longer match wins over the shorter ones inside it.

    Languages and modalities are layers of their own, so "English" in "translate into English"
    and "photo" in "describe this photo" stay.

    Matches of exactly the same span all stay (the task and the capability "translation"),
    except: a model reading beats a family reading of the same name ("Mistral Small"), and a
    provider reading gives way to a model or family reading unless the provider makes models
    ("DeepSeek" names both; "Gemini" is Google's model line before it is an API platform).
    """
    kept: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start, m.type, m.iri)):
        layer = _layer(mention)
        clash = [k for k in kept if _layer(k) == layer and k.start < mention.end and mention.start < k.end]
        if all(k.start == mention.start and k.end == mention.end for k in clash):
            kept.append(mention)
    result = []
    for mention in kept:
        same = [k for k in kept if (k.start, k.end) == (mention.start, mention.end) and k is not mention]
        if _outranked(mention, same, table):
            continue
        result.append(Mention(mention.iri, mention.type, mention.start, mention.end, text[mention.start : mention.end]))
    return sorted(result, key=lambda m: (m.start, m.type, m.iri))


def _layer(mention: Mention) -> str:
    return mention.type if mention.type in ("language", "modality") else "entity"


def _outranked(mention: Mention, same: list[Mention], table: LabelTable) -> bool:
    if mention.type == "family":
        return any(other.type == "model" for other in same)
    if mention.type != "provider" or mention.iri in table.makers:
        return False
    return any(other.type in ("model", "family") for other in same)


def load_graph_data(store, cache_dir: Path | None) -> tuple[LabelTable, list[Pattern]]:  # noqa: ANN001 - Store
    """The label table and patterns of ``store``, from the disk cache when its fingerprint matches."""
    from kg.linking.labels import gather_labels, store_fingerprint

    fingerprint = store_fingerprint(store)
    path = cache_dir / f"graph-v{CACHE_VERSION}-{fingerprint}.pkl" if cache_dir is not None else None
    if path is not None and path.is_file():
        try:
            with path.open("rb") as stream:
                return pickle.load(stream)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            path.unlink(missing_ok=True)
    table = gather_labels(store)
    data = (table, build_patterns(table))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        with temporary.open("wb") as stream:
            pickle.dump(data, stream, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)
    return data
