"""Files sent inside JSON (base64, or ``data:`` URLs) written to a temporary folder for the linker.

Examples
--------
>>> decode_data_url("data:text/plain;base64,aGVsbG8=")
('text/plain', b'hello')
>>> with attachment_files([("../../etc/notes.txt", b"hello")]) as paths:
...     paths[0].name, paths[0].read_bytes()
('0-notes.txt', b'hello')
>>> decode_base64("not base64!", "report.pdf")
Traceback (most recent call last):
...
genre.errors.LinkingError: attachment 'report.pdf' is not valid base64
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from genre.errors import LinkingError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_DATA_URL = re.compile(r"^data:(?P<mime>[\w.+-]+/[\w.+-]+)?(?P<params>(?:;[\w.+-]+=[^;,]*)*)(?P<b64>;base64)?,", re.I)
_EXTENSIONS = {
    "audio/wav": ".wav",
    "audio/x-wav": ".wav",
    "audio/mpeg": ".mp3",
    "audio/mp3": ".mp3",
    "image/jpeg": ".jpg",
}


def decode_base64(text: str, name: str) -> bytes:
    """The bytes of base64 ``text`` (standard or URL-safe alphabet); :class:`LinkingError` when it is not base64."""
    cleaned = re.sub(r"\s+", "", text)
    try:
        if "-" in cleaned or "_" in cleaned:
            return base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
        return base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError) as error:
        raise LinkingError(f"attachment {name!r} is not valid base64") from error


def decode_data_url(url: str) -> tuple[str, bytes]:
    """The media type and bytes of a ``data:`` URL; :class:`LinkingError` for anything else."""
    match = _DATA_URL.match(url)
    if match is None:
        raise LinkingError("only data: URLs can be read as attachments (remote URLs are not fetched)")
    mime = (match.group("mime") or "text/plain").lower()
    payload = url[match.end() :]
    if match.group("b64"):
        return mime, decode_base64(payload, f"data:{mime}")
    from urllib.parse import unquote_to_bytes

    return mime, unquote_to_bytes(payload)


def extension_for(mime: str) -> str:
    """A file extension for a media type (``image/png`` → ``.png``; ``.bin`` when unknown)."""
    return _EXTENSIONS.get(mime) or mimetypes.guess_extension(mime) or ".bin"


def safe_name(name: str, index: int) -> str:
    """``name`` without folders or odd characters, prefixed by its position (``0-report.pdf``)."""
    base = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip("._")[:100] or "attachment"
    return f"{index}-{base}"


@contextmanager
def attachment_files(files: Sequence[tuple[str, bytes]]) -> Iterator[list[Path]]:
    """Write ``(filename, content)`` pairs to a temporary folder, yield their paths, then delete them."""
    with tempfile.TemporaryDirectory(prefix="genre-attach-") as folder:
        paths = []
        for index, (name, content) in enumerate(files):
            path = Path(folder) / safe_name(name, index)
            path.write_bytes(content)
            paths.append(path)
        yield paths
