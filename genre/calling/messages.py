"""OpenAI-style chat messages: checked, built from text and files, and read back into a request to link.

A conversation is plain text (one user message) or a list of ``{"role", "content"}`` messages whose
content is text or a list of parts. The parts a model is handed are passed through as they are:

==============  ==========================================================================
part type       shape
==============  ==========================================================================
``text``        ``{"type": "text", "text": "..."}``
``image_url``   ``{"type": "image_url", "image_url": {"url": "data:image/png;base64,..." or "https://..."}}``
``input_audio`` ``{"type": "input_audio", "input_audio": {"data": "<base64>", "format": "wav"}}``
``file``        ``{"type": "file", "file": {"filename": "a.pdf", "file_data": "data:application/pdf;base64,..."}}``
==============  ==========================================================================

:func:`attachment_part` turns a file into the right part (its type read from its bytes by
:mod:`kg.linking.attachments`); :func:`request_content` reads a conversation back into the text and
files that the recommender links, so an attached image asks for a vision model.

Examples
--------
>>> normalise_messages("hello")
[{'role': 'user', 'content': 'hello'}]
>>> part = attachment_part_from_bytes(b"print('hi')\\n", name="hi.py")
>>> part["type"], part["text"].splitlines()[0]
('text', 'hi.py:')
>>> import io, wave
>>> buffer = io.BytesIO()
>>> with wave.open(buffer, "wb") as stream:
...     stream.setnchannels(1); stream.setsampwidth(1); stream.setframerate(8000); stream.writeframes(bytes(800))
>>> wav = buffer.getvalue()
>>> content = request_content([user_message("transcribe this", [attachment_part_from_bytes(wav, name="a.wav")])])
>>> content.text, [(name, len(data)) for name, data in content.files], content.remote_modalities
('transcribe this', [('audio-1.wav', 844)], [])
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genre.errors import ConfigError, LinkingError

ROLES = ("system", "developer", "user", "assistant", "tool", "function")
PART_TYPES = ("text", "image_url", "input_audio", "file")
MIME = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "GIF": "image/gif",
    "WebP": "image/webp",
    "PDF": "application/pdf",
    "DOCX": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "MP4/MOV": "video/mp4",
    "WebM": "video/webm",
    "MKV": "video/x-matroska",
    "AVI": "video/x-msvideo",
}
EXTENSION = {mime: name.lower().split("/")[0] for name, mime in MIME.items()}
EXTENSION.update({"image/jpeg": "jpg", "application/pdf": "pdf", "image/jpg": "jpg"})

Messages = str | Sequence[Mapping[str, Any]]
"""Plain text (one user message) or OpenAI-style ``{"role", "content"}`` messages."""


def normalise_messages(messages: Messages) -> list[dict[str, Any]]:
    """Copies of the messages as plain dicts; text becomes one user message.

    Raises
    ------
    ConfigError
        Not text or a non-empty list of messages, a role outside :data:`ROLES`, content that is not
        text or a list of typed parts, or no user message.
    """
    if isinstance(messages, str):
        if not messages.strip():
            raise ConfigError("the request is empty: give some text or messages")
        return [{"role": "user", "content": messages}]
    if isinstance(messages, Mapping) or not isinstance(messages, Sequence) or not messages:
        raise ConfigError("messages must be text or a non-empty list of {'role', 'content'} objects")
    out: list[dict[str, Any]] = []
    for number, message in enumerate(messages, start=1):
        if not isinstance(message, Mapping):
            raise ConfigError(f"message {number} is not an object with 'role' and 'content'")
        role = message.get("role")
        if role not in ROLES:
            raise ConfigError(f"message {number} has role {role!r}", options=ROLES)
        content = message.get("content")
        if isinstance(content, list):
            for index, part in enumerate(content, start=1):
                if not isinstance(part, Mapping) or not isinstance(part.get("type"), str):
                    raise ConfigError(
                        f"message {number}, part {index} is not an object with a 'type'", options=PART_TYPES
                    )
        elif content is not None and not isinstance(content, str):
            raise ConfigError(
                f"message {number}: content must be text or a list of parts, got {type(content).__name__}"
            )
        copied = dict(message)
        if isinstance(content, list):
            copied["content"] = [dict(part) for part in content]
        out.append(copied)
    if not any(message["role"] == "user" for message in out):
        raise ConfigError("the messages hold no user message")
    return out


def user_message(text: str, parts: Iterable[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """A user message: plain text, or a text part followed by ``parts`` (files as :func:`attachment_part`)."""
    extra = [dict(part) for part in parts]
    if not extra:
        return {"role": "user", "content": text}
    return {"role": "user", "content": [{"type": "text", "text": text}, *extra]}


def attachment_part(path: str | Path) -> dict[str, Any]:
    """The message part for the file at ``path``; its type is read from its content.

    Raises
    ------
    LinkingError
        The file cannot be read or is of an unsupported type.
    """
    from kg.linking.attachments import inspect_file

    file = Path(path)
    inspect_file(file)  # size limit and a clear error for unreadable files, before reading it whole
    return attachment_part_from_bytes(file.read_bytes(), name=file.name)


def attachment_part_from_bytes(data: bytes, *, name: str) -> dict[str, Any]:
    """The message part for a file's bytes: image, audio, text, or a file part for documents and video."""
    from kg.linking.attachments import inspect_bytes

    info = inspect_bytes(data, name=name)
    encoded = base64.b64encode(data).decode("ascii")
    if info.kind == "image":
        return {"type": "image_url", "image_url": {"url": f"data:{MIME[info.format]};base64,{encoded}"}}
    if info.kind == "audio":
        return {"type": "input_audio", "input_audio": {"data": encoded, "format": info.format.lower()}}
    if info.kind in ("text", "code"):
        return {"type": "text", "text": f"{name}:\n{data.decode('utf-8', errors='replace')}"}
    mime = MIME.get(info.format, "application/octet-stream")
    return {"type": "file", "file": {"filename": name, "file_data": f"data:{mime};base64,{encoded}"}}


@dataclass(frozen=True, slots=True)
class RequestContent:
    """What a conversation asks, for linking: the last user text, inline files, and modalities given by URL."""

    text: str
    files: list[tuple[str, bytes]] = field(default_factory=list)
    remote_modalities: list[str] = field(default_factory=list)


def request_content(messages: Messages) -> RequestContent:
    """The text of the last user message, and the files of every user message (decoded from base64).

    Images given by an ``https://`` URL are not fetched (GENRE stays offline); they are reported in
    ``remote_modalities`` so the request still needs a vision model.

    Raises
    ------
    LinkingError
        A part's inline data is not valid base64 or a ``data:`` URL.
    """
    chat = normalise_messages(messages)
    users = [message for message in chat if message["role"] == "user"]
    last = users[-1]["content"]
    if isinstance(last, str) or last is None:
        text = last or ""
    else:
        text = "\n".join(str(part.get("text", "")) for part in last if part.get("type") == "text")
    files: list[tuple[str, bytes]] = []
    remote: set[str] = set()
    for message in users:
        if not isinstance(message["content"], list):
            continue
        for part in message["content"]:
            found = _inline_file(part, len(files) + 1)
            if isinstance(found, tuple):
                files.append(found)
            elif found:
                remote.add(found)
    return RequestContent(text, files, sorted(remote))


def _inline_file(part: Mapping[str, Any], number: int) -> tuple[str, bytes] | str | None:
    """``(name, bytes)`` for inline data, a modality for data given by URL only, None for text."""
    kind = part.get("type")
    if kind == "image_url":
        image = part.get("image_url")
        url = image.get("url", "") if isinstance(image, Mapping) else str(image or "")
        if not url.startswith("data:"):
            return "image"
        mime, data = _data_url(url, "image_url")
        return f"image-{number}.{EXTENSION.get(mime, mime.rsplit('/', 1)[-1] or 'bin')}", data
    if kind == "input_audio":
        audio = part.get("input_audio")
        if not isinstance(audio, Mapping) or not isinstance(audio.get("data"), str):
            raise LinkingError("an input_audio part needs {'data': <base64>, 'format': 'wav' or 'mp3'}")
        return f"audio-{number}.{str(audio.get('format') or 'wav').lower()}", _base64(audio["data"], "input_audio")
    if kind == "file":
        file = part.get("file")
        if not isinstance(file, Mapping) or not isinstance(file.get("file_data"), str):
            return "document" if isinstance(file, Mapping) and file.get("file_id") else None
        name = str(file.get("filename") or f"file-{number}")
        data_url = file["file_data"]
        data = _data_url(data_url, "file")[1] if data_url.startswith("data:") else _base64(data_url, "file")
        return name, data
    return None


def _data_url(url: str, kind: str) -> tuple[str, bytes]:
    header, _, payload = url.partition(",")
    if not header.endswith(";base64") or not payload:
        raise LinkingError(f"a {kind} part's data: URL must be base64 (data:<type>;base64,<data>)")
    return header[len("data:") : -len(";base64")], _base64(payload, kind)


def _base64(text: str, kind: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise LinkingError(f"a {kind} part holds data that is not valid base64: {error}") from error
