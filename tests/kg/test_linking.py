"""Rule linking and constraints on the fixture graph: English and Chinese, every constraint kind, the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from genre.errors import LinkingError
from kg.linking import Linker, link
from kg.linking.constraints import parse_number, text_constraints

BASE = "https://w3id.org/genre/"


@pytest.fixture()
def linker(kg) -> Linker:
    return Linker(kg.store, semantic=False)


def ids(result, kind: str) -> list[str]:
    return [iri.rsplit("/", 1)[-1] for iri in result.iris(kind)]


def test_english_request_links_models_tasks_domains_and_providers(linker: Linker) -> None:
    result = linker.link("Compare GPT-4o and Claude 3.5 Sonnet for summarizing contracts, no OpenAI")
    assert ids(result, "model") == ["gpt-4o", "claude-3.5-sonnet"]
    assert "summarization" in ids(result, "task")
    assert ids(result, "domain") == ["law"]
    assert ids(result, "provider") == ["openai"]
    gpt = next(e for e in result.entities if e.type == "model" and e.iri.endswith("gpt-4o"))
    assert result.text[gpt.span[0] : gpt.span[1]] == "GPT-4o" and gpt.label == "GPT-4o"


def test_spelling_variants_of_a_model_name_link_the_same_model(linker: Linker) -> None:
    for text in ("use gpt 4o", "use GPT4o", "use gpt-4o please"):
        assert ids(linker.link(text), "model") == ["gpt-4o"], text


def test_chinese_request_links_by_chinese_labels(linker: Linker) -> None:
    result = linker.link("帮我把这份合同翻译成英文，不要用OpenAI")
    assert "translation" in ids(result, "task")
    assert ids(result, "domain") == ["law"]
    assert ids(result, "language") == ["en"]
    assert result.constraints.output_language == f"{BASE}language/en"
    assert result.constraints.providers_exclude == [f"{BASE}provider/openai"]


def test_each_entity_is_listed_once(linker: Linker) -> None:
    result = linker.link("翻译成英文。Translate it, then translate it again.")
    assert len(result.iris()) == len(set(result.iris()))
    first = next(e for e in result.entities if e.iri.endswith("task/translation"))
    assert first.span == (0, 5)


def test_a_longer_name_wins_over_the_names_inside_it(linker: Linker) -> None:
    result = linker.link("I need mathematical reasoning")
    assert ids(result, "capability") == ["mathematical-reasoning"]  # not also "reasoning"


def test_common_words_need_a_capital_to_be_names(linker: Linker) -> None:
    assert ids(linker.link("Use Mistral Large for this"), "model") == ["mistral-large"]
    assert linker.link("step by step, please").iris("family") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("under $1 per million tokens", {"max_input_price": 1.0}),
        ("at most 50 cents per 1M tokens", {"max_input_price": 0.5}),
        ("$0.002 per 1K tokens max", {"max_input_price": 2.0}),
        ("每百万token不超过2美元", {"max_input_price": 2.0}),
        ("价格每百万tokens 10元以内", {"max_input_price": 1.4}),
        ("something cheap", {"budget": "low"}),
        ("越便宜越好", {"budget": "low"}),
        ("a free model", {"budget": "free"}),
        ("it must read a 300-page book", {"min_context_tokens": 150000}),
        ("128K context window", {"min_context_tokens": 128000}),
        ("这本10万字的小说", {"min_context_tokens": 100000}),
        ("open-source only", {"open_weights": True}),
        ("we will self-host it", {"open_weights": True, "self_hosted": True}),
        ("必须本地部署", {"open_weights": True, "self_hosted": True}),
        ("can I run it on a single 24GB GPU?", {"open_weights": True, "self_hosted": True}),
        ("real-time voice", {"latency": "low"}),
        ("要低延迟", {"latency": "low"}),
        ("write a 500-word essay", {}),
    ],
)
def test_constraints_from_english_and_chinese_text(text: str, expected: dict) -> None:
    assert text_constraints(text) == expected


def test_providers_to_use_and_avoid(linker: Linker) -> None:
    result = linker.link("Anything except OpenAI; we are on Groq.")
    assert result.constraints.providers_exclude == [f"{BASE}provider/openai"]
    assert result.constraints.providers_include == [f"{BASE}provider/groq"]


def test_output_language_and_features(linker: Linker) -> None:
    result = linker.link("Answer in French, with function calling and JSON output, and reasoning")
    constraints = result.constraints
    assert constraints.output_language == f"{BASE}language/fr"
    assert sorted(constraints.features) == [
        f"{BASE}capability/{name}" for name in ("function-calling", "reasoning", "structured-output")
    ]
    assert linker.link("translate into Japanese and Korean").constraints.output_language is None


def test_asking_for_json_needs_structured_output(linker: Linker) -> None:
    for text in ("extract the names into JSON", "把结果输出JSON格式"):
        assert linker.link(text).constraints.features == [f"{BASE}capability/structured-output"], text


def test_negated_feature_is_not_required(linker: Linker) -> None:
    assert linker.link("no function calling needed").constraints.features == []


def test_options_override_the_text_and_unknown_options_are_errors(linker: Linker) -> None:
    result = linker.link("cheap, under $5 per million tokens", constraints={"max_input_price": 1.0})
    assert result.constraints.max_input_price == 1.0 and result.constraints.budget == "low"
    with pytest.raises(LinkingError, match="unknown constraint"):
        linker.link("hi", constraints={"colour": "red"})


def test_result_shape_and_modalities(linker: Linker) -> None:
    result = linker.link("Describe this photo, then generate an image of it as a cartoon")
    data = result.as_dict()
    assert list(data) == ["entities", "modalities", "constraints", "estimated_input_tokens"]
    assert all(list(e)[:3] == ["iri", "label", "type"] and "span" in e for e in data["entities"])
    assert data["modalities"] == ["image", "text"]  # the second image is an output
    assert data["estimated_input_tokens"] > 0


def test_the_cache_is_rebuilt_when_the_graph_changes(kg, tmp_path: Path) -> None:
    linker = Linker(kg.store, semantic=False, cache_dir=tmp_path)
    assert linker.link("Is Zorblax Coder 9B any good?").iris("model") == []
    before = sorted(tmp_path.glob("graph-*.pkl"))
    model = tmp_path / "zorblax.yaml"
    model.write_text(
        "id: zorblax-coder-9b\nname: Zorblax Coder 9B\ncreator: zorblax\nopen_weights: true\n"
        "input_modalities: [text]\noutput_modalities: [text]\ncapabilities: [code-generation]\n",
        encoding="utf-8",
    )
    kg.add_model(model)
    assert linker.refresh() is True
    assert ids(linker.link("Is Zorblax Coder 9B any good?"), "model") == ["zorblax-coder-9b"]
    assert len(sorted(tmp_path.glob("graph-*.pkl"))) == len(before) + 1
    assert Linker(kg.store, semantic=False, cache_dir=tmp_path).refresh() is False  # reused from disk


def test_module_level_link_uses_a_shared_linker(kg) -> None:
    first = link("summarize this", kg=kg, semantic=False)
    assert ids(first, "task") == ["summarization"]


def test_parse_number_rejects_words() -> None:
    assert parse_number("2,000") == 2000.0
    with pytest.raises(LinkingError):
        parse_number("lots")


def test_importing_the_package_loads_no_model() -> None:
    import subprocess
    import sys

    code = "import sys, kg.linking; print(any(m in sys.modules for m in ('torch', 'spacy')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
