"""Sentence vectors of many texts, cached on disk by text hash.

Past requests (routing logs hold thousands of prompts) are embedded with the packaged
all-MiniLM-L6-v2 (:func:`kg.linking.semantic.load_model`, loaded by path, offline). Embedding
13k prompts takes minutes on two cores, so every vector is kept under
``$GENRE_HOME/cache/text-vectors`` in chunk files keyed by the SHA-1 of the text: a second run
of an import or an evaluation embeds only the texts it has not seen.

Examples
--------
>>> import tempfile, numpy as np
>>> folder = Path(tempfile.mkdtemp())
>>> first = embed_texts(["sort a list in Python", "translate to French"], cache_dir=folder)
>>> first.shape
(2, 384)
>>> again = embed_texts(["translate to French"], cache_dir=folder)   # read from the cache
>>> bool(np.allclose(again[0], first[1]))
True
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DIMENSION = 384
"""Width of an all-MiniLM-L6-v2 vector."""

_LOCK = threading.Lock()
_MEMORY: dict[Path, dict[str, np.ndarray]] = {}


def focus_text(text: str, limit: int = 1000) -> str:
    """The part of a long prompt that says what is asked: its last paragraphs, up to ``limit`` characters.

    Routing logs hold few-shot prompts whose first 256 tokens (all MiniLM reads) are the same
    worked examples for every question; the question itself comes last.

    >>> focus_text("Q: 1+1?\\nA: 2\\n\\nQ: 2+3?", limit=10)
    'Q: 2+3?'
    """
    if len(text) <= limit:
        return text
    kept: list[str] = []
    size = 0
    for block in reversed(text.split("\n\n")):
        if kept and size + len(block) > limit:
            break
        kept.append(block)
        size += len(block) + 2
    return "\n\n".join(reversed(kept))[-limit:]


def default_cache_dir() -> Path:
    """``$GENRE_HOME/cache/text-vectors``."""
    from genre.settings import Settings

    return Settings.load().home / "cache" / "text-vectors"


def text_key(text: str) -> str:
    """The hex SHA-1 of ``text`` (its cache key)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _index(folder: Path) -> dict[str, np.ndarray]:
    """Every cached vector in ``folder`` (read once per process)."""
    if folder not in _MEMORY:
        vectors: dict[str, np.ndarray] = {}
        for chunk in sorted(folder.glob("chunk-*.npz")) if folder.is_dir() else []:
            try:
                with np.load(chunk) as data:
                    for key, vector in zip(data["keys"], data["vectors"], strict=True):
                        vectors[str(key)] = vector
            except (OSError, ValueError, KeyError):
                continue  # a damaged chunk only costs time: its texts are embedded again
        _MEMORY[folder] = vectors
    return _MEMORY[folder]


def _encode(texts: list[str], batch_size: int) -> np.ndarray:
    from kg.linking.semantic import load_model

    model = load_model()
    vectors = model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True)
    return np.asarray(vectors, dtype=np.float32)


def embed_query(text: str) -> np.ndarray:
    """The unit vector of one request, embedded on one thread and not cached (it is rarely asked twice).

    One short text gains little from a second thread, and on a busy machine the thread pool can
    wait for a descheduled worker (as :meth:`kg.linking.semantic.SemanticLinker._encode` notes).
    """
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _encode([text], batch_size=1)[0]
    finally:
        torch.set_num_threads(threads)


def embed_texts(
    texts: Sequence[str], *, cache_dir: Path | None = None, batch_size: int = 64, progress: bool = False
) -> np.ndarray:
    """Unit vectors (``len(texts)`` × 384, float32) of ``texts``; new ones are embedded and cached.

    ``cache_dir`` defaults to :func:`default_cache_dir`; pass a folder of your own in tests.
    """
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    keys = [text_key(text) for text in texts]
    with _LOCK:
        index = _index(folder)
        missing = list(dict.fromkeys(key for key in keys if key not in index))
        if missing:
            first = {}
            for key, text in zip(keys, texts, strict=True):
                first.setdefault(key, text)
            todo = [first[key] for key in missing]
            new: list[np.ndarray] = []
            step = 2048
            for start in range(0, len(todo), step):
                new.append(_encode(todo[start : start + step], batch_size))
                if progress:
                    print(f"embedded {min(start + step, len(todo))}/{len(todo)} texts", flush=True)
            vectors = np.concatenate(new) if new else np.zeros((0, DIMENSION), np.float32)
            for key, vector in zip(missing, vectors, strict=True):
                index[key] = vector
            _save_chunk(folder, missing, vectors)
    if not keys:
        return np.zeros((0, DIMENSION), np.float32)
    return np.stack([index[key] for key in keys])


def _save_chunk(folder: Path, keys: list[str], vectors: np.ndarray) -> None:
    """Write one chunk atomically (a cache that cannot be written only costs time)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha1("".join(keys).encode()).hexdigest()[:16]
        target = folder / f"chunk-{name}.npz"
        temporary = folder / f".chunk-{name}-{os.getpid()}.npz"
        np.savez(temporary, keys=np.array(keys, dtype="U40"), vectors=vectors)
        os.replace(temporary, target)
    except OSError:
        pass
