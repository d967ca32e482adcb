"""Personalization (scorer ``feedback``): what a user's feedback, and that of people like them, says of each model.

Every ``genre:Feedback`` node in the store (``genre:givenBy`` a user, ``genre:aboutModel`` a model,
a ``genre:rating`` 1–5, a ``genre:feedbackKind`` and/or ``genre:preferredOver`` the loser of a
pairwise vote) adds like and dislike counts:

- rating ``r``: like ``(r − 1) / 4``, dislike the rest; thumbs up: like 1; down: dislike 1;
  a choice or click: like :data:`kg.feedback.events.CHOICE_WEIGHT`; A preferred over B: like 1 for A,
  dislike 1 for B; ties and comments: nothing (:func:`kg.feedback.events.likes_and_dislikes`).

**Population.** The counts of all users, per model, per model family and per maker, give the
population's like-rate of each (``(likes + 1) / (likes + dislikes + 2)``). They are read once into a
:class:`FeedbackIndex` (straight from the store's indexes: 2–7 s for 20,000 events on a busy two-core
machine), cached per store and refreshed when the number of feedback nodes changes (counted at most
every :data:`POPULATION_CHECK_SECONDS`; the refresh re-reads only the users whose feedback changed,
about 0.6 s at 20,000 events, and runs in the background while the previous index answers).
A user's own feedback is counted on every request and re-read when it changed, so it is learned at
once, with no retraining.

**The user.** At each level (model, family, maker) the user's like-rate is shrunk towards the
population's with :data:`PRIOR_STRENGTH` pseudo-votes, ``r = (likes + κ p) / (n + κ)``, and the user's
*deviation* is ``logit(r) − logit(p)``: one vote moves it a little, many votes a lot, and liking what
everyone likes says less than liking what most people do not.

**People like them.** Users are compared by their model deviations (cosine similarity) and by the
tasks their requests mention (``genre:aboutRequest``/``genre:mentions`` a ``task/`` concept, weighed by
:data:`TASK_WEIGHT`); the :data:`NEIGHBOURS` most similar users' model deviations, averaged by
similarity (with a pseudo-weight of 1 for "nobody"), are the collaborative deviation: a user who
agrees with another inherits that user's liking of models they have not judged themselves.

The deviation of a model is ``Σ LEVEL_WEIGHTS[level] × deviation[level] + COLLABORATIVE_WEIGHT ×
collaborative``; personalization is ``sigmoid(deviation)`` divided by the largest such value among the
candidates (at least 0.5): **exactly 1.0 for everyone without feedback**, 1.0 for the user's
favourite, less for what they (or people who agree with them) liked less.

:func:`pairwise_logit` combines the population with a user's deviations into the log-odds that
the user prefers one model to another (what ``genre eval preferences`` measures).

Examples
--------
>>> from kg.store import Store
>>> from kg.feedback.events import new_event
>>> from kg.feedback.quads import event_quads
>>> store = Store.open()
>>> a, b = "https://w3id.org/genre/model/a", "https://w3id.org/genre/model/b"
>>> _ = store.add_quads([q for _ in range(3) for q in event_quads(new_event("ana", a, prefer=b))])
>>> profile = feedback_index(store).profile("ana")
>>> profile.deviation(a) > 0 > profile.deviation(b)
True
>>> feedback_index(store).profile("nobody") is None
True
"""

from __future__ import annotations

import threading
import time
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from kg.feedback.events import likes_and_dislikes, user_iri
from kg.recommend.config import ScoringContext
from ontology.terms import BASE

__all__ = [
    "FeedbackIndex",
    "FeedbackPersonalization",
    "UserProfile",
    "feedback_index",
    "learned_preferences",
    "pairwise_logit",
    "user_iri",
]

LIKES = frozenset({"up", "thumbs-up", "thumbs_up", "like", "positive", "upvote"})
DISLIKES = frozenset({"down", "thumbs-down", "thumbs_down", "dislike", "negative", "downvote"})
CHOICES = frozenset({"chose", "choice", "chosen", "click", "clicked", "select", "selected"})
TIES = frozenset({"tie", "draw"})
PRIOR_STRENGTH = 4.0
"""κ: how many votes at the population's rate a user's own like-rate starts from."""
LEVEL_WEIGHTS = {"model": 1.0, "family": 0.4, "maker": 0.25}
COLLABORATIVE_WEIGHT = 0.6
NEIGHBOURS = 20
TASK_WEIGHT = 0.5
LEVELS = ("model", "family", "maker")
TASK = f"{BASE}task/"

POPULATION_CHECK_SECONDS = 10.0
"""How often (at most) a request counts all feedback to see whether the population changed; a user's
own feedback is checked on every request (a count of their feedback, well under a millisecond)."""
BACKGROUND_REBUILD = True
"""Refresh a changed population in a background thread and answer from the previous one meanwhile;
``False`` refreshes before answering."""

# Counts for change detection only: per named graph (no de-duplication across graphs), which is faster.
_COUNT = "SELECT (COUNT(?feedback) AS ?n) WHERE { GRAPH ?g { ?feedback genre:givenBy ?user } }"
_USER_COUNT = (
    "SELECT ?user (COUNT(?feedback) AS ?n) WHERE { GRAPH ?g { ?feedback genre:givenBy ?user } } GROUP BY ?user"
)
_USER_FEEDBACK = """
SELECT ?user ?feedback ?model ?rating ?kind ?loser WHERE {
  ?feedback genre:givenBy ?user ; genre:aboutModel ?model .
  OPTIONAL { ?feedback genre:rating ?rating }
  OPTIONAL { ?feedback genre:feedbackKind ?kind }
  OPTIONAL { ?feedback genre:preferredOver ?loser }
}"""
_LABEL = "SELECT ?model ?label WHERE { ?model skos:prefLabel ?label }"
_ALL_USER_COUNTS = (
    "SELECT ?user (COUNT(?feedback) AS ?n) WHERE { GRAPH ?g { ?feedback genre:givenBy ?user } } GROUP BY ?user"
)
_MODEL_FACTS = """
SELECT ?model ?family ?maker WHERE {
  OPTIONAL { ?model genre:inFamily ?family }
  OPTIONAL { ?model genre:createdBy ?maker }
}"""
_TASKS = f"""
SELECT ?user ?task (COUNT(?feedback) AS ?n) WHERE {{
  ?feedback genre:givenBy ?user ; genre:aboutRequest ?request .
  ?request genre:mentions ?task .
  FILTER(STRSTARTS(STR(?task), "{BASE}task/"))
}} GROUP BY ?user ?task"""
_G = "https://w3id.org/genre/ontology#"


def _logit(p: np.ndarray | float) -> np.ndarray | float:
    return np.log(p) - np.log1p(-p)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _times(n: float) -> str:
    n = round(n, 2)
    return {1: "once", 2: "twice"}.get(n, f"{n:g} times")  # type: ignore[call-overload]


@dataclass
class _Tally:
    """One user's feedback, as counts per model and as the judgements to put in words."""

    events: int = 0
    likes: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    dislikes: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    preferred: Counter = field(default_factory=Counter)  # (winner, loser) -> times
    ratings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    thumbs: Counter = field(default_factory=Counter)  # (model, "up"|"down") -> times
    choices: Counter = field(default_factory=Counter)
    ties: Counter = field(default_factory=Counter)


Event = tuple[str, list[str], str | None, str, str | None]
"""One feedback node: (user, models it is about, rating, kind, loser), all as plain strings."""


def _canonical_kind(kind: str, loser: str | None) -> str:
    """The kind of :data:`kg.feedback.events.KINDS` a stored ``genre:feedbackKind`` (or a synonym) means."""
    label = kind.strip().lower()
    if loser is not None:
        return "prefer"
    for kinds, canonical in ((LIKES, "up"), (DISLIKES, "down"), (CHOICES, "choice"), (TIES, "tie")):
        if label in kinds:
            return canonical
    return label


def _tallies(events: dict[str, Event]) -> dict[str, _Tally]:
    """User IRI -> tally, from feedback node -> :data:`Event` (counts from :func:`likes_and_dislikes`)."""
    tallies: dict[str, _Tally] = defaultdict(_Tally)

    def add(tally: _Tally, model: str, counts: tuple[float, float]) -> None:
        tally.likes[model] += counts[0]
        tally.dislikes[model] += counts[1]

    for node in sorted(events):
        user, models, rating, kind, loser = events[node]
        tally = tallies[user]
        tally.events += 1
        kind = _canonical_kind(kind, loser)
        if kind == "tie":
            if len(models) == 2:
                tally.ties[tuple(sorted(models))] += 1
            continue
        try:
            value = None if rating is None else float(rating)
        except ValueError:
            value = None
        for model in models:
            if value is not None:
                add(tally, model, likes_and_dislikes("rating", value))
                tally.ratings[model].append(value)
            if kind == "prefer" and loser is not None:
                add(tally, model, likes_and_dislikes("prefer"))
                add(tally, loser, likes_and_dislikes("prefer", loser=True))
                tally.preferred[(model, loser)] += 1
            elif kind in ("up", "down"):
                add(tally, model, likes_and_dislikes(kind))
                tally.thumbs[(model, kind)] += 1
            elif kind == "choice":
                add(tally, model, likes_and_dislikes(kind))
                tally.choices[model] += 1
    return tallies


def _read_all_events(store: Any) -> tuple[dict[str, Event], Counter]:
    """Every feedback node of the store, read straight from Oxigraph's indexes (fast, no rdflib terms),
    and each user's number of ``genre:givenBy`` quads (what :data:`_USER_COUNT` counts)."""
    given: dict[str, str] = {}
    quads_per_user: Counter = Counter()
    for quad in store.quads(predicate=f"{_G}givenBy"):
        given[quad.subject.value] = quad.object.value
        quads_per_user[quad.object.value] += 1
    about: dict[str, set[str]] = defaultdict(set)
    for quad in store.quads(predicate=f"{_G}aboutModel"):
        if quad.subject.value in given:
            about[quad.subject.value].add(quad.object.value)
    values: dict[str, dict[str, str]] = defaultdict(dict)
    for name in ("rating", "feedbackKind", "preferredOver"):
        for quad in store.quads(predicate=f"{_G}{name}"):
            if quad.subject.value in given:
                values[quad.subject.value][name] = quad.object.value
    events = {
        node: (
            user,
            sorted(about[node]),
            values[node].get("rating"),
            values[node].get("feedbackKind", ""),
            values[node].get("preferredOver"),
        )
        for node, user in given.items()
    }
    return events, quads_per_user


def _read_user_events(store: Any, user: str) -> dict[str, Event]:
    """One user's feedback nodes (a SPARQL query bound to the user)."""
    from rdflib import URIRef

    events: dict[str, Event] = {}
    for feedback, model, rating, kind, loser in store.select(_USER_FEEDBACK, {"user": URIRef(user)}).rows:
        node = str(feedback)
        if node in events:
            events[node][1].append(str(model))
        else:
            events[node] = (
                user,
                [str(model)],
                None if rating is None else str(rating),
                "" if kind is None else str(kind),
                None if loser is None else str(loser),
            )
    return {node: (u, sorted(set(m)), r, k, lo) for node, (u, m, r, k, lo) in events.items()}


def _user_counts(store: Any, user: str) -> int:
    from rdflib import URIRef

    rows = store.select(_USER_COUNT, {"user": URIRef(user)}).rows
    return int(rows[0][0].toPython()) if rows and rows[0][0] is not None else 0


class _Level:
    """One level (models, families or makers): every user's likes and dislikes, and the population's rates."""

    def __init__(
        self,
        rows: np.ndarray,
        keys_of: list[str | None],
        cols: np.ndarray,
        likes: np.ndarray,
        dislikes: np.ndarray,
        n_users: int,
    ) -> None:
        keys = sorted({k for k in keys_of if k is not None})
        self.keys = keys
        self.index = {key: i for i, key in enumerate(keys)}
        mapped = np.array([-1 if k is None else self.index[k] for k in keys_of], dtype=np.int64)
        target = mapped[cols] if len(cols) else np.zeros(0, dtype=np.int64)
        keep = target >= 0
        rows, target, likes, dislikes = rows[keep], target[keep], likes[keep], dislikes[keep]
        width = max(1, len(keys))
        combined, inverse = np.unique(rows * width + target, return_inverse=True)
        self.rows, self.cols = combined // width, combined % width
        self.likes = np.bincount(inverse, likes, len(combined))
        self.dislikes = np.bincount(inverse, dislikes, len(combined))
        self.pop_likes = np.bincount(self.cols, self.likes, len(keys))
        self.pop_dislikes = np.bincount(self.cols, self.dislikes, len(keys))
        self.rate = (self.pop_likes + 1.0) / (self.pop_likes + self.pop_dislikes + 2.0)
        deviation = _shrunk_deviation(self.likes, self.likes + self.dislikes, self.rate[self.cols])
        self.deviation = sparse.csr_matrix((deviation, (self.rows, self.cols)), shape=(n_users, len(keys)))
        self.deviation.eliminate_zeros()

    def population_logit(self, key: str | None) -> float:
        """logit of the population's like-rate of ``key`` (0 when nobody judged it)."""
        i = self.index.get(key) if key else None
        return 0.0 if i is None else float(_logit(self.rate[i]))

    def population_rate(self, key: str) -> float:
        """The population's like-rate of ``key`` (0.5 when nobody judged it)."""
        i = self.index.get(key)
        return 0.5 if i is None else float(self.rate[i])


def _shrunk_deviation(likes: Any, total: Any, rate: Any) -> Any:
    """``logit((likes + κ p) / (total + κ)) − logit(p)``: the user's like-rate shrunk towards ``p``, as a deviation."""
    return _logit((likes + PRIOR_STRENGTH * rate) / (total + PRIOR_STRENGTH)) - _logit(rate)


class FeedbackIndex:
    """Everyone's feedback, read once: population rates, user deviations, user similarities.

    Build with :func:`feedback_index`, which caches one per store, keeps each user's own feedback
    fresh on every request and rebuilds the rest when the number of feedback nodes changes.
    """

    def __init__(
        self,
        store: Any,
        version: int,
        *,
        tallies: dict[str, _Tally] | None = None,
        counts: Counter | None = None,
        facts: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.store = store
        self.version = version
        self.checked = time.monotonic()
        if tallies is None or counts is None:
            events, counts = _read_all_events(store)
            tallies = _tallies(events)
        self.tallies, self.counts = tallies, counts
        self.facts = facts if facts is not None else self._facts(store)
        self.users = sorted(self.tallies)
        self.user_index = {user: i for i, user in enumerate(self.users)}
        models = sorted({m for t in self.tallies.values() for m in (*t.likes, *t.dislikes)})
        rows, cols, likes, dislikes = [], [], [], []
        model_col = {m: i for i, m in enumerate(models)}
        for user, tally in self.tallies.items():
            row = self.user_index[user]
            for model in set(tally.likes) | set(tally.dislikes):
                rows.append(row)
                cols.append(model_col[model])
                likes.append(tally.likes.get(model, 0.0))
                dislikes.append(tally.dislikes.get(model, 0.0))
        arrays = (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(likes), np.array(dislikes))
        self.levels = {
            level: _Level(
                arrays[0],
                [m if level == "model" else self.facts.get(m, {}).get(level) for m in models],
                arrays[1],
                arrays[2],
                arrays[3],
                len(self.users),
            )
            for level in LEVELS
        }
        self.tasks = self._tasks(store)
        self.models_normalised = _normalised(self.levels["model"].deviation)
        self._profiles: OrderedDict[str, UserProfile | None] = OrderedDict()
        self._fresh: dict[str, tuple[int, _Tally]] = {}
        self._labels: dict[str, str] = {}
        self._lock = threading.Lock()
        self.derived: dict[Any, Any] = {}

    def refreshed(self, version: int) -> FeedbackIndex:
        """A new index for the store's feedback now, re-reading only the users whose feedback changed.

        Falls back to a full read when more than a quarter of the users (and more than 50) changed.
        """
        counts = Counter({str(user): int(n.toPython()) for user, n in self.store.select(_ALL_USER_COUNTS).rows})
        changed = sorted(u for u in set(counts) | set(self.counts) if counts.get(u, 0) != self.counts.get(u, 0))
        if len(changed) > max(50, len(self.users) // 4):
            return FeedbackIndex(self.store, version)
        tallies = dict(self.tallies)
        facts = dict(self.facts)
        for user in changed:
            tallies.pop(user, None)
            if counts.get(user, 0):
                tally = _tallies(_read_user_events(self.store, user)).get(user)
                tallies[user] = tally if tally is not None else _Tally()
                for model in set(tallies[user].likes) | set(tallies[user].dislikes):
                    if model not in facts and model not in self.levels["model"].index:
                        found = self._model_facts(model)
                        if found:
                            facts[model] = found
        return FeedbackIndex(self.store, version, tallies=tallies, counts=counts, facts=facts)

    def _model_facts(self, model: str) -> dict[str, str]:
        from rdflib import URIRef

        found: dict[str, str] = {}
        for family, maker in sorted(
            self.store.select(_MODEL_FACTS, {"model": URIRef(model)}).rows, key=lambda r: tuple(map(str, r))
        ):
            if family is not None and "family" not in found:
                found["family"] = str(family)
            if maker is not None and "maker" not in found:
                found["maker"] = str(maker)
        return found

    @staticmethod
    def _facts(store: Any) -> dict[str, dict[str, str]]:
        facts: dict[str, dict[str, str]] = defaultdict(dict)
        for name, level in (("inFamily", "family"), ("createdBy", "maker")):
            for quad in store.quads(predicate=f"{_G}{name}"):
                entry = facts[quad.subject.value]
                if level not in entry or quad.object.value < entry[level]:
                    entry[level] = quad.object.value
        return dict(facts)

    def _tasks(self, store: Any) -> sparse.csr_matrix:
        counts = {
            (self.user_index[str(user)], str(task)): float(n.toPython())
            for user, task, n in store.select(_TASKS).rows
            if str(user) in self.user_index
        }
        tasks = sorted({task for _, task in counts})
        column = {task: i for i, task in enumerate(tasks)}
        if not counts:
            return sparse.csr_matrix((len(self.users), 0))
        rows, cols, values = zip(*((r, column[t], n) for (r, t), n in counts.items()), strict=True)
        return _normalised(sparse.csr_matrix((values, (rows, cols)), shape=(len(self.users), len(tasks))))

    # -- per user ---------------------------------------------------------------------------------
    def profile(self, user: str) -> UserProfile | None:
        """What the index has learned of ``user`` (name or IRI); ``None`` when they gave no feedback.

        The user's own feedback is re-read whenever its count differs from what the index holds,
        so their latest feedback counts at once.
        """
        iri = str(user_iri(user))
        count = _user_counts(self.store, iri)
        known = self._fresh[iri][0] if iri in self._fresh else self.counts.get(iri, 0)
        with self._lock:
            if count == known and iri in self._profiles:
                self._profiles.move_to_end(iri)
                return self._profiles[iri]
        if count == 0:
            found = None
        else:
            if count != known:
                self._fresh[iri] = (count, _tallies(_read_user_events(self.store, iri)).get(iri, _Tally()))
            tally = self._fresh[iri][1] if iri in self._fresh else self.tallies[iri]
            found = self._build_profile(iri, tally)
        with self._lock:
            self._profiles[iri] = found
            while len(self._profiles) > 256:
                self._profiles.popitem(last=False)
        return found

    def _own(self, tally: _Tally) -> dict[str, dict[str, tuple[float, float, float]]]:
        own: dict[str, dict[str, tuple[float, float, float]]] = {}
        for level in LEVELS:
            counts: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
            for model in set(tally.likes) | set(tally.dislikes):
                key = model if level == "model" else self.facts.get(model, {}).get(level)
                if key:
                    counts[key][0] += tally.likes.get(model, 0.0)
                    counts[key][1] += tally.dislikes.get(model, 0.0)
            source = self.levels[level]
            own[level] = {}
            for key, (likes, dislikes) in counts.items():
                rate = source.population_rate(key)
                value = float(_shrunk_deviation(likes, likes + dislikes, rate))
                if value:
                    own[level][key] = (likes, dislikes, value)
        return own

    def _build_profile(self, iri: str, tally: _Tally) -> UserProfile:
        own = self._own(tally)
        models = self.levels["model"]
        vector = np.zeros(len(models.keys))
        for key, (_, _, value) in own["model"].items():
            if key in models.index:
                vector[models.index[key]] = value
        norm = np.linalg.norm(vector)
        similarity = self.models_normalised @ (vector / norm) if norm else np.zeros(len(self.users))
        row = self.user_index.get(iri)
        if self.tasks.shape[1] and row is not None:
            similarity = similarity + TASK_WEIGHT * np.asarray((self.tasks @ self.tasks[row].T).todense()).ravel()
        if row is not None:
            similarity[row] = 0.0
        similarity = np.clip(similarity, 0.0, None)
        order = np.argsort(-similarity, kind="stable")[:NEIGHBOURS]
        order = order[similarity[order] > 0]
        collaborative: dict[str, float] = {}
        if len(order):
            weights = similarity[order]
            values = (sparse.csr_matrix(weights) @ models.deviation[order]).toarray().ravel() / (weights.sum() + 1.0)
            collaborative = {models.keys[i]: float(values[i]) for i in np.flatnonzero(values)}
        return UserProfile(
            index=self,
            user=iri,
            own=own,
            collaborative=collaborative,
            neighbours=[(self.users[i], float(similarity[i])) for i in order],
            tally=tally,
        )

    def population_logit(self, model: str) -> float:
        """logit of the population's like-rate of a model (0 when nobody judged it)."""
        return self.levels["model"].population_logit(model)

    def table_columns(self, tables: Any) -> dict[str, np.ndarray]:
        """For each row of the recommender's model table, its column at each level (-1: no feedback)."""
        key = ("columns", tables.fingerprint, id(tables))
        if key not in self.derived:
            columns = {}
            for level, keys in (
                ("model", tables.model_iri),
                ("family", tables.model_family),
                ("maker", tables.model_creator),
            ):
                index = self.levels[level].index
                columns[level] = np.array([index.get(k, -1) if k else -1 for k in keys], dtype=np.int64)
            self.derived = {key: columns}
        return self.derived[key]

    def label(self, model: str) -> str:
        """A model's label (its id when it has none)."""
        if model not in self._labels:
            from rdflib import URIRef

            rows = self.store.select(_LABEL, {"model": URIRef(model)}).rows
            labels = sorted(str(row[0]) for row in rows)
            self._labels[model] = labels[0] if labels else model.rsplit("/", 1)[-1]
        return self._labels[model]


def _normalised(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


@dataclass
class UserProfile:
    """One user's deviations from the population, own and from people who agree with them."""

    index: FeedbackIndex
    user: str
    own: dict[str, dict[str, tuple[float, float, float]]]
    """level -> key -> (likes, dislikes, deviation)."""
    collaborative: dict[str, float]
    """model IRI -> the similar users' average deviation."""
    neighbours: list[tuple[str, float]]
    tally: _Tally
    _dense: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _pairs: dict[str, Any] = field(default_factory=dict, repr=False)

    def dense(self, level: str) -> np.ndarray:
        """Deviations at ``level`` (or ``"collaborative"``, by model) as an array over the level's keys,
        with one more 0 at the end, the value of column -1 (no feedback)."""
        if level not in self._dense:
            source = self.index.levels["model" if level == "collaborative" else level]
            values = np.zeros(len(source.keys) + 1)
            found = (
                self.collaborative.items()
                if level == "collaborative"
                else ((k, v[2]) for k, v in self.own[level].items())
            )
            for key, value in found:
                if key in source.index:
                    values[source.index[key]] = value
            self._dense[level] = values
        return self._dense[level]

    def outruns(self) -> bool:
        """True when the user judged a model, family or maker that the index has not seen yet."""
        if "outruns" not in self._dense:
            found = any(key not in self.index.levels[level].index for level in LEVELS for key in self.own[level])
            self._dense["outruns"] = np.array(found)
        return bool(self._dense["outruns"])

    def deviation(self, model: str, *, family: str | None = None, maker: str | None = None) -> float:
        """The user's deviation from the population for a model, in log-odds (module docstring).

        ``family`` and ``maker`` default to what the graph says of a model someone gave feedback on.
        """
        facts = self.index.facts.get(model, {})
        keys = {"model": model, "family": family or facts.get("family"), "maker": maker or facts.get("maker")}
        value = 0.0
        for level in LEVELS:
            found = self.own[level].get(keys[level]) if keys[level] else None
            if found is not None:
                value += LEVEL_WEIGHTS[level] * found[2]
        return value + COLLABORATIVE_WEIGHT * self.collaborative.get(model, 0.0)

    def summary(self, n: int = 5) -> dict[str, Any]:
        """What was learned, for people: liked and disliked models, families and makers, similar users."""
        result: dict[str, Any] = {}
        for level in LEVELS:
            ranked = sorted(self.own[level].items(), key=lambda item: (-item[1][2], item[0]))
            name = self.index.label if level == "model" else (lambda key: key.rsplit("/", 1)[-1])
            result[f"liked_{level}s"] = [
                {"iri": k, "label": name(k), "likes": v[0], "dislikes": v[1], "deviation": round(v[2], 3)}
                for k, v in ranked[:n]
                if v[2] > 0
            ]
            result[f"disliked_{level}s"] = [
                {"iri": k, "label": name(k), "likes": v[0], "dislikes": v[1], "deviation": round(v[2], 3)}
                for k, v in reversed(ranked[-n:])
                if v[2] < 0
            ]
        result["similar_users"] = [{"user": u, "similarity": round(s, 3)} for u, s in self.neighbours[:n]]
        inherited = sorted(self.collaborative.items(), key=lambda item: (-item[1], item[0]))
        result["liked_by_similar_users"] = [
            {"iri": k, "label": self.index.label(k), "deviation": round(v, 3)} for k, v in inherited[:n] if v > 0
        ]
        return result

    def sentences(self, model: str, label: str, *, family: str | None, maker: str | None, labels: Any) -> list[str]:
        """The evidence about one model in words."""
        tally, found = self.tally, []
        if "pairs" not in self._pairs:
            by_model: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
            for (winner, loser), times in sorted(tally.preferred.items()):
                by_model[winner].append((winner, loser, times))
                by_model[loser].append((winner, loser, times))
            self._pairs["pairs"] = by_model
        for winner, loser, times in self._pairs["pairs"].get(model, ()):
            if winner == model:
                found.append(f"you preferred {label} over {self.index.label(loser)} {_times(times)}")
            elif loser == model:
                found.append(f"you preferred {self.index.label(winner)} over {label} {_times(times)}")
        if model in tally.ratings:
            values = tally.ratings[model]
            found.append(
                f"you rated {label} {values[0]:g}/5"
                if len(values) == 1
                else f"you rated {label} {np.mean(values):.1f}/5 on average over {len(values)} ratings"
            )
        for direction in ("up", "down"):
            if tally.thumbs.get((model, direction)):
                found.append(f"you gave {label} a thumbs {direction} {_times(tally.thumbs[(model, direction)])}")
        if tally.choices.get(model):
            found.append(f"you chose {label} {_times(tally.choices[model])}")
        for level, key in (("family", family), ("maker", maker)):
            entry = self.own[level].get(key) if key else None
            if entry is not None and abs(entry[2]) > 0.05:
                verb = "liked" if entry[2] > 0 else "disliked"
                found.append(
                    f"you {verb} models {'of the' if level == 'family' else 'made by'} {labels(key)}"
                    f"{' family' if level == 'family' else ''} ({entry[0]:g} like(s), {entry[1]:g} dislike(s))"
                )
        shared = self.collaborative.get(model, 0.0)
        if abs(shared) > 0.05 and self.neighbours:
            verb = "liked" if shared > 0 else "disliked"
            found.append(
                f"people who agree with you ({len(self.neighbours)} user(s)) {verb} {label} more than most"
                if shared > 0
                else f"people who agree with you ({len(self.neighbours)} user(s)) {verb} {label}"
            )
        return found


_INDEXES: list[tuple[Any, FeedbackIndex]] = []
_INDEX_LOCK = threading.Lock()


def feedback_version(store: Any) -> int:
    """The number of feedback nodes in the store (what invalidates the cached index)."""
    rows = store.select(_COUNT).rows
    return int(rows[0][0].toPython()) if rows and rows[0][0] is not None else 0


def feedback_index(store: Any, *, fresh: bool = False) -> FeedbackIndex:
    """The :class:`FeedbackIndex` of ``store``, rebuilt when its feedback changed.

    The count of all feedback is checked at most every :data:`POPULATION_CHECK_SECONDS` (always
    with ``fresh``); each user's own feedback is checked on every :meth:`FeedbackIndex.profile`.
    """
    store = getattr(store, "store", store)
    with _INDEX_LOCK:
        cached = next((index for s, index in _INDEXES if s is store), None)
    now = time.monotonic()
    if cached is not None and not fresh and now - cached.checked < POPULATION_CHECK_SECONDS:
        return cached
    version = feedback_version(store)
    if cached is not None and cached.version == version:
        cached.checked = now
        return cached
    if cached is not None and BACKGROUND_REBUILD and not fresh:
        cached.checked = now
        with _INDEX_LOCK:
            if store not in _REBUILDING:
                _REBUILDING.append(store)
                threading.Thread(target=_rebuild_quietly, args=(store, version, cached), daemon=True).start()
        return cached
    return _rebuild(store, version, cached)


_REBUILDING: list[Any] = []


def _rebuild_quietly(store: Any, version: int, previous: FeedbackIndex) -> None:
    """:func:`_rebuild` in a background thread: a store closed meanwhile leaves the old index in place."""
    from genre.errors import GenreError

    try:
        _rebuild(store, version, previous)
    except (GenreError, AttributeError, OSError):  # the store went away (closed) while we read it
        return


def _rebuild(store: Any, version: int, previous: FeedbackIndex | None) -> FeedbackIndex:
    try:
        index = FeedbackIndex(store, version) if previous is None else previous.refreshed(version)
        with _INDEX_LOCK:
            _INDEXES[:] = [(s, i) for s, i in _INDEXES if s is not store][-3:] + [(store, index)]
        return index
    finally:
        with _INDEX_LOCK:
            if store in _REBUILDING:
                _REBUILDING.remove(store)


def learned_preferences(store: Any, user: str, n: int = 5) -> dict[str, Any]:
    """What GENRE has learned of a user, for people (``genre user show``); empty without feedback.

    >>> from kg.store import Store
    >>> learned_preferences(Store.open(), "nobody")
    {}
    """
    profile = feedback_index(store).profile(user)
    return {} if profile is None else profile.summary(n)


def pairwise_logit(index: FeedbackIndex, profile: UserProfile | None, model_a: str, model_b: str) -> float:
    """Log-odds that the user prefers ``model_a`` to ``model_b``: the population's, plus the user's deviations.

    ``logit p_a − logit p_b + deviation(a) − deviation(b)`` with ``p`` the population's like-rates.
    """
    value = index.population_logit(model_a) - index.population_logit(model_b)
    if profile is not None:
        value += profile.deviation(model_a) - profile.deviation(model_b)
    return value


class FeedbackPersonalization:
    """The user's deviations from the population, own and collaborative (module docstring)."""

    part = "personalization"

    def __init__(self) -> None:
        self._last = threading.local()

    def profile(self, context: ScoringContext) -> tuple[FeedbackIndex, UserProfile] | None:
        """The index and the user's profile for this request (looked up once per request), or ``None``."""
        last = getattr(self._last, "value", None)
        if last is not None and last[0] is context:
            return last[1]
        found = None
        if context.user:
            index = feedback_index(context.store)
            profile = index.profile(context.user)
            if profile is not None and profile.outruns():  # a first judgement of a new model: rebuild now
                index = feedback_index(context.store, fresh=True)
                profile = index.profile(context.user)
            found = None if profile is None else (index, profile)
        self._last.value = (context, found)
        return found

    def deviations(self, context: ScoringContext) -> np.ndarray | None:
        """The user's deviation for each candidate, or ``None`` without feedback."""
        found = self.profile(context)
        if found is None:
            return None
        index, profile = found
        columns = index.table_columns(context.tables)
        rows = np.asarray(context.candidates.models, dtype=np.int64)
        value = np.zeros(len(rows))
        for level in LEVELS:
            value += LEVEL_WEIGHTS[level] * profile.dense(level)[columns[level][rows]]
        return value + COLLABORATIVE_WEIGHT * profile.dense("collaborative")[columns["model"][rows]]

    def __call__(self, context: ScoringContext) -> np.ndarray:
        values = self.deviations(context)
        if values is None or not len(values):
            return np.ones(len(context.candidates.models))
        liking = _sigmoid(values)
        return np.clip(liking / max(0.5, float(liking.max())), 0.0, 1.0)

    def explain(self, context: ScoringContext, row: int) -> list[tuple[float, str]]:
        """What the user's feedback, and that of people who agree with them, says about this model."""
        found = self.profile(context)
        if found is None:
            return []
        profile = found[1]
        tables = context.tables
        model = int(context.candidates.models[row])
        sentences = profile.sentences(
            tables.model_iri[model],
            tables.model_label[model],
            family=tables.model_family[model],
            maker=tables.model_creator[model],
            labels=tables.label,
        )
        own = [sentence for sentence in sentences if sentence.startswith("you ") and " models " not in sentence]
        rest = [sentence for sentence in sentences if sentence not in own]
        evidence = [(0.45, "your feedback: " + "; ".join(own))] if own else []
        return evidence + [(0.4 if sentence.startswith("you") else 0.35, sentence) for sentence in rest]
