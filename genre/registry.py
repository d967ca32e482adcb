"""Named plugin registries, resolved lazily by module path.

One registry per plugin family (loaders, scorers, Cypher back ends...). A plugin
is registered by name and ``"module:attribute"`` path, the way rdflib registers its
plugins, so that listing the names imports nothing and only the plugin asked for
is imported. Unknown names raise :class:`~genre.errors.ConfigError` listing the
valid ones.

Like :mod:`genre.errors`, this module imports nothing else from GENRE, so every
layer may use it.

Examples
--------
>>> numbers = Registry("number format")
>>> numbers.register("json", "json:dumps")
>>> numbers.names()
['json']
>>> numbers.load("json")([1, 2])
'[1, 2]'
>>> numbers.load("yaml")
Traceback (most recent call last):
...
genre.errors.ConfigError: unknown number format 'yaml' (valid options: json)
"""

from __future__ import annotations

import importlib
from typing import Any

from genre.errors import ConfigError


class Registry:
    """Names mapped to ``"module:attribute"`` paths, imported on first use.

    Parameters
    ----------
    kind:
        What the plugins are, in words (``"loader"``), used in error messages.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._paths: dict[str, str] = {}
        self._loaded: dict[str, Any] = {}

    def register(self, name: str, path: str) -> None:
        """Register the plugin ``name`` found at ``path`` (``"package.module:Attribute"``)."""
        if ":" not in path:
            raise ConfigError(f"plugin path {path!r} for {self.kind} {name!r} must look like 'module:attribute'")
        self._paths[name] = path
        self._loaded.pop(name, None)

    def names(self) -> list[str]:
        """The registered names, sorted."""
        return sorted(self._paths)

    def __contains__(self, name: object) -> bool:
        return name in self._paths

    def load(self, name: str) -> Any:
        """Import and return the plugin registered as ``name``."""
        if name not in self._paths:
            raise ConfigError(f"unknown {self.kind} {name!r}", options=self._paths)
        if name not in self._loaded:
            module_name, attribute = self._paths[name].split(":", 1)
            self._loaded[name] = getattr(importlib.import_module(module_name), attribute)
        return self._loaded[name]
