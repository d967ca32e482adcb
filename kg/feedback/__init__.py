"""Feedback: users' ratings, thumbs, pairwise votes, choices and comments, as edges of the graph.

- :mod:`kg.feedback.events`: :class:`FeedbackEvent`, checked by :func:`new_event`;
- :mod:`kg.feedback.quads`: an event as quads in the feedback graph (:data:`FEEDBACK_GRAPH`);
- :mod:`kg.feedback.users`: :func:`record_feedback`, :func:`user_profile`, :func:`forget_user`.

Feedback lives in the same store as the rest of the graph; personalization reads it live.
Several processes may write: a persistent store is held by one process at a time and the others
wait their turn (:meth:`kg.store.Store.open`); each event is one transaction.
"""

from kg.feedback.events import KINDS, FeedbackEvent, new_event, user_id, user_iri
from kg.feedback.quads import FEEDBACK_GRAPH, event_quads, request_iri
from kg.feedback.users import UserProfile, forget_user, record_feedback, user_profile

__all__ = [
    "FEEDBACK_GRAPH",
    "KINDS",
    "FeedbackEvent",
    "UserProfile",
    "event_quads",
    "forget_user",
    "new_event",
    "record_feedback",
    "request_iri",
    "user_id",
    "user_iri",
    "user_profile",
]
