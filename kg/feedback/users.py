"""Writing feedback, reading what a user taught GENRE, and forgetting a user.

- :func:`record_feedback` resolves the model names, checks the event (:func:`~kg.feedback.events.new_event`),
  links the request text into the graph (rules only: fast and deterministic) and writes every quad in
  one transaction. Personalization reads the feedback graph live, so the next recommendation uses it.
- :func:`user_profile` lists a user's feedback and their like/dislike tallies per model, family and maker.
- :func:`forget_user` deletes every node and edge about a user, in every graph, in one transaction.

Examples
--------
>>> import genre
>>> kg = genre.open(snapshot=FIXTURE)
>>> event = record_feedback(kg, "ana", "GPT-4o", rating=5, request="summarise a contract", link=False)
>>> profile = user_profile(kg, "ana")
>>> [(f["kind"], f["model"]) for f in profile.feedback], profile.preferences[0]["label"]
([('rating', 'GPT-4o')], 'GPT-4o')
>>> forget_user(kg, "ana") > 0, user_profile(kg, "ana").feedback
(True, [])
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from kg.feedback.events import FeedbackEvent, likes_and_dislikes, new_event, user_id, user_iri
from kg.feedback.quads import FEEDBACK_GRAPH, event_quads


def record_feedback(
    kg: Any,
    user: str,
    model: str,
    *,
    rating: int | None = None,
    up: bool = False,
    down: bool = False,
    prefer: str | None = None,
    tie: str | None = None,
    chose: bool = False,
    request: str | None = None,
    comment: str | None = None,
    link: bool = True,
    graph: URIRef = FEEDBACK_GRAPH,
) -> FeedbackEvent:
    """Record one piece of feedback in ``kg`` and return the event written.

    Models are given by any alias or IRI. Raises :class:`~genre.errors.NotFoundError` (with close
    matches) for an unknown model and :class:`~genre.errors.ValidationError` for a malformed event;
    nothing is written then. An unknown user is created.
    """
    model_iri = kg.model_iri(model)
    other = {name: kg.model_iri(value) for name, value in (("prefer", prefer), ("tie", tie)) if value is not None}
    event = new_event(
        user,
        str(model_iri),
        rating=rating,
        up=up,
        down=down,
        prefer=str(other["prefer"]) if "prefer" in other else None,
        tie=str(other["tie"]) if "tie" in other else None,
        chose=chose,
        request=request,
        comment=comment,
    )
    mentions: list[str] = []
    if event.request and link:
        from kg.linking import linker_for

        mentions = linker_for(kg, semantic=False).link(event.request).iris()
    kg.store.add_quads(event_quads(event, graph, mentions=mentions))
    return event


@dataclass(frozen=True, slots=True)
class UserProfile:
    """What GENRE knows of one user: their feedback, newest first, and tallies of what they like.

    ``preferences`` holds one dict per model, family or maker the feedback touches:
    ``{"level", "iri", "label", "likes", "dislikes", "like_rate"}``, most liked first; the
    like-rate is Beta-smoothed (``(likes + 1) / (likes + dislikes + 2)``).
    """

    user: str
    iri: str
    feedback: list[dict[str, Any]] = field(default_factory=list)
    preferences: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready fields."""
        return {"user": self.user, "iri": self.iri, "feedback": self.feedback, "preferences": self.preferences}


_FEEDBACK = """
SELECT ?user ?feedback ?kind ?time ?model ?modelLabel ?rating ?loser ?loserLabel ?text ?comment WHERE {
  ?feedback genre:givenBy ?user ; genre:feedbackKind ?kind ; genre:createdAt ?time .
  OPTIONAL { ?feedback genre:aboutModel ?model OPTIONAL { ?model skos:prefLabel ?modelLabel } }
  OPTIONAL { ?feedback genre:rating ?rating }
  OPTIONAL { ?feedback genre:preferredOver ?loser OPTIONAL { ?loser skos:prefLabel ?loserLabel } }
  OPTIONAL { ?feedback genre:aboutRequest/genre:requestText ?text }
  OPTIONAL { ?feedback genre:comment ?comment }
}"""

_GROUPS = """
SELECT ?model ?family ?maker WHERE {
  VALUES ?model { %s }
  OPTIONAL { ?model genre:inFamily ?family }
  OPTIONAL { ?model genre:createdBy ?maker }
}"""


def user_profile(kg: Any, user: str) -> UserProfile:
    """The user's feedback (newest first) and like/dislike tallies per model, family and maker."""
    iri = user_iri(user)
    events: dict[str, dict[str, Any]] = {}
    for row in kg.store.select(_FEEDBACK, {"user": iri}).dicts():
        entry = events.setdefault(
            row["feedback"],
            {
                "id": str(row["feedback"]).rsplit("/", 1)[-1],
                "time": str(row["time"]),
                "kind": row["kind"],
                "models": {},
                "rating": row["rating"],
                "over": None,
                "over_iri": None,
                "request": row["text"],
                "comment": row["comment"],
            },
        )
        if row["model"]:
            entry["models"][row["model"]] = row["modelLabel"] or _tail(row["model"])
        if row["loser"]:
            entry["over"] = row["loserLabel"] or _tail(row["loser"])
            entry["over_iri"] = row["loser"]
    feedback = []
    for entry in sorted(events.values(), key=lambda item: (item["time"], item["id"]), reverse=True):
        models = entry.pop("models")
        if entry["over_iri"]:
            models[entry["over_iri"]] = entry["over"]
        labels = [label for model, label in sorted(models.items()) if model != entry["over_iri"]]
        feedback.append({**entry, "model": " = ".join(labels), "model_iris": sorted(models)})
    counts: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for entry in feedback:
        for model in entry["model_iris"]:
            likes, dislikes = likes_and_dislikes(entry["kind"], entry["rating"], loser=model == entry["over_iri"])
            counts[model][0] += likes
            counts[model][1] += dislikes
        del entry["model_iris"], entry["over_iri"]
    tallies = {model: (likes, dislikes) for model, (likes, dislikes) in counts.items() if likes or dislikes}
    return UserProfile(user_id(user), str(iri), feedback, _preferences(kg, tallies))


def _preferences(kg: Any, counts: dict[str, tuple[float, float]]) -> list[dict[str, Any]]:
    if not counts:
        return []
    values = " ".join(f"<{model}>" for model in counts)
    tallies: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for model, (likes, dislikes) in counts.items():
        tallies[("model", model)] = [likes, dislikes]
    for row in kg.store.select(_GROUPS % values).dicts():
        likes, dislikes = counts[row["model"]]
        for level in ("family", "maker"):
            if row[level]:
                tallies[(level, row[level])][0] += likes
                tallies[(level, row[level])][1] += dislikes
    labels = _labels(kg, [iri for _, iri in tallies])
    rows = [
        {
            "level": level,
            "iri": iri,
            "label": labels.get(iri, _tail(iri)),
            "likes": likes,
            "dislikes": dislikes,
            "like_rate": round((likes + 1.0) / (likes + dislikes + 2.0), 3),
        }
        for (level, iri), (likes, dislikes) in tallies.items()
    ]
    order = {"model": 0, "family": 1, "maker": 2}
    return sorted(rows, key=lambda row: (order[row["level"]], -row["like_rate"], row["label"]))


def _labels(kg: Any, iris: list[str]) -> dict[str, str]:
    values = " ".join(f"<{iri}>" for iri in set(iris))
    query = f"SELECT ?s ?label WHERE {{ VALUES ?s {{ {values} }} ?s skos:prefLabel|rdfs:label ?label }}"
    return {row["s"]: row["label"] for row in kg.store.select(query).dicts()}


def _tail(iri: str) -> str:
    return str(iri).rsplit("/", 1)[-1]


_ABOUT_USER = """
SELECT DISTINCT ?user ?node WHERE {
  { ?node genre:givenBy ?user }
  UNION { ?node genre:requestedBy ?user }
  UNION { ?feedback genre:givenBy ?user ; genre:aboutRequest ?node }
}"""


def forget_user(kg: Any, user: str) -> int:
    """Delete every node and edge about ``user`` (the user, their feedback, their requests); returns quads removed.

    Edges from other nodes to these (for example an outcome pointing at one of their requests) go too,
    all in one transaction.
    """
    iri = user_iri(user)
    nodes = [iri] + [URIRef(str(row[0])) for row in kg.store.select(_ABOUT_USER, {"user": iri}).rows]
    return kg.store.remove_about(nodes)
