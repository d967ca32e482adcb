"""Loaders: one module per public source, each turning a file or URL into records with provenance.

:data:`LOADERS` maps each source name to its loader class; ``genre kg build --source
NAME=PATH_OR_URL`` picks from it. :mod:`loaders.resolve` joins the model names of
all sources into one model each.

Examples
--------
>>> "litellm" in LOADERS
True
>>> LOADERS.load("litellm").default_path
'catalogs/litellm_model_prices_and_context_window.json'
"""

from genre.registry import Registry

LOADERS = Registry("loader")
"""Source name → loader class (imported on first use)."""

for _name, _path in {
    "litellm": "loaders.litellm:LiteLLMLoader",
    "models_dev": "loaders.models_dev:ModelsDevLoader",
    "helm": "loaders.helm:HelmLoader",
    "llmstats": "loaders.llmstats:LLMStatsLoader",
    "open_llm_v1": "loaders.open_llm_leaderboard:OpenLLMLeaderboardV1Loader",
    "open_llm_v2": "loaders.open_llm_leaderboard:OpenLLMLeaderboardV2Loader",
    "lmarena_text": "loaders.lmarena:LMArenaTextLoader",
    "lmarena_vision": "loaders.lmarena:LMArenaVisionLoader",
    "epoch": "loaders.epoch:EpochLoader",
}.items():
    LOADERS.register(_name, _path)

__all__ = ["LOADERS"]
