"""Adding models by hand: valid descriptions become visible, invalid ones write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from genre.errors import LoaderError, ValidationError

GOOD_YAML = """
id: acme-chat-7b
name: Acme Chat 7B
aliases: [acme/chat-7b]
creator: acme
release_date: 2025-06-01
parameter_count: 7000000000
open_weights: true
licence: apache-2.0
input_modalities: [text, image]
output_modalities: [text]
capabilities: [vision, function-calling]
offers:
  - provider: acme
    call_id: openai/acme-chat-7b
    input_price_per_mtok: 0.05
    output_price_per_mtok: 0.1
    context_window: 32768
"""

GOOD_TURTLE = """
@prefix genre: <https://w3id.org/genre/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/genre/model/tiny-turtle-1b> a genre:Model ;
    skos:prefLabel "Tiny Turtle 1B" ;
    genre:openWeights true ;
    genre:parameterCount 1000000000 ;
    genre:supportsInputModality <https://w3id.org/genre/modality/text> ;
    genre:hasCapability <https://w3id.org/genre/capability/text-generation> .
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_yaml_model_is_visible_to_the_next_query(kg, tmp_path: Path) -> None:
    added = kg.add_model(write(tmp_path, "acme.yaml", GOOD_YAML))
    assert added == ["https://w3id.org/genre/model/acme-chat-7b"]
    card = kg.model("Acme Chat 7B")
    assert card.open_weights is True and card.parameter_count == 7_000_000_000
    assert {"vision", "function-calling"} <= set(card.capabilities)
    assert card.offers[0].call_id == "openai/acme-chat-7b"
    cheapest = kg.models(capability="vision", input_modality="image", max_input_price=0.06)
    assert "acme-chat-7b" in [model.id for model in cheapest]
    assert kg.model_iri("acme/chat-7b") == kg.model_iri("acme-chat-7b")


def test_a_turtle_model_is_added(kg, tmp_path: Path) -> None:
    kg.add_model(write(tmp_path, "tiny.ttl", GOOD_TURTLE))
    assert kg.model("Tiny Turtle 1B").parameter_count == 1_000_000_000


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("capabilities: [vision, function-calling]", "capabilities: [telepathy]"), "unknown capability 'telepathy'"),
        (("input_price_per_mtok: 0.05", "input_price_per_mtok: -1"), "inputPricePerMillionTokens"),
        (("parameter_count: 7000000000", "parameter_count: 0"), "parameterCount"),
        (("input_modalities: [text, image]", "input_modalities: [smell]"), "unknown modality 'smell'"),
    ],
)
def test_invalid_descriptions_write_nothing(kg, tmp_path: Path, change: tuple[str, str], message: str) -> None:
    before = len(kg.store)
    text = GOOD_YAML.replace(*change)
    with pytest.raises(ValidationError) as caught:
        kg.add_model(write(tmp_path, "bad.yaml", text))
    problems = " | ".join(str(problem) for problem in caught.value.problems)
    assert message in problems
    assert all(problem.focus and problem.message for problem in caught.value.problems)
    assert len(kg.store) == before


def test_every_problem_is_reported_at_once(kg, tmp_path: Path) -> None:
    text = GOOD_YAML.replace("[vision, function-calling]", "[telepathy]").replace("[text, image]", "[smell]")
    with pytest.raises(ValidationError) as caught:
        kg.add_model(write(tmp_path, "bad.yaml", text))
    assert len(caught.value.problems) >= 2


def test_an_existing_model_is_not_overwritten(kg, tmp_path: Path) -> None:
    before = len(kg.store)
    with pytest.raises(ValidationError, match="problem"):
        kg.add_model(write(tmp_path, "dup.yaml", "id: gpt-4o\nname: Not GPT-4o\n"))
    assert len(kg.store) == before
    assert kg.model("gpt-4o").label == "GPT-4o"


def test_an_unknown_ontology_term_is_a_problem(kg, tmp_path: Path) -> None:
    text = GOOD_TURTLE.replace("genre:openWeights", "genre:openWeigths")
    with pytest.raises(ValidationError) as caught:
        kg.add_model(write(tmp_path, "typo.ttl", text))
    assert any("unknown ontology term genre:openWeigths" in str(p) for p in caught.value.problems)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("broken.ttl", "<a> <b> .", "not valid Turtle"),
        ("broken.yaml", "id: [unclosed", "not valid YAML"),
        ("list.yaml", "- 1\n- 2\n", "must describe a model"),
        ("keys.yaml", "id: x\ncolour: red\n", "unknown key\\(s\\) colour"),
        ("model.json", "{}", "unsupported file type"),
        ("date.yaml", "id: x\nrelease_date: someday\n", "must be a date"),
    ],
)
def test_malformed_files_are_loader_errors(kg, tmp_path: Path, name: str, text: str, message: str) -> None:
    before = len(kg.store)
    with pytest.raises(LoaderError, match=message):
        kg.add_model(write(tmp_path, name, text))
    assert len(kg.store) == before


def test_a_missing_file_is_a_loader_error(kg, tmp_path: Path) -> None:
    with pytest.raises(LoaderError, match="not found"):
        kg.add_model(tmp_path / "nowhere.yaml")
