"""Entity resolution: join the model mentions of all sources into one model each.

Every mention contributes the keys (:func:`loaders.names.model_key`) of its id, its
display name and its aliases; mentions that share a key are the same model
(union-find over keys). The result maps every ``(source, source_id)`` to a model key,
keeps every spelling (they become ``skos:altLabel``), and reports per source how many
of its mentions met a mention from another source (the match rate printed by the build).

Provider names are joined the same way through :func:`provider_id`.

Examples
--------
>>> from loaders.records import ModelMention
>>> resolution = resolve_mentions({
...     "a": [ModelMention(source_id="gpt-4o-2024-08-06", name="GPT-4o")],
...     "b": [ModelMention(source_id="azure/gpt-4o"), ModelMention(source_id="gpt-4o-mini")],
... })
>>> sorted(resolution.models)
['gpt-4o', 'gpt-4o-mini']
>>> resolution.key_of("b", "azure/gpt-4o")
'gpt-4o'
>>> resolution.match_rate("a")
(1, 1)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from loaders.names import is_size_word, match_key, model_key, words
from loaders.records import ModelMention

# Organisation spellings that denote one provider (HF orgs, display names, catalog ids).
_PROVIDER_ALIASES = {
    "meta-llama": "meta",
    "facebook": "meta",
    "meta-ai": "meta",
    "mistralai": "mistral",
    "mistral-ai": "mistral",
    "qwen": "alibaba",
    "alibaba-cloud": "alibaba",
    "aliaba": "alibaba",
    "alibaba-qwen": "alibaba",
    "google-deepmind": "google",
    "deepmind": "google",
    "deepseek-ai": "deepseek",
    "01-ai": "01-ai",
    "01-ai-yi": "01-ai",
    "x-ai": "xai",
    "xai-org": "xai",
    "microsoft-azure": "microsoft",
    "amazon-bedrock": "bedrock",
    "aws": "amazon",
    "cohereforai": "cohere",
    "coherelabs": "cohere",
    "ai21labs": "ai21",
    "ai21-labs": "ai21",
    "nvidia-nim": "nvidia_nim",
    "moonshot": "moonshotai",
    "moonshot-ai": "moonshotai",
    "zhipu": "zhipuai",
    "zhipu-ai": "zhipuai",
    "thudm": "zhipuai",
    "z-ai": "zhipuai",
    "tiiuae": "tii",
    "allenai": "ai2",
    "allen-ai": "ai2",
}


def provider_id(name: str) -> str:
    """A provider's canonical id from any spelling (``Meta`` and ``meta-llama`` -> ``meta``).

    >>> provider_id("Mistral AI"), provider_id("meta-llama"), provider_id("fireworks_ai")
    ('mistral', 'meta', 'fireworks_ai')
    """
    text = name.strip().lower().replace(" ", "-").replace(".", "-")
    return _PROVIDER_ALIASES.get(text, text)


@dataclass(slots=True)
class ResolvedModel:
    """One model and every mention of it, across sources."""

    key: str
    mentions: list[tuple[str, ModelMention]] = field(default_factory=list)

    @property
    def sources(self) -> set[str]:
        """Names of the sources that mention this model."""
        return {source for source, _ in self.mentions}

    def names(self) -> list[str]:
        """Every spelling that identifies the model across sources, in order of first appearance."""
        seen: dict[str, None] = {}
        for _, mention in self.mentions:
            for name in mention_names(mention):
                seen.setdefault(name.strip(), None)
        return list(seen)


@dataclass(slots=True)
class Resolution:
    """The models found, and which model each ``(source, source_id)`` denotes."""

    models: dict[str, ResolvedModel]
    by_mention: dict[tuple[str, str], str]

    def key_of(self, source: str, source_id: str) -> str | None:
        """The model key of a source's model id, or ``None`` if the source never mentioned it."""
        return self.by_mention.get((source, source_id))

    def match_rate(self, source: str) -> tuple[int, int]:
        """``(matched, total)``: how many of a source's models another source also mentions."""
        keys = {key for (name, _), key in self.by_mention.items() if name == source}
        matched = sum(1 for key in keys if len(self.models[key].sources) > 1)
        return matched, len(keys)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            # the shorter key names the cluster: it is the least decorated spelling
            keep, drop = sorted((root_a, root_b), key=lambda key: (len(key), key))
            self.parent[drop] = keep


VARIANT_WORDS = frozenset(
    {"instruct", "base", "vision", "vl", "coder", "code", "thinking", "reasoning", "mini", "nano", "lite",
     "flash", "pro", "max", "plus", "preview", "exp", "math", "distill", "guard", "audio", "embed"}
)  # fmt: skip
"""Words that name a different model of a family (a fine-tune, a tier, a modality)."""


def mention_names(mention: ModelMention) -> list[str]:
    """The names of a mention that identify its model: the id, and the names and aliases that are as specific.

    Display names are often looser than ids ("Mistral 7B" for ``Mistral-7B-Instruct-v0.2``,
    "Llama 3.1 8B" for an instruct model), so a name counts only when it keeps every word
    of the id ("Claude Sonnet 3.5 v2" for ``claude-3-5-sonnet-20241022``). When the name
    adds a variant word (``instruct``, ``vision``...) the id was the loose one
    (``vercel/meta/llama-3.1-8b`` named "Llama 3.1 8B Instruct"): the name wins and the id
    is dropped.
    """
    required = words(match_key(mention.source_id))
    names = [mention.source_id]
    for name in (mention.name, *mention.aliases):
        if not name or name in names:
            continue
        found = words(match_key(name))
        if found and required <= found:
            if found - required & VARIANT_WORDS and names[0] == mention.source_id:
                names[0] = name
            else:
                names.append(name)
    return names


def mention_keys(mention: ModelMention) -> list[str]:
    """The match keys of :func:`mention_names`, in order, without repeats."""
    keys = dict.fromkeys(match_key(name) for name in mention_names(mention))
    return [key for key in keys if key]


BASE_MODEL_SOURCES = frozenset({"open_llm_v1", "open_llm_v2"})
"""Sources that list base (pre-trained, not instruction-tuned) checkpoints under their own names."""


def resolve_mentions(mentions_by_source: Mapping[str, Iterable[ModelMention]]) -> Resolution:
    """Cluster the mentions of all sources into models, in two tiers.

    1. Exact: mentions sharing a match key (of their id, name or an alias) are one model.
    2. Shorthand: a model named without ``instruct`` and perhaps without its size
       (``llama-4-maverick``, ``phi-4-mini``, ``ministral-8b-2410``), that no source lists
       as a base checkpoint, joins the one model whose name only adds ``instruct`` and size
       words (``17b``, ``128e``). When more than one model could be meant, it stays alone.

    Parameters
    ----------
    mentions_by_source:
        Source name -> the model mentions it produced.
    """
    union = _UnionFind()
    keyed: list[tuple[str, ModelMention, list[str]]] = []
    for source, mentions in mentions_by_source.items():
        for mention in mentions:
            keys = mention_keys(mention) or [mention.source_id.lower()]
            for key in keys[1:]:
                union.union(keys[0], key)
            union.find(keys[0])
            keyed.append((source, mention, keys))
    _join_shorthands(union, keyed)
    models: dict[str, ResolvedModel] = {}
    by_mention: dict[tuple[str, str], str] = {}
    display_keys: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for source, mention, keys in keyed:
        root = union.find(keys[0])
        display_keys[root][model_key(mention.source_id) or mention.source_id.lower()] += 1
        models.setdefault(root, ResolvedModel(key=root)).mentions.append((source, mention))
    # a model's key is its most common ordered spelling (shortest on ties), not the sorted match key
    names = {root: min(counts, key=lambda key: (-counts[key], len(key), key)) for root, counts in display_keys.items()}
    renamed: dict[str, ResolvedModel] = {}
    for root, model in models.items():
        key = names[root]
        while key in renamed:  # two clusters whose commonest spellings collide
            key += "-x"
        model.key = key
        renamed[key] = model
    for source, mention, keys in keyed:
        by_mention[(source, mention.source_id)] = models[union.find(keys[0])].key
    return Resolution(models=renamed, by_mention=by_mention)


def _join_shorthands(union: _UnionFind, keyed: list[tuple[str, ModelMention, list[str]]]) -> None:
    """Tier 2 of :func:`resolve_mentions`: join shorthand names to the one model they abbreviate."""
    base_roots = {union.find(keys[0]) for source, _, keys in keyed if source in BASE_MODEL_SOURCES}
    # base and instruct checkpoints are an open-weights notion (gpt-3.5-turbo-instruct is another product)
    open_roots = {
        union.find(keys[0]) for source, mention, keys in keyed if mention.open_weights or source in BASE_MODEL_SOURCES
    }
    all_keys = {key for _, _, keys in keyed for key in keys}
    by_word: dict[str, set[str]] = defaultdict(set)
    for key in all_keys:
        for word in words(key):
            by_word[word].add(key)
    for key in sorted(all_keys, key=lambda key: (len(words(key)), key)):
        key_words = words(key)
        root = union.find(key)
        if not key_words or "instruct" in key_words or root in base_roots:
            continue  # a base checkpoint, or already an instruct model: nothing to abbreviate
        rarest = min(key_words, key=lambda word: len(by_word[word]))
        targets = set()
        for other in by_word[rarest]:
            extra = words(other) - key_words
            if (
                key_words < words(other)
                and "instruct" in extra
                and all(is_size_word(word) or word == "instruct" for word in extra)
                and union.find(other) in open_roots
            ):
                targets.add(union.find(other))
        targets.discard(root)
        if len(targets) == 1:
            union.union(root, targets.pop())
            open_roots.add(union.find(root))


def same_model(name_a: str, name_b: str) -> bool:
    """Whether two names, with nothing else known, denote the same model.

    >>> same_model("openai/gpt-4o", "GPT-4o (2024-05-13)")
    True
    """
    return match_key(name_a) == match_key(name_b)
