"""Stanford CRFM HELM's model metadata: who made each model, when, how big, open or not, what it does.

The source is HELM's ``model_metadata.yaml``: a top-level ``models`` list whose entries
have ``name`` (``"<org>/<model>"``), ``display_name``, ``description``,
``creator_organization_name``, ``access`` (``open``/``limited``/``closed``),
``num_parameters``, ``release_date`` (``release`` in a few entries) and ``tags``.

Each entry gives a :class:`~loaders.records.ModelMention` whose creator is the
lower-cased ``<org>`` of its name, and each organisation a
:class:`~loaders.records.ProviderRecord` carrying its display name. The test entry
``simple/model1`` and repeats of a name already read are left out and counted in the
batch's ``skipped``. HELM lists no offers here, and its scores live elsewhere.

Tags become modalities and capabilities through :data:`TAGS`; tags about HELM's own
run settings (``DEPRECATED_MODEL_TAG``, ``ABLATION_MODEL_TAG``, ``NO_NEWLINES_TAG``,
vendor-family tags...) carry no capability and are ignored.

Examples
--------
>>> inputs, outputs, capabilities = tag_facts(["TEXT_MODEL_TAG", "VISION_LANGUAGE_MODEL_TAG"])
>>> sorted(inputs), sorted(outputs), sorted(capabilities)
(['image', 'text'], ['text'], ['text-generation', 'vision'])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import yaml

from genre.errors import LoaderError
from loaders.base import Loader, modality_capabilities, parse_date, parse_int, read_text
from loaders.records import ModelMention, ProviderRecord, SourceBatch


class TagFacts(NamedTuple):
    """What a HELM tag says about a model."""

    inputs: frozenset[str] = frozenset()
    outputs: frozenset[str] = frozenset()
    capabilities: frozenset[str] = frozenset()


_TEXT = TagFacts(frozenset({"text"}), frozenset({"text"}))
_VISION = TagFacts(frozenset({"text", "image"}), frozenset({"text"}))

TAGS: dict[str, TagFacts] = {
    "TEXT_MODEL_TAG": _TEXT,
    "FULL_FUNCTIONALITY_TEXT_MODEL_TAG": _TEXT,
    "LIMITED_FUNCTIONALITY_TEXT_MODEL_TAG": _TEXT,
    "PARTIAL_FUNCTIONALITY_TEXT_MODEL_TAG": _TEXT,
    "CODE_MODEL_TAG": _TEXT._replace(capabilities=frozenset({"code-generation"})),
    "INSTRUCTION_FOLLOWING_MODEL_TAG": TagFacts(capabilities=frozenset({"instruction-following"})),
    "VISION_LANGUAGE_MODEL_TAG": _VISION,
    "FULL_FUNCTIONALITY_VLM_TAG": _VISION,
    "LIMITED_FUNCTIONALITY_VLM_TAG": _VISION,
    "LLAVA_MODEL_TAG": _VISION,
    "IDEFICS_MODEL_TAG": _VISION,
    "IDEFICS_INSTRUCT_MODEL_TAG": _VISION,
    "OPEN_FLAMINGO_MODEL_TAG": _VISION,
    "GOOGLE_GEMINI_PRO_VISION_V1_TAG": _VISION,
    "AUDIO_LANGUAGE_MODEL_TAG": TagFacts(frozenset({"audio"}), frozenset({"text"})),
    "TEXT_TO_IMAGE_MODEL_TAG": TagFacts(frozenset({"text"}), frozenset({"image"})),
    "TEXT_SIMILARITY_MODEL_TAG": TagFacts(frozenset({"text"}), capabilities=frozenset({"embedding"})),
}
"""HELM tag -> the modalities and capabilities it implies (image in implies ``vision``, etc.)."""

_SKIPPED_ORGS = frozenset({"simple"})  # HELM's built-in test model


def tag_facts(tags: Iterable[str]) -> TagFacts:
    """Input and output modalities and capabilities implied by a model's tags together."""
    inputs: set[str] = set()
    outputs: set[str] = set()
    capabilities: set[str] = set()
    for tag in tags:
        facts = TAGS.get(tag, TagFacts())
        inputs |= facts.inputs
        outputs |= facts.outputs
        capabilities |= facts.capabilities
    capabilities |= modality_capabilities(inputs, outputs)
    return TagFacts(frozenset(inputs), frozenset(outputs), frozenset(capabilities))


class HelmLoader(Loader):
    """Model mentions (and their makers) from HELM's ``model_metadata.yaml``.

    Examples
    --------
    >>> HelmLoader.name, HelmLoader.licence
    ('helm', 'Apache-2.0')
    """

    name = "helm"
    title = "HELM model metadata (Stanford CRFM)"
    licence = "Apache-2.0"
    homepage = "https://crfm.stanford.edu/helm/"
    default_path = "catalogs/helm_model_metadata.yaml"

    def parse(self, location: str, batch: SourceBatch) -> None:
        """Fill ``batch`` with one mention per model in ``location`` and one provider per maker."""
        try:
            data = yaml.safe_load(read_text(location))
        except yaml.YAMLError as error:
            raise LoaderError(f"{location} is not valid YAML: {error}") from error
        entries = data.get("models") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise LoaderError(f"{location} is not HELM model metadata: expected a top-level 'models' list")
        makers: dict[str, str | None] = {}
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise LoaderError(f"{location}: models[{index}] has no 'name'")
            org = entry["name"].split("/", 1)[0].lower()
            reason = "test model" if org in _SKIPPED_ORGS else "repeated name" if entry["name"] in seen else None
            if reason:
                batch.skipped[reason] = batch.skipped.get(reason, 0) + 1
                continue
            seen.add(entry["name"])
            makers.setdefault(org, entry.get("creator_organization_name"))
            batch.models.append(_mention(entry, org))
        batch.providers.extend(ProviderRecord(provider_id=org, name=name) for org, name in makers.items())


def _mention(entry: dict[str, Any], org: str) -> ModelMention:
    """The mention one HELM entry gives.

    Entries whose tags name no modality (old models HELM only tags ``DEPRECATED``) are
    text models: HELM's core evaluations are text in, text out.
    """
    facts = tag_facts(entry.get("tags") or ())
    if not facts.inputs and not facts.outputs:
        facts = tag_facts(["TEXT_MODEL_TAG", *(entry.get("tags") or ())])
    access = str(entry.get("access") or "").strip().lower()
    return ModelMention(
        source_id=entry["name"],
        name=entry.get("display_name") or None,
        creator=org,
        description=entry.get("description") or None,
        release_date=parse_date(entry.get("release_date") or entry.get("release")),
        parameter_count=parse_int(entry.get("num_parameters")),
        open_weights=(access == "open") if access else None,
        input_modalities=facts.inputs,
        output_modalities=facts.outputs,
        capabilities=facts.capabilities,
    )
