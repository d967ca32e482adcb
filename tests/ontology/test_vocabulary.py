"""Tests of the GENRE ontology (ontology/genre.ttl), its controlled vocabularies
(ontology/vocab/*.ttl) and its SHACL shapes (ontology/shapes.ttl).

The benchmark spellings below were read once from the data sources (Open LLM
Leaderboard v1/v2, LMArena, Epoch AI benchmark hub extracts, LLMStats); they are
hard-coded so these tests need nothing outside the repository.
"""

from __future__ import annotations

import collections
from decimal import Decimal
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from loaders.records import CAPABILITY_IDS, MODALITY_IDS
from ontology.terms import BASE, FAIR4ML, GENRE, MLS, SCHEMA, individual

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology" / "genre.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
VOCAB = ROOT / "ontology" / "vocab"
VOCAB_FILES = sorted(VOCAB.glob("*.ttl"))
ALL_TTL = [ONTOLOGY, SHAPES, *VOCAB_FILES]

NS = str(GENRE._NS)
TERMS = set(GENRE.__annotations__)
# a plain Namespace: rdflib's XSD DefinedNamespace warns when pytest probes module attributes
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SH = Namespace("http://www.w3.org/ns/shacl#")

SCHEMES = {
    "capability": (GENRE.CapabilityScheme, GENRE.Capability),
    "task": (GENRE.TaskScheme, GENRE.Task),
    "domain": (GENRE.DomainScheme, GENRE.Domain),
    "modality": (GENRE.ModalityScheme, GENRE.Modality),
    "language": (GENRE.LanguageScheme, GENRE.Language),
}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


@pytest.fixture(scope="module")
def vocab() -> Graph:
    graph = Graph()
    for path in VOCAB_FILES:
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def ont_graph(ontology: Graph, vocab: Graph) -> Graph:
    """Ontology plus vocabularies: what shapes are validated against."""
    return ontology + vocab


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES)


def members(graph: Graph, cls: URIRef) -> set[URIRef]:
    return set(graph.subjects(RDF.type, cls))


def labels(graph: Graph, node: URIRef) -> list[Literal]:
    return [*graph.objects(node, SKOS.prefLabel), *graph.objects(node, SKOS.altLabel)]


def label_index(graph: Graph, nodes: set[URIRef]) -> dict[str, set[URIRef]]:
    """Case-insensitive label -> the nodes carrying it (prefLabel or altLabel)."""
    index: dict[str, set[URIRef]] = collections.defaultdict(set)
    for node in nodes:
        for label in labels(graph, node):
            index[str(label).casefold()].add(node)
    return index


def genre_iris(graph: Graph) -> set[str]:
    """Local names of every genre: IRI a graph mentions in any position."""
    return {
        str(term)[len(NS) :]
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(NS)
    }


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("path", ALL_TTL, ids=lambda p: p.name)
def test_turtle_file_parses_and_is_not_empty(path: Path) -> None:
    graph = Graph().parse(path)
    assert len(graph) > 20


def test_vocab_folder_holds_the_expected_files() -> None:
    names = {p.name for p in VOCAB_FILES}
    assert names == {
        "capabilities.ttl",
        "tasks.ttl",
        "domains.ttl",
        "modalities.ttl",
        "languages.ttl",
        "benchmarks.ttl",
        "presets.ttl",
    }
    assert (VOCAB / "README.md").is_file()


# --------------------------------------------------------------------------- ontology terms


@pytest.mark.parametrize("name", sorted(TERMS))
def test_every_term_is_declared_labelled_and_commented(ontology: Graph, name: str) -> None:
    term = GENRE._NS[name]
    types = set(ontology.objects(term, RDF.type))
    assert types & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme}, name
    english = [lab for lab in ontology.objects(term, RDFS.label) if lab.language == "en"]
    assert english, f"{name} has no English rdfs:label"
    comment = ontology.value(term, RDFS.comment)
    assert comment is not None and len(str(comment)) > 20, f"{name} has no useful rdfs:comment"


def test_ontology_mentions_no_genre_term_missing_from_terms_py(ontology: Graph) -> None:
    assert genre_iris(ontology) - TERMS == set()


def test_vocabularies_and_shapes_use_only_declared_genre_terms(vocab: Graph, shapes: Graph) -> None:
    assert genre_iris(vocab) - TERMS == set()
    assert genre_iris(shapes) - TERMS == set()


def test_ontology_header(ontology: Graph) -> None:
    header = URIRef("https://w3id.org/genre/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology


def test_classes_schemes_and_property_kinds(ontology: Graph) -> None:
    classes = {n for n in TERMS if n[0].isupper() and not n.endswith("Scheme")}
    schemes = {n for n in TERMS if n.endswith("Scheme")}
    for name in classes:
        assert (GENRE._NS[name], RDF.type, OWL.Class) in ontology, name
    for name in schemes:
        assert (GENRE._NS[name], RDF.type, SKOS.ConceptScheme) in ontology, name
    properties = TERMS - classes - schemes
    for name in properties:
        kinds = set(ontology.objects(GENRE._NS[name], RDF.type))
        assert len(kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}) == 1, name
        assert ontology.value(GENRE._NS[name], RDFS.domain) is not None, f"{name} has no domain"


def _domain_classes(ontology: Graph, prop: URIRef) -> set[URIRef]:
    domain = ontology.value(prop, RDFS.domain)
    if isinstance(domain, BNode):
        return set(Collection(ontology, ontology.value(domain, OWL.unionOf)))
    return {domain}


def test_object_properties_have_class_ranges(ontology: Graph) -> None:
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        if prop == GENRE.mentions:  # deliberately open: any linked entity
            continue
        rng = ontology.value(prop, RDFS.range)
        assert rng is not None and str(rng).startswith(NS), prop
        assert (rng, RDF.type, OWL.Class) in ontology, prop


EXPECTED_DATATYPES = {
    XSD.decimal: {
        "inputPricePerMillionTokens",
        "outputPricePerMillionTokens",
        "value",
        "scaleMax",
        "temperature",
        "topP",
        "throughputTokensPerSecond",
        "latencySeconds",
        "outcomeScore",
        "costUsd",
    },
    XSD.integer: {"contextWindow", "maxOutputTokens", "maxTokens", "parameterCount", "rating"},
    XSD.boolean: {"openWeights", "higherIsBetter", "selfReported"},
    XSD.date: {"releaseDate", "knowledgeCutoff", "deprecationDate", "resultDate"},
    XSD.dateTime: {"createdAt"},
}


def test_datatype_property_ranges(ontology: Graph) -> None:
    datatype_props = {str(p)[len(NS) :] for p in ontology.subjects(RDF.type, OWL.DatatypeProperty)}
    typed = set().union(*EXPECTED_DATATYPES.values())
    assert typed <= datatype_props
    for xsd_type, names in EXPECTED_DATATYPES.items():
        for name in names:
            assert ontology.value(GENRE._NS[name], RDFS.range) == xsd_type, name
    for name in datatype_props - typed:
        assert ontology.value(GENRE._NS[name], RDFS.range) == XSD.string, name


def test_multi_class_domains_are_unions_not_intersections(ontology: Graph) -> None:
    # two rdfs:domain statements would mean "both", typing every Model that states a
    # modality as an Offer under RDFS inference
    for prop in set(ontology.subjects(RDFS.domain, None)):
        assert len(list(ontology.objects(prop, RDFS.domain))) == 1, prop
    assert _domain_classes(ontology, GENRE.supportsInputModality) == {GENRE.Model, GENRE.Offer}
    assert _domain_classes(ontology, GENRE.contextWindow) == {GENRE.Model, GENRE.Offer}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (GENRE.offers, GENRE.offeredBy),
        (GENRE.hasOffer, GENRE.offerOf),
        (GENRE.hasBenchmarkResult, GENRE.evaluatedModel),
    ],
)
def test_inverse_properties(ontology: Graph, left: URIRef, right: URIRef) -> None:
    assert (left, OWL.inverseOf, right) in ontology
    assert (right, OWL.inverseOf, left) in ontology
    assert ontology.value(left, RDFS.domain) == ontology.value(right, RDFS.range)
    assert ontology.value(left, RDFS.range) == ontology.value(right, RDFS.domain)


@pytest.mark.parametrize(
    ("sub", "predicate", "sup"),
    [
        (GENRE.Model, RDFS.subClassOf, SCHEMA.SoftwareApplication),
        (GENRE.Model, RDFS.subClassOf, FAIR4ML.MLModel),
        (GENRE.Provider, RDFS.subClassOf, SCHEMA.Organization),
        (GENRE.Offer, RDFS.subClassOf, SCHEMA.Offer),
        (GENRE.Offer, RDFS.subClassOf, PROV.Entity),
        (GENRE.Task, RDFS.subClassOf, MLS.Task),
        (GENRE.BenchmarkResult, RDFS.subClassOf, FAIR4ML.MLModelEvaluation),
        (GENRE.BenchmarkResult, RDFS.subClassOf, MLS.ModelEvaluation),
        (GENRE.BenchmarkResult, RDFS.subClassOf, PROV.Entity),
        (GENRE.Source, RDFS.subClassOf, DCAT.Dataset),
        (GENRE.Source, RDFS.subClassOf, PROV.Entity),
        (GENRE.Capability, RDFS.subClassOf, SKOS.Concept),
        (GENRE.Task, RDFS.subClassOf, SKOS.Concept),
        (GENRE.Domain, RDFS.subClassOf, SKOS.Concept),
        (GENRE.Modality, RDFS.subClassOf, SKOS.Concept),
        (GENRE.Language, RDFS.subClassOf, SKOS.Concept),
        (GENRE.fineTunedFrom, RDFS.subPropertyOf, FAIR4ML.fineTunedFrom),
        (GENRE.releaseDate, RDFS.subPropertyOf, SCHEMA.datePublished),
        (GENRE.licence, RDFS.subPropertyOf, SCHEMA.license),
        (GENRE.value, RDFS.subPropertyOf, MLS.hasValue),
        (GENRE.evaluatedModel, RDFS.subPropertyOf, FAIR4ML.evaluatedMLModel),
    ],
)
def test_alignment_axioms(ontology: Graph, sub: URIRef, predicate: URIRef, sup: URIRef) -> None:
    assert (sub, predicate, sup) in ontology


def test_metric_points_to_ml_schema_evaluation_measure(ontology: Graph) -> None:
    assert (GENRE.metric, RDFS.seeAlso, MLS.EvaluationMeasure) in ontology


# --------------------------------------------------------------------------- concept schemes


@pytest.mark.parametrize(
    ("kind", "minimum"),
    [("capability", 30), ("task", 34), ("domain", 14), ("modality", 5), ("language", 20)],
)
def test_concept_counts(vocab: Graph, kind: str, minimum: int) -> None:
    scheme, cls = SCHEMES[kind]
    concepts = members(vocab, cls)
    assert len(concepts) >= minimum
    assert set(vocab.subjects(SKOS.inScheme, scheme)) == concepts


def test_modalities_are_exactly_the_loader_ids(vocab: Graph) -> None:
    expected = {individual("modality", m) for m in MODALITY_IDS}
    assert members(vocab, GENRE.Modality) == expected


def test_every_loader_capability_id_is_a_concept(vocab: Graph) -> None:
    concepts = members(vocab, GENRE.Capability)
    missing = {c for c in CAPABILITY_IDS if individual("capability", c) not in concepts}
    assert missing == set()


@pytest.mark.parametrize("kind", sorted(SCHEMES))
def test_concepts_are_well_formed(vocab: Graph, kind: str) -> None:
    scheme, cls = SCHEMES[kind]
    for concept in members(vocab, cls):
        assert str(concept).startswith(f"{BASE}{kind}/"), concept
        assert (concept, RDF.type, SKOS.Concept) in vocab, concept
        assert (concept, SKOS.inScheme, scheme) in vocab, concept
        prefs = list(vocab.objects(concept, SKOS.prefLabel))
        languages = [p.language for p in prefs]
        assert "en" in languages and "zh" in languages, concept
        assert len(languages) == len(set(languages)), f"{concept}: two prefLabels in one language"
        assert list(vocab.objects(concept, SKOS.altLabel)), f"{concept} has no altLabel"
        assert vocab.value(concept, SKOS.definition) is not None, concept
        notation = vocab.value(concept, SKOS.notation)
        assert notation is not None and str(concept).endswith("/" + str(notation)), concept


@pytest.mark.parametrize("kind", ["capability", "task", "domain", "modality"])
def test_concepts_have_chinese_altlabels(vocab: Graph, kind: str) -> None:
    _, cls = SCHEMES[kind]
    for concept in members(vocab, cls):
        langs = {a.language for a in vocab.objects(concept, SKOS.altLabel)}
        assert {"en", "zh"} <= langs, concept


@pytest.mark.parametrize("kind", sorted(SCHEMES))
def test_labels_are_unambiguous_within_a_scheme(vocab: Graph, kind: str) -> None:
    _, cls = SCHEMES[kind]
    index = label_index(vocab, members(vocab, cls))
    ambiguous = {label: nodes for label, nodes in index.items() if len(nodes) > 1}
    assert ambiguous == {}


def test_pref_and_alt_labels_are_disjoint(vocab: Graph) -> None:
    for node in set(vocab.subjects(SKOS.prefLabel, None)):
        assert set(vocab.objects(node, SKOS.prefLabel)).isdisjoint(vocab.objects(node, SKOS.altLabel))


def test_user_phrasings_link_to_the_right_concept(vocab: Graph) -> None:
    cases = {
        ("capability", "tool use"): "function-calling",
        ("capability", "工具调用"): "function-calling",
        ("capability", "JSON mode"): "structured-output",
        ("capability", "看图"): "vision",
        ("capability", "extended thinking"): "reasoning",
        ("task", "TL;DR"): "summarization",
        ("task", "总结"): "summarization",
        ("task", "fix a bug"): "debugging",
        ("task", "text-to-SQL"): "sql-generation",
        ("task", "写文案"): "copywriting",
        ("domain", "healthcare"): "medicine",
        ("domain", "作业"): "education",
        ("domain", "HR"): "human-resources",
        ("modality", "screenshot"): "image",
        ("modality", "PDF"): "document",
        ("modality", "录音"): "audio",
        ("language", "Mandarin"): "zh",
        ("language", "Deutsch"): "de",
        ("language", "日语"): "ja",
    }
    for (kind, text), expected in cases.items():
        index = label_index(vocab, members(vocab, SCHEMES[kind][1]))
        assert index[text.casefold()] == {individual(kind, expected)}, (kind, text)


# --------------------------------------------------------------------------- links


def _assert_targets(vocab: Graph, prop: URIRef, target_cls: URIRef) -> None:
    for subject, target in vocab.subject_objects(prop):
        assert (target, RDF.type, target_cls) in vocab, f"{subject} {prop} dangling {target}"


def test_every_task_requires_one_to_four_capabilities(vocab: Graph) -> None:
    for task in members(vocab, GENRE.Task):
        count = len(list(vocab.objects(task, GENRE.taskRequiresCapability)))
        assert 1 <= count <= 4, task
    _assert_targets(vocab, GENRE.taskRequiresCapability, GENRE.Capability)
    _assert_targets(vocab, GENRE.taskInDomain, GENRE.Domain)


def test_domain_specific_tasks_are_in_their_domain(vocab: Graph) -> None:
    pairs = [
        ("contract-drafting", "law"),
        ("legal-document-review", "law"),
        ("medical-question-answering", "medicine"),
        ("financial-analysis", "finance"),
        ("tutoring", "education"),
        ("customer-support", "customer-service"),
        ("code-review", "software-engineering"),
    ]
    for task, domain in pairs:
        assert (individual("task", task), GENRE.taskInDomain, individual("domain", domain)) in vocab


def test_every_domain_needs_capabilities(vocab: Graph) -> None:
    for domain in members(vocab, GENRE.Domain):
        assert list(vocab.objects(domain, GENRE.domainNeedsCapability)), domain
    _assert_targets(vocab, GENRE.domainNeedsCapability, GENRE.Capability)


def test_no_vocabulary_link_dangles(vocab: Graph) -> None:
    defined = set(vocab.subjects(RDF.type, None))
    for s, p, o in vocab:
        if str(p).startswith(NS) and isinstance(o, URIRef) and str(o).startswith(BASE):
            assert o in defined, f"{s} {p} points to undefined {o}"


# --------------------------------------------------------------------------- benchmarks


def test_benchmark_count(vocab: Graph) -> None:
    assert len(members(vocab, GENRE.Benchmark)) >= 60


def test_benchmarks_are_well_formed(vocab: Graph) -> None:
    for bench in members(vocab, GENRE.Benchmark):
        assert str(bench).startswith(f"{BASE}benchmark/"), bench
        assert len(list(vocab.objects(bench, SKOS.prefLabel))) == 1, bench
        assert vocab.value(bench, RDFS.comment) is not None, bench
        assert 1 <= len(list(vocab.objects(bench, GENRE.measuresCapability))) <= 3, bench
        assert len(list(vocab.objects(bench, GENRE.benchmarkForTask))) <= 2, bench
        higher = vocab.value(bench, GENRE.higherIsBetter)
        assert higher is not None and higher.datatype == XSD.boolean, bench
        scale = vocab.value(bench, GENRE.scaleMax)
        if scale is not None:
            assert scale.datatype == XSD.decimal and scale.toPython() > 0, bench
    _assert_targets(vocab, GENRE.measuresCapability, GENRE.Capability)
    _assert_targets(vocab, GENRE.benchmarkForTask, GENRE.Task)
    _assert_targets(vocab, GENRE.benchmarkInDomain, GENRE.Domain)


def test_benchmark_labels_are_unambiguous(vocab: Graph) -> None:
    index = label_index(vocab, members(vocab, GENRE.Benchmark))
    assert {label: nodes for label, nodes in index.items() if len(nodes) > 1} == {}


def test_benchmark_scales(vocab: Graph) -> None:
    def bench(bid: str) -> URIRef:
        return individual("benchmark", bid)

    for bid in ("mmlu", "gpqa-diamond", "swe-bench-verified", "ifeval", "humaneval"):
        assert vocab.value(bench(bid), GENRE.scaleMax) == Literal(Decimal("100.0"))
    for bid in ("lmarena-text", "lmarena-vision", "webdev-arena", "metr-time-horizon"):
        assert vocab.value(bench(bid), GENRE.scaleMax) is None, bid
    assert vocab.value(bench("fleurs"), GENRE.higherIsBetter).toPython() is False


def test_benchmark_capability_links_follow_what_they_measure(vocab: Graph) -> None:
    expected = {
        "humaneval": "code-generation",
        "mbpp": "code-generation",
        "swe-bench-verified": "code-generation",
        "aider-polyglot": "code-generation",
        "livecodebench": "code-generation",
        "terminal-bench": "agentic-tool-use",
        "gsm8k": "mathematical-reasoning",
        "math": "mathematical-reasoning",
        "aime-2024": "mathematical-reasoning",
        "frontiermath": "mathematical-reasoning",
        "gpqa": "scientific-reasoning",
        "scienceqa": "scientific-reasoning",
        "mmmu": "vision",
        "mathvista": "vision",
        "chartqa": "chart-understanding",
        "docvqa": "document-understanding",
        "videomme": "video-understanding",
        "ifeval": "instruction-following",
        "mgsm": "multilingual",
        "truthfulqa": "truthfulness",
        "hellaswag": "commonsense-reasoning",
        "bfcl": "function-calling",
        "osworld": "computer-use",
        "browsecomp": "web-search",
        "mrcr": "long-context",
    }
    for bid, capability in expected.items():
        triple = (individual("benchmark", bid), GENRE.measuresCapability, individual("capability", capability))
        assert triple in vocab, (bid, capability)


# Spellings as the sources write them (read from the data once, see module docstring).
OPEN_LLM_V1 = ["arc", "hellaswag", "mmlu", "truthfulqa", "winogrande", "gsm8k"]
OPEN_LLM_V2 = ["IFEval", "BBH", "MATH Level 5", "GPQA", "MUSR", "MMLU-PRO"]
LMARENA = ["LMArena Text", "Chatbot Arena", "LMArena Vision"]
EPOCH_FILES = [
    "aider_polyglot",
    "anli",
    "arc_agi",
    "arc_ai2",
    "balrog",
    "bbh",
    "boolq",
    "cadeval",
    "csqa2",
    "cybench",
    "deepresearch",
    "factorio_learning_environment",
    "fictionlivebench",
    "geobench",
    "gsm8k",
    "gso_bench",
    "hellaswag",
    "lambada",
    "lech_mazur_writing",
    "livebench",
    "mcbench",
    "metr",
    "mmlu",
    "openbookqa",
    "os_world",
    "osuniverse",
    "piqa",
    "scienceqa",
    "simple_bench",
    "superglue",
    "terminal_bench",
    "the_agent_company",
    "triviaqa",
    "videomme",
    "vpct",
    "weirdml",
    "winogrande",
]
EPOCH_COLUMNS = [
    "Aider’s polyglot benchmark",
    "OS World (Screenshot)",
    "LiveBench",
    "Balrog",
    "The Agent Company",
    "AidanBench",
    "WeirdML V1",
    "WebDevArena",
    "SimpleBench",
    "Factorio Learning Environment",
    "HCAST",
    "RE-Bench",
    "MCBench",
    "VendingBench",
    "METR horizon lengths",
    "Cybench",
    "Lech Mazur Writing",
    "GeoBench",
    "Fiction.LiveBench",
    "CadEval",
    "VPCT",
    "HellaSwag",
    "OpenBookQA",
    "WinoGrande",
    "MMLU",
    "BBH",
    "TriviaQA",
    "autoadvexbench",
    "Terminal Bench",
    "BrowseComp",
    "OSUniverse",
    "VideoMME",
    "GSO-Bench",
    "GSM8K",
    "CommonSenseQA 2",
    "SuperGlue",
    "LAMBADA",
    "BoolQ",
    "PIQA",
    "ARC AGI",
    "Adversarial NLI",
    "ScienceQA",
    "DeepResearch Bench",
    "WeirdML V2",
    "ARC AI2",
    "EnigmaEval",
    "VISTA",
    "ToolComp",
]
EPOCH_TASKS = [
    "FrontierMath-2025-02-28-Private",
    "FrontierMath-2025-02-28-Public",
    "FrontierMath-Tier-4-2025-07-01-Private",
    "FrontierMath-Tier-4-2025-07-01-Public",
    "GPQA diamond",
    "MATH level 5",
    "OTIS Mock AIME 2024-2025",
    "SWE-Bench verified",
]
# Every LLMStats dataset_name used at least six times (the 60 most frequent, plus ties).
LLMSTATS_TOP = [
    "GPQA",
    "MMLU",
    "MATH",
    "HumanEval",
    "MMLU-Pro",
    "MMMU",
    "AIME 2024",
    "GSM8K",
    "LiveCodeBench",
    "IFEval",
    "MathVista",
    "MBPP",
    "ARC-C",
    "MGSM",
    "DROP",
    "DocVQA",
    "HellaSwag",
    "ChartQA",
    "Arena Hard",
    "MATH-500",
    "AIME 2025",
    "SWE-bench Verified",
    "TruthfulQA",
    "AI2D",
    "SimpleQA",
    "BIG-Bench Hard",
    "TextVQA",
    "MMMLU",
    "TAU-bench Retail",
    "TAU-bench Airline",
    "HiddenMath",
    "Aider-Polyglot",
    "MMBench",
    "LiveBench",
    "BFCL",
    "Winogrande",
    "TriviaQA",
    "Aider-Polyglot Edit",
    "MMMU-Pro",
    "InfoVQA",
    "MMLU-Redux",
    "EgoSchema",
    "MT-Bench",
    "Global-MMLU-Lite",
    "BBH",
    "HumanEval+",
    "MultiPL-E",
    "Natural2Code",
    "MMStar",
    "MathVista-Mini",
    "WinoGrande",
    "BoolQ",
    "PIQA",
    "FACTS Grounding",
    "MRCR",
    "CharXiv-R",
    "OCRBench",
    "RealWorldQA",
    "Bird-SQL (dev)",
    "ECLeKTic",
    "WMT24++",
    "Internal API instruction following (hard)",
    "MultiChallenge (o3-mini grader)",
    "COLLIE",
    "Multi-IF",
    "OpenAI-MRCR: 2 needle 128k",
    "Graphwalks parents <128k",
    "ComplexFuncBench",
]
SOURCE_SPELLINGS = sorted(
    set(OPEN_LLM_V1 + OPEN_LLM_V2 + LMARENA + EPOCH_FILES + EPOCH_COLUMNS + EPOCH_TASKS + LLMSTATS_TOP)
)


@pytest.mark.parametrize("name", SOURCE_SPELLINGS)
def test_source_benchmark_name_resolves_to_exactly_one_benchmark(vocab: Graph, name: str) -> None:
    index = label_index(vocab, members(vocab, GENRE.Benchmark))
    assert len(index.get(name.casefold(), set())) == 1, name


@pytest.mark.parametrize(
    ("spelling", "benchmark"),
    [
        ("arc", "arc-challenge"),
        ("ARC-C", "arc-challenge"),
        ("ARC AI2", "arc-challenge"),
        ("ARC AGI", "arc-agi"),
        ("mmlu", "mmlu"),
        ("MMLU-PRO", "mmlu-pro"),
        ("MMLU-Pro", "mmlu-pro"),
        ("GPQA", "gpqa"),
        ("GPQA diamond", "gpqa-diamond"),
        ("MATH Level 5", "math-level-5"),
        ("MATH level 5", "math-level-5"),
        ("MATH", "math"),
        ("MUSR", "musr"),
        ("BBH", "bbh"),
        ("BIG-Bench Hard", "bbh"),
        ("SWE-Bench verified", "swe-bench-verified"),
        ("SWE-bench Verified", "swe-bench-verified"),
        ("Aider’s polyglot benchmark", "aider-polyglot"),
        ("aider_polyglot", "aider-polyglot"),
        ("Aider-Polyglot", "aider-polyglot"),
        ("Chatbot Arena", "lmarena-text"),
        ("LMArena Vision", "lmarena-vision"),
        ("weirdml", "weirdml-v2"),
        ("WeirdML V1", "weirdml-v1"),
        ("FrontierMath-2025-02-28-Private", "frontiermath"),
        ("FrontierMath-Tier-4-2025-07-01-Public", "frontiermath-tier-4"),
        ("OS World (Screenshot)", "osworld"),
        ("VideoMME", "videomme"),
        ("TAU-bench Retail", "tau-bench-retail"),
    ],
)
def test_source_spelling_maps_to_the_right_benchmark(vocab: Graph, spelling: str, benchmark: str) -> None:
    index = label_index(vocab, members(vocab, GENRE.Benchmark))
    assert index[spelling.casefold()] == {individual("benchmark", benchmark)}


# --------------------------------------------------------------------------- presets


def test_presets(vocab: Graph) -> None:
    presets = members(vocab, GENRE.ConfigurationPreset)
    assert len(presets) >= 10
    preset_of_task: dict[URIRef, URIRef] = {}
    for preset in presets:
        assert str(preset).startswith(f"{BASE}preset/"), preset
        assert vocab.value(preset, RDFS.label) is not None and vocab.value(preset, RDFS.comment) is not None
        temperature = vocab.value(preset, GENRE.temperature)
        top_p = vocab.value(preset, GENRE.topP)
        max_tokens = vocab.value(preset, GENRE.maxTokens)
        assert temperature.datatype == XSD.decimal and 0 <= temperature.toPython() <= 2, preset
        assert top_p.datatype == XSD.decimal and 0 < top_p.toPython() <= 1, preset
        assert max_tokens.datatype == XSD.integer and max_tokens.toPython() >= 256, preset
        effort = vocab.value(preset, GENRE.reasoningEffort)
        assert effort is None or str(effort) in {"low", "medium", "high"}, preset
        tasks = list(vocab.objects(preset, GENRE.presetForTask))
        assert tasks, preset
        for task in tasks:
            assert task not in preset_of_task, f"{task} has two presets"
            preset_of_task[task] = preset
    _assert_targets(vocab, GENRE.presetForTask, GENRE.Task)
    code = individual("preset", "precise-code")
    assert vocab.value(code, GENRE.temperature).toPython() == Decimal("0.2")
    assert preset_of_task[individual("task", "math-problem-solving")] == individual("preset", "math-reasoning")
    assert str(vocab.value(individual("preset", "math-reasoning"), GENRE.reasoningEffort)) == "high"


# --------------------------------------------------------------------------- SHACL shapes
#
# pyshacl is run as GENRE runs it: ontology + vocabularies as the ont_graph, RDFS inference. Each
# validation copies the vocabularies into the data graph, so the invalid cases below are built as
# independent fragments (each under its own IRI prefix) of one graph, validated once, and each test
# reads the violations of its own fragment.

EX = Namespace("https://example.org/test/")
MODALITY = Namespace(f"{BASE}modality/")
CAPABILITY = Namespace(f"{BASE}capability/")
BENCHMARK = Namespace(f"{BASE}benchmark/")
UNKNOWN_BENCHMARK = BENCHMARK["no-such-benchmark"]


def fragment(case: str) -> tuple[Graph, dict[str, URIRef]]:
    """A valid model, provider, offer, benchmark result, user and feedback, under ``EX/case/``."""
    n = {name: EX[f"{case}/{name}"] for name in ("model", "provider", "offer", "result", "user", "feedback")}
    g = Graph()
    g.add((n["model"], RDF.type, GENRE.Model))
    g.add((n["model"], SKOS.prefLabel, Literal("GPT-4o")))
    g.add((n["model"], SKOS.altLabel, Literal("gpt-4o-2024-08-06")))
    g.add((n["model"], GENRE.releaseDate, Literal("2024-05-13", datatype=XSD.date)))
    g.add((n["model"], GENRE.parameterCount, Literal(200000000000)))
    g.add((n["model"], GENRE.openWeights, Literal(False)))
    g.add((n["model"], GENRE.supportsInputModality, MODALITY.text))
    g.add((n["model"], GENRE.supportsInputModality, MODALITY.image))
    g.add((n["model"], GENRE.supportsOutputModality, MODALITY.text))
    g.add((n["model"], GENRE.hasCapability, CAPABILITY["function-calling"]))
    g.add((n["model"], GENRE.createdBy, n["provider"]))
    g.add((n["provider"], RDF.type, GENRE.Provider))
    g.add((n["offer"], RDF.type, GENRE.Offer))
    g.add((n["offer"], GENRE.offerOf, n["model"]))
    g.add((n["offer"], GENRE.offeredBy, n["provider"]))
    g.add((n["offer"], GENRE.inputPricePerMillionTokens, Literal(Decimal("2.5"))))
    g.add((n["offer"], GENRE.outputPricePerMillionTokens, Literal(Decimal("10"))))
    g.add((n["offer"], GENRE.contextWindow, Literal(128000)))
    g.add((n["offer"], GENRE.maxOutputTokens, Literal(16384)))
    g.add((n["offer"], GENRE.callId, Literal("openai/gpt-4o")))
    g.add((n["offer"], GENRE.supportsFeature, CAPABILITY["structured-output"]))
    g.add((n["result"], RDF.type, GENRE.BenchmarkResult))
    g.add((n["result"], GENRE.evaluatedModel, n["model"]))
    g.add((n["result"], GENRE.evaluatedOn, BENCHMARK.mmlu))
    g.add((n["result"], GENRE.value, Literal(Decimal("88.7"))))
    g.add((n["result"], GENRE.metric, Literal("accuracy")))
    g.add((n["result"], GENRE.resultDate, Literal("2024-05-13", datatype=XSD.date)))
    g.add((n["result"], PROV.wasDerivedFrom, URIRef(f"{BASE}source/llmstats")))
    g.add((n["user"], RDF.type, GENRE.User))
    g.add((n["feedback"], RDF.type, GENRE.Feedback))
    g.add((n["feedback"], GENRE.givenBy, n["user"]))
    g.add((n["feedback"], GENRE.aboutModel, n["model"]))
    g.add((n["feedback"], GENRE.feedbackKind, Literal("rating")))
    g.add((n["feedback"], GENRE.rating, Literal(4)))
    g.add((n["feedback"], GENRE.createdAt, Literal("2025-01-02T10:00:00", datatype=XSD.dateTime)))
    return g, n


def _replace(g: Graph, s: URIRef, p: URIRef, o) -> None:
    g.remove((s, p, None))
    g.add((s, p, o))


def _case_model_without_preflabel(g: Graph, n: dict[str, URIRef]) -> None:
    g.remove((n["model"], SKOS.prefLabel, None))


def _case_model_with_capability_as_modality(g: Graph, n: dict[str, URIRef]) -> None:
    g.add((n["model"], GENRE.supportsInputModality, CAPABILITY.vision))


def _case_offer_with_negative_price(g: Graph, n: dict[str, URIRef]) -> None:
    _replace(g, n["offer"], GENRE.inputPricePerMillionTokens, Literal(Decimal("-1.5")))


def _case_offer_price_as_float(g: Graph, n: dict[str, URIRef]) -> None:
    _replace(g, n["offer"], GENRE.outputPricePerMillionTokens, Literal(10.0))  # xsd:double


def _case_offer_without_provider(g: Graph, n: dict[str, URIRef]) -> None:
    g.remove((n["offer"], GENRE.offeredBy, None))


def _case_result_without_benchmark(g: Graph, n: dict[str, URIRef]) -> None:
    g.remove((n["result"], GENRE.evaluatedOn, None))


def _case_result_on_unknown_benchmark(g: Graph, n: dict[str, URIRef]) -> None:
    _replace(g, n["result"], GENRE.evaluatedOn, UNKNOWN_BENCHMARK)


def _case_result_without_provenance(g: Graph, n: dict[str, URIRef]) -> None:
    g.remove((n["result"], PROV.wasDerivedFrom, None))


def _case_feedback_with_rating_seven(g: Graph, n: dict[str, URIRef]) -> None:
    _replace(g, n["feedback"], GENRE.rating, Literal(7))


def _case_feedback_with_unknown_kind(g: Graph, n: dict[str, URIRef]) -> None:
    _replace(g, n["feedback"], GENRE.feedbackKind, Literal("love"))


def _case_rating_feedback_without_rating(g: Graph, n: dict[str, URIRef]) -> None:
    g.remove((n["feedback"], GENRE.rating, None))


def _case_feedback_about_a_user(g: Graph, n: dict[str, URIRef]) -> None:
    g.add((n["feedback"], GENRE.aboutModel, n["user"]))


def _case_preference_without_loser(g: Graph, n: dict[str, URIRef]) -> None:
    g.remove((n["feedback"], GENRE.rating, None))
    _replace(g, n["feedback"], GENRE.feedbackKind, Literal("prefer"))


def _case_preference_with_loser(g: Graph, n: dict[str, URIRef]) -> None:
    _case_preference_without_loser(g, n)
    loser = EX["preference_with_loser/other-model"]
    g.add((loser, RDF.type, GENRE.Model))
    g.add((loser, SKOS.prefLabel, Literal("Claude 3.5 Sonnet")))
    g.add((n["feedback"], GENRE.preferredOver, loser))


def _case_valid(g: Graph, n: dict[str, URIRef]) -> None:
    pass


# case -> (mutation, expected violations as {(focus node key, result path)}); a focus key that is
# not a fragment node name is the IRI itself; a path of None is a node-level constraint.
CASES = {
    "valid": (_case_valid, set()),
    "preference_with_loser": (_case_preference_with_loser, set()),
    "model_without_preflabel": (_case_model_without_preflabel, {("model", SKOS.prefLabel)}),
    "model_with_capability_as_modality": (
        _case_model_with_capability_as_modality,
        {("model", GENRE.supportsInputModality)},
    ),
    "offer_with_negative_price": (_case_offer_with_negative_price, {("offer", GENRE.inputPricePerMillionTokens)}),
    "offer_price_as_float": (_case_offer_price_as_float, {("offer", GENRE.outputPricePerMillionTokens)}),
    "offer_without_provider": (_case_offer_without_provider, {("offer", GENRE.offeredBy)}),
    "result_without_benchmark": (_case_result_without_benchmark, {("result", GENRE.evaluatedOn)}),
    "result_on_unknown_benchmark": (
        _case_result_on_unknown_benchmark,
        {("result", GENRE.evaluatedOn), (str(UNKNOWN_BENCHMARK), SKOS.prefLabel)},
    ),
    "result_without_provenance": (_case_result_without_provenance, {("result", PROV.wasDerivedFrom)}),
    "feedback_with_rating_seven": (_case_feedback_with_rating_seven, {("feedback", GENRE.rating)}),
    "feedback_with_unknown_kind": (_case_feedback_with_unknown_kind, {("feedback", GENRE.feedbackKind)}),
    "rating_feedback_without_rating": (_case_rating_feedback_without_rating, {("feedback", None)}),
    "feedback_about_a_user": (_case_feedback_about_a_user, {("user", SKOS.prefLabel)}),
    "preference_without_loser": (_case_preference_without_loser, {("feedback", None)}),
}


def shacl_validate(data: Graph, shapes: Graph, ont_graph: Graph) -> tuple[bool, Graph, URIRef]:
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ont_graph, inference="rdfs")
    report = next(results.subjects(RDF.type, SH.ValidationReport))
    return conforms, results, report


@pytest.fixture(scope="module")
def case_violations(shapes: Graph, ont_graph: Graph) -> dict[str, set[tuple[str, URIRef | None]]]:
    data = Graph()
    names: dict[URIRef, tuple[str, str]] = {}
    for case, (mutate, _) in CASES.items():
        g, nodes = fragment(case)
        mutate(g, nodes)
        data += g
        names.update({iri: (case, key) for key, iri in nodes.items()})
    _, results, report = shacl_validate(data, shapes, ont_graph)
    found: dict[str, set[tuple[str, URIRef | None]]] = collections.defaultdict(set)
    for result in results.objects(report, SH.result):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        assert results.value(result, SH.resultMessage) is not None, "every violation reads well"
        if focus in names:
            case, key = names[focus]
            found[case].add((key, path))
        elif focus == UNKNOWN_BENCHMARK:
            found["result_on_unknown_benchmark"].add((str(focus), path))
        else:
            found["<unexpected>"].add((str(focus), path))
    return found


def test_shapes_declare_targets_and_readable_messages(shapes: Graph) -> None:
    targets = set(shapes.objects(None, SH.targetClass))
    assert {GENRE.Model, GENRE.Offer, GENRE.BenchmarkResult, GENRE.Feedback} <= targets
    for prop_shape in shapes.objects(None, SH.property):
        assert shapes.value(prop_shape, SH.message) is not None or shapes.value(prop_shape, SH.name) is not None


def test_vocabularies_conform_to_the_shapes(ont_graph: Graph, shapes: Graph) -> None:
    conforms, _, text = pyshacl.validate(ont_graph, shacl_graph=shapes, inference="rdfs")
    assert conforms, text


def test_valid_descriptions_conform(shapes: Graph, ont_graph: Graph) -> None:
    data, _ = fragment("alone")
    conforms, results, _ = shacl_validate(data, shapes, ont_graph)
    assert conforms, results.serialize(format="turtle")


def test_valid_descriptions_conform_with_vocabularies_in_the_data_graph(
    shapes: Graph, ontology: Graph, vocab: Graph
) -> None:
    # the faster way to validate: vocabularies in the data graph, only the ontology mixed in
    data, _ = fragment("alone")
    conforms, results, _ = shacl_validate(data + vocab, shapes, ontology)
    assert conforms, results.serialize(format="turtle")


def test_no_violation_outside_the_cases(case_violations) -> None:
    assert case_violations.get("<unexpected>", set()) == set()


@pytest.mark.parametrize("case", sorted(CASES))
def test_shape_case(case_violations, case: str) -> None:
    _, expected = CASES[case]
    assert case_violations.get(case, set()) == expected
