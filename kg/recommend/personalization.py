"""Personalization (scorer ``feedback``): what a user's own feedback says about each candidate.

The user's feedback subgraph is read on every request (no retraining): ``genre:Feedback`` nodes with
``genre:givenBy`` the user, ``genre:aboutModel`` a model, and a ``genre:rating`` (1–5), a
``genre:feedbackKind`` (:data:`LIKES`, :data:`DISLIKES`, :data:`CHOICES`, ties count for nothing)
and/or ``genre:preferredOver`` another model (the loser of a pairwise vote). Each event adds
like and dislike counts:

- rating ``r``: like ``(r − 1) / 4``, dislike the rest; thumbs up: like 1; down: dislike 1;
  a choice or click: like :data:`CHOICE_WEIGHT`; A preferred over B: like 1 for A, dislike 1 for B.

Counts are summed per model, per model family and per maker, and each like-rate is Beta-smoothed
(``(likes + 1) / (likes + dislikes + 2)``, so one vote moves it a little, many a lot). The user's
affinity for a model is ``0.5 + Σ_level w_level × (rate_level − 0.5)`` with :data:`LEVEL_WEIGHTS`
(model 0.6, family 0.25, maker 0.15; levels without feedback add nothing), which lies in (0, 1) and
is 0.5 when nothing is known. Personalization is the affinity divided by the largest affinity among
the candidates (at least 0.5): **exactly 1.0 for everyone without feedback**, 1.0 for the user's
favourite, less for models, families and makers they liked less or disliked.

A user is given by name (``"ana"`` → ``https://w3id.org/genre/user/ana``) or IRI.

Examples
--------
>>> affinity({"m": (3.0, 0.0)}, {}, {}, model="m", family=None, maker=None) > 0.5
True
>>> affinity({}, {}, {}, model="m", family=None, maker=None)
0.5
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from rdflib import URIRef

from kg.recommend.config import ScoringContext
from ontology.terms import BASE, individual, slug

LIKES = frozenset({"up", "thumbs-up", "thumbs_up", "like", "positive", "upvote"})
DISLIKES = frozenset({"down", "thumbs-down", "thumbs_down", "dislike", "negative", "downvote"})
CHOICES = frozenset({"chose", "choice", "chosen", "click", "clicked", "select", "selected"})
TIES = frozenset({"tie", "draw"})
CHOICE_WEIGHT = 0.5
LEVEL_WEIGHTS = {"model": 0.6, "family": 0.25, "maker": 0.15}

_FEEDBACK = """
SELECT ?user ?feedback ?model ?rating ?kind ?loser WHERE {
  ?feedback a genre:Feedback ; genre:givenBy ?user ; genre:aboutModel ?model .
  OPTIONAL { ?feedback genre:rating ?rating }
  OPTIONAL { ?feedback genre:feedbackKind ?kind }
  OPTIONAL { ?feedback genre:preferredOver ?loser }
}"""

Counts = dict[str, tuple[float, float]]


def user_iri(user: str) -> URIRef:
    """The IRI of a user given by name or IRI.

    >>> str(user_iri("Ana Lima"))
    'https://w3id.org/genre/user/ana-lima'
    """
    return URIRef(user) if user.startswith(BASE) else individual("user", slug(user))


def feedback_counts(store: object, user: str) -> Counts:
    """Model IRI -> (likes, dislikes) from the user's feedback (see the module docstring)."""
    rows = store.select(_FEEDBACK, {"user": user_iri(user)}).rows  # type: ignore[attr-defined]
    counts: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    seen: set[tuple[str, str, str]] = set()
    for feedback, model, rating, kind, loser in sorted(rows, key=lambda row: tuple(str(x) for x in row)):
        key = (str(feedback), str(model), str(loser))
        if key in seen:
            continue
        seen.add(key)
        label = str(kind).strip().lower() if kind is not None else ""
        tally = counts[str(model)]
        if rating is not None:
            like = min(1.0, max(0.0, (float(rating.toPython()) - 1.0) / 4.0))
            tally[0] += like
            tally[1] += 1.0 - like
        if label in TIES:
            continue
        if loser is not None:
            tally[0] += 1.0
            counts[str(loser)][1] += 1.0
        elif label in LIKES:
            tally[0] += 1.0
        elif label in DISLIKES:
            tally[1] += 1.0
        elif label in CHOICES:
            tally[0] += CHOICE_WEIGHT
    return {model: (likes, dislikes) for model, (likes, dislikes) in sorted(counts.items())}


def _rate(counts: Counts, key: str | None) -> float | None:
    if key is None or key not in counts:
        return None
    likes, dislikes = counts[key]
    return (likes + 1.0) / (likes + dislikes + 2.0)


def affinity(
    models: Counts, families: Counts, makers: Counts, *, model: str, family: str | None, maker: str | None
) -> float:
    """The user's affinity for one model in (0, 1); 0.5 when nothing is known."""
    value = 0.5
    for level, counts, key in (("model", models, model), ("family", families, family), ("maker", makers, maker)):
        rate = _rate(counts, key)
        if rate is not None:
            value += LEVEL_WEIGHTS[level] * (rate - 0.5)
    return value


class FeedbackPersonalization:
    """Beta-smoothed like-rates of the user for the model, its family and its maker (module docstring)."""

    part = "personalization"

    def levels(self, context: ScoringContext) -> tuple[Counts, Counts, Counts]:
        """The user's (likes, dislikes) by model, by family and by maker."""
        if not context.user:
            return {}, {}, {}
        tables = context.tables
        models = feedback_counts(context.store, context.user)
        families: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        makers: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for iri, (likes, dislikes) in models.items():
            row = tables.model_index.get(iri)
            if row is None:
                continue
            for key, target in ((tables.model_family[row], families), (tables.model_creator[row], makers)):
                if key:
                    target[key][0] += likes
                    target[key][1] += dislikes
        return (
            models,
            {k: (v[0], v[1]) for k, v in families.items()},
            {k: (v[0], v[1]) for k, v in makers.items()},
        )

    def _affinities(self, context: ScoringContext) -> np.ndarray:
        models, families, makers = self.levels(context)
        tables = context.tables
        if not models:
            return np.full(len(context.candidates.models), 0.5)
        return np.array(
            [
                affinity(
                    models,
                    families,
                    makers,
                    model=tables.model_iri[m],
                    family=tables.model_family[m],
                    maker=tables.model_creator[m],
                )
                for m in context.candidates.models
            ]
        )

    def __call__(self, context: ScoringContext) -> np.ndarray:
        values = self._affinities(context)
        top = max(0.5, float(values.max()) if len(values) else 0.5)
        return np.clip(values / top, 0.0, 1.0)

    def explain(self, context: ScoringContext, row: int) -> list[tuple[float, str]]:
        """What the user's feedback says about this model, its family and its maker."""
        models, families, makers = self.levels(context)
        tables = context.tables
        model = int(context.candidates.models[row])
        found = []
        for level, counts, key in (
            ("you", models, tables.model_iri[model]),
            ("its family", families, tables.model_family[model]),
            ("its maker", makers, tables.model_creator[model]),
        ):
            if key and key in counts:
                likes, dislikes = counts[key]
                name = tables.model_label[model] if level == "you" else tables.label(key)
                found.append(
                    (
                        0.4,
                        f"your feedback on {name}"
                        + ("" if level == "you" else f" ({level})")
                        + f": {likes:g} like(s), {dislikes:g} dislike(s)",
                    )
                )
        return found
