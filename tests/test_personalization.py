"""The personalization scorer: neutral without feedback, shrunk towards the population, collaborative, live."""

from __future__ import annotations

import numpy as np
import pytest

from kg.feedback.events import new_event
from kg.feedback.quads import event_quads
from kg.linking import LinkResult
from kg.recommend import Recommender
from kg.recommend.personalization import feedback_index, pairwise_logit
from kg.store import Store

M = "https://w3id.org/genre/model/"


def _prefer(store: Store, user: str, winner: str, loser: str, times: int = 1) -> None:
    quads = []
    for _ in range(times):
        quads += event_quads(new_event(user, winner, prefer=loser))
    store.add_quads(quads)


def test_one_vote_moves_little_and_many_votes_a_lot() -> None:
    store = Store.open()
    for other in range(5):  # a population with an opinion of a and b
        _prefer(store, f"crowd{other}", M + "b", M + "a", times=2)
    _prefer(store, "ana", M + "a", M + "b")
    index = feedback_index(store)
    population = index.levels["model"].rate[index.levels["model"].index[M + "a"]]
    shrunk = 1 / (1 + np.exp(-(np.log(population / (1 - population)) + index.profile("ana").deviation(M + "a"))))
    assert population < shrunk < (population + 1.0) / 2  # one vote: still nearer the population than the vote
    one = index.profile("ana").deviation(M + "a")
    _prefer(store, "ana", M + "a", M + "b", times=9)
    many = feedback_index(store).profile("ana").deviation(M + "a")
    assert one > 0 and many > 1.5 * one
    assert pairwise_logit(index, None, M + "a", M + "b") < 0  # the population preferred b...
    index = feedback_index(store)
    assert pairwise_logit(index, index.profile("ana"), M + "a", M + "b") > 0  # ...ana, after ten votes, a


def test_liking_what_everyone_likes_says_less_than_liking_what_they_do_not() -> None:
    store = Store.open()
    for other in range(6):
        _prefer(store, f"crowd{other}", M + "popular", M + "unpopular", times=2)
    _prefer(store, "ana", M + "popular", M + "x", times=2)
    _prefer(store, "ben", M + "unpopular", M + "x", times=2)
    index = feedback_index(store)
    assert index.profile("ben").deviation(M + "unpopular") > index.profile("ana").deviation(M + "popular") > 0


def test_a_user_who_agrees_with_another_inherits_their_liking_of_an_unseen_model() -> None:
    store = Store.open()
    _prefer(store, "ana", M + "a", M + "b", times=5)
    _prefer(store, "ben", M + "a", M + "b", times=5)
    _prefer(store, "ben", M + "c", M + "d", times=5)
    _prefer(store, "cy", M + "b", M + "a", times=5)  # disagrees with both
    _prefer(store, "cy", M + "d", M + "c", times=1)
    profile = feedback_index(store).profile("ana")
    assert profile.neighbours and profile.neighbours[0][0].endswith("/ben")
    assert profile.deviation(M + "c") > 0 > profile.deviation(M + "d")
    assert "cy" not in {user.rsplit("/", 1)[-1] for user, _ in profile.neighbours}
    inherited = {entry["iri"] for entry in profile.summary()["liked_by_similar_users"]}
    assert M + "c" in inherited and M + "d" not in inherited


def test_index_learns_at_once_and_users_without_feedback_are_unknown() -> None:
    store = Store.open()
    assert feedback_index(store).profile("ana") is None
    _prefer(store, "ana", M + "a", M + "b")
    first = feedback_index(store)
    assert first.profile("ana") is not None and first.profile("nobody") is None
    _prefer(store, "ana", M + "a", M + "b")
    assert first.profile("ana").tally.preferred[(M + "a", M + "b")] == 2  # her own feedback: at once
    second = feedback_index(store, fresh=True)
    assert second is not first and second.levels["model"].pop_likes.sum() == 2  # the population: rebuilt
    assert feedback_index(store, fresh=True) is second  # unchanged feedback: the cached index


def _request() -> LinkResult:
    from kg.linking.constraints import Constraints

    return LinkResult("a request", [], ["text"], Constraints(), 20)


@pytest.fixture()
def ranked(kg) -> tuple[Recommender, list[str]]:
    recommender = Recommender(kg)
    plain = recommender.recommend_linked(_request(), k=1000)
    return recommender, [r.model_iri for r in plain]


def test_scorer_is_neutral_without_feedback_and_follows_people_who_agree(ranked, kg, monkeypatch) -> None:
    monkeypatch.setattr("kg.recommend.personalization.POPULATION_CHECK_SECONDS", 0.0)
    monkeypatch.setattr("kg.recommend.personalization.BACKGROUND_REBUILD", False)
    recommender, models = ranked
    a, b, c, d = models[:4]
    _prefer(kg.store, "ben", b, a, times=2)  # a tie-only user and a stranger change nothing for anyone else
    kg.store.add_quads(event_quads(new_event("tia", a, tie=b)))
    for user in (None, "nobody", "tia"):
        assert {r.personalization for r in recommender.recommend_linked(_request(), k=1000, user=user)} == {1.0}
    _prefer(kg.store, "ana", a, b, times=2)
    _prefer(kg.store, "eve", a, b, times=2)
    _prefer(kg.store, "eve", c, d, times=4)
    mine = {r.model_iri: r for r in recommender.recommend_linked(_request(), k=1000, user="ana")}
    assert all(0.0 <= r.personalization <= 1.0 for r in mine.values())
    assert mine[a].personalization == 1.0 and mine[b].personalization < 1.0
    assert mine[c].personalization > mine[d].personalization  # ana never judged c or d; eve agrees with her
    words = " ".join(mine[a].evidence + mine[c].evidence)
    assert f"you preferred {mine[a].label} over {mine[b].label} twice" in words
    assert "people who agree with you" in words


def test_refreshing_only_changed_users_equals_reading_everything() -> None:
    store = Store.open()
    for user in ("ana", "ben", "cy"):
        _prefer(store, user, M + "a", M + "b", times=2)
    old = feedback_index(store, fresh=True)
    _prefer(store, "ben", M + "c", M + "a", times=3)
    _prefer(store, "dee", M + "b", M + "c")
    version = old.version + 4
    refreshed, full = old.refreshed(version), type(old)(store, version)
    for level in ("model", "family", "maker"):
        assert refreshed.levels[level].keys == full.levels[level].keys
        assert np.allclose(refreshed.levels[level].rate, full.levels[level].rate)
    assert refreshed.users == full.users
    assert refreshed.profile("ana").deviation(M + "c") == pytest.approx(full.profile("ana").deviation(M + "c"))


def test_a_changed_population_is_refreshed_in_the_background(monkeypatch) -> None:
    import time

    monkeypatch.setattr("kg.recommend.personalization.POPULATION_CHECK_SECONDS", 0.0)
    store = Store.open()
    _prefer(store, "ana", M + "a", M + "b")
    first = feedback_index(store)
    _prefer(store, "ben", M + "c", M + "d")
    assert feedback_index(store) is first  # answered at once from the previous index...
    deadline = time.monotonic() + 10
    while feedback_index(store) is first and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "https://w3id.org/genre/user/ben" in feedback_index(store).users  # ...then refreshed
