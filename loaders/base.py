"""What every loader shares: the base class, reading a local file or a URL, parsing helpers.

A loader is a subclass of :class:`Loader` registered in :data:`loaders.LOADERS`.
It knows its source's title, licence, home page and the file name under the data
folder (``default_path``); :meth:`Loader.load` reads a path or URL and returns a
:class:`~loaders.records.SourceBatch`. Malformed input raises
:class:`~genre.errors.LoaderError` naming the file and what was wrong.

Examples
--------
>>> parse_float("1,234.5")
1234.5
>>> parse_float("81.3%")
81.3
>>> parse_float("") is None
True
>>> parse_date("24 April 2025 3:01pm")
datetime.date(2025, 4, 24)
>>> parse_date("2023-09")
datetime.date(2023, 9, 1)
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import tarfile
import tempfile
import urllib.request
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, ClassVar

from genre.errors import LoaderError
from loaders.records import MODALITY_IDS, SourceBatch, SourceInfo

URL_TIMEOUT_S = 60


def is_url(location: str) -> bool:
    """True when ``location`` is an http(s) URL rather than a local path."""
    return location.startswith(("http://", "https://"))


def read_bytes(location: str | Path) -> bytes:
    """Read a local file or download a URL; gzip files (``.gz``) are decompressed.

    Raises :class:`LoaderError` when the file is missing or the URL cannot be fetched.
    """
    location = str(location)
    try:
        if is_url(location):
            with urllib.request.urlopen(location, timeout=URL_TIMEOUT_S) as response:  # noqa: S310 - user-given URL
                data = response.read()
        else:
            path = Path(location).expanduser()
            if not path.is_file():
                raise LoaderError(f"source file not found: {path}")
            data = path.read_bytes()
    except OSError as error:
        raise LoaderError(f"cannot read {location}: {error}") from error
    if location.endswith(".gz") or data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except OSError as error:
            raise LoaderError(f"{location} is not a valid gzip file: {error}") from error
    return data


def read_text(location: str | Path) -> str:
    """Read a file or URL as UTF-8 text (a byte-order mark is dropped)."""
    data = read_bytes(location)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LoaderError(f"{location} is not UTF-8 text: {error}") from error


def read_json(location: str | Path) -> Any:
    """Parse a JSON file or URL; malformed JSON raises :class:`LoaderError` with the position."""
    try:
        return json.loads(read_text(location))
    except json.JSONDecodeError as error:
        raise LoaderError(f"{location} is not valid JSON: {error}") from error


def read_csv(location: str | Path, *, required: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Parse a CSV file or URL with a header row into dicts.

    ``required`` columns must be present, otherwise :class:`LoaderError` lists the
    columns that are missing and those the file has.
    """
    text = read_text(location)
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = reader.fieldnames or []
        missing = [column for column in required if column not in header]
        if missing:
            raise LoaderError(
                f"{location} is missing CSV column(s) {', '.join(missing)}", options=[h for h in header if h]
            )
        return list(reader)
    except csv.Error as error:
        raise LoaderError(f"{location} is not valid CSV: {error}") from error


def retrieval_date(location: str) -> date:
    """The date a source was retrieved: today for a URL, the modification date for a file."""
    if is_url(location):
        return datetime.now(timezone.utc).date()
    path = Path(location).expanduser()
    if path.exists():
        return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).date()
    return datetime.now(timezone.utc).date()


_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+]?\.\d+")


def parse_float(value: object) -> float | None:
    """A number from a cell such as ``"81.3%"``, ``"$0.13"``, ``"1,234"``; ``None`` when blank."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    match = _NUMBER.search(str(value))
    if match is None:
        return None
    return float(match.group(0).replace(",", ""))


def parse_int(value: object) -> int | None:
    """An integer from a cell, or ``None`` when blank or not a number."""
    number = parse_float(value)
    return None if number is None else int(round(number))


def parse_bool(value: object) -> bool | None:
    """``True``/``False`` from ``true``, ``FALSE``, ``1``, ``yes``...; ``None`` when blank or unknown."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if value is not None else ""
    if text in {"true", "1", "yes", "y"}:
        return True
    if text in {"false", "0", "no", "n"}:
        return False
    return None


_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m", "%Y/%m/%d", "%d %B %Y", "%B %d, %Y", "%b %d, %Y", "%Y")


def parse_date(value: object) -> date | None:
    """A date from the many spellings sources use; a month alone means its first day.

    Returns ``None`` for blank or unparseable values (sources have free-text date cells).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    iso = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if iso:
        try:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
    head = re.split(r"\s+\d{1,2}:\d{2}", text)[0].strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    return None


def per_million(price_per_token: object) -> float | None:
    """A price per token as USD per million tokens, rounded to 6 decimals against float noise.

    >>> per_million(2.5e-06), per_million("0.000015"), per_million(None)
    (2.5, 15.0, None)
    """
    number = parse_float(price_per_token)
    return None if number is None else round(number * 1_000_000, 6)


_MODALITY_SPELLINGS = {"pdf": "document", "file": "document", "files": "document", "documents": "document"}


def parse_modalities(values: Iterable[object] | None) -> frozenset[str]:
    """Modality ids (:data:`~loaders.records.MODALITY_IDS`) from a source's spellings.

    ``pdf`` and ``file`` mean ``document``; spellings that are not a modality (``code``) are dropped.

    >>> sorted(parse_modalities(["Text", "image", "pdf", "code"]))
    ['document', 'image', 'text']
    """
    found = set()
    for value in values or ():
        text = str(value).strip().lower()
        text = _MODALITY_SPELLINGS.get(text, text)
        if text in MODALITY_IDS:
            found.add(text)
    return frozenset(found)


_INPUT_CAPABILITIES = {
    "image": "vision",
    "audio": "audio-understanding",
    "video": "video-understanding",
    "document": "document-understanding",
}
_OUTPUT_CAPABILITIES = {
    "text": "text-generation",
    "audio": "speech-generation",
    "image": "image-generation",
    "video": "video-generation",
}


def modality_capabilities(inputs: Iterable[str], outputs: Iterable[str]) -> frozenset[str]:
    """The capabilities that input and output modalities imply (image in -> ``vision``...).

    >>> sorted(modality_capabilities({"text", "image"}, {"text"}))
    ['text-generation', 'vision']
    """
    return frozenset(
        [_INPUT_CAPABILITIES[m] for m in inputs if m in _INPUT_CAPABILITIES]
        + [_OUTPUT_CAPABILITIES[m] for m in outputs if m in _OUTPUT_CAPABILITIES]
    )


ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar")


def unpack_archive(data: bytes, folder: Path, *, name: str) -> Path:
    """Unpack a zip or tar archive (already un-gzipped) into ``folder`` and return its root.

    When the archive holds a single top folder (as GitHub's archives do) that folder is the
    root. Members that would land outside ``folder`` are refused.
    """
    try:
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    if not (folder / member).resolve().is_relative_to(folder.resolve()):
                        raise LoaderError(f"{name}: archive member {member!r} points outside the archive")
                archive.extractall(folder)
        else:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
                archive.extractall(folder, filter="data")
    except (zipfile.BadZipFile, tarfile.TarError) as error:
        raise LoaderError(f"{name} is not a readable zip or tar archive: {error}") from error
    entries = list(folder.iterdir())
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else folder


class Loader(ABC):
    """A source of model facts; subclasses set the class attributes and implement :meth:`parse`.

    Attributes
    ----------
    name:
        Registry name, used on the command line (``--source litellm=PATH``).
    title, licence, homepage:
        Written as the provenance of every fact the loader produces.
    default_path:
        The source's file or folder relative to the data folder (``GENRE_DATA_DIR``).
    """

    name: ClassVar[str]
    title: ClassVar[str]
    licence: ClassVar[str]
    homepage: ClassVar[str]
    default_path: ClassVar[str]
    folder_source: ClassVar[bool] = False
    """True for sources that are a folder of files: they also accept a .zip or .tar.gz, local or by URL."""

    def load(self, location: str | Path) -> SourceBatch:
        """Read ``location`` (a path or URL) and return everything it says, with provenance."""
        location = str(location)
        source = SourceInfo(
            name=self.name,
            title=self.title,
            location=location,
            retrieved=retrieval_date(location),
            licence=self.licence,
            homepage=self.homepage,
        )
        batch = SourceBatch(source=source)
        try:
            with self._readable(location) as readable:
                self.parse(readable, batch)
        except LoaderError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise LoaderError(f"{self.name}: {location} does not have the expected structure: {error!r}") from error
        return batch

    @contextmanager
    def _readable(self, location: str) -> Iterator[str]:
        """``location`` itself, or, for a folder source given as a URL or archive, the unpacked folder."""
        if not self.folder_source or not (is_url(location) or location.endswith(ARCHIVE_SUFFIXES)):
            yield location
            return
        with tempfile.TemporaryDirectory(prefix=f"genre-{self.name}-") as folder:
            yield str(unpack_archive(read_bytes(location), Path(folder), name=location))

    @abstractmethod
    def parse(self, location: str, batch: SourceBatch) -> None:
        """Fill ``batch`` with the providers, models, offers and results read from ``location``."""

    @staticmethod
    def iter_files(location: str, pattern: str) -> Iterator[Path]:
        """Files under a local folder matching ``pattern`` (sorted); error if the folder is missing."""
        folder = Path(location).expanduser()
        if not folder.is_dir():
            raise LoaderError(f"source folder not found: {folder}")
        return iter(sorted(folder.glob(pattern)))
