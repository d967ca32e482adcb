"""Attachments: what a file is (from its bytes, not its name), and what it asks of a model.

Each attachment gives a required input modality and an estimate of its input tokens:

============  ====================================  =============================================
kind          detected by                           measured
============  ====================================  =============================================
image         PNG, JPEG, GIF, WebP signatures       pixel size from the header; tokens as 512-px tiles
audio         WAV (RIFF/WAVE), MP3, OGG, FLAC, M4A  duration (``wave``; headers; size and bit rate)
video         MP4/MOV (ftyp), WebM/MKV (EBML), AVI  duration from ``mvhd`` when present, else size
document      PDF (pages), DOCX (zip text)          pages, text tokens
text / code   UTF-8 text without NUL bytes          tokens (about 4 characters each)
============  ====================================  =============================================

Token rates: :data:`TOKENS_PER_TILE`, :data:`AUDIO_TOKENS_PER_SECOND`, :data:`VIDEO_TOKENS_PER_SECOND`,
:data:`TOKENS_PER_PDF_PAGE`, :data:`CHARS_PER_TOKEN`. An unreadable or unsupported file raises
:class:`~genre.errors.LinkingError` naming the file and the supported types.

Examples
--------
>>> import struct
>>> png = b"\\x89PNG\\r\\n\\x1a\\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 640, 480, 8, 2, 0, 0, 0)
>>> info = inspect_bytes(png, name="photo.bin")
>>> info.kind, info.modality, info.width, info.height, info.tokens
('image', 'image', 640, 480, 425)
"""

from __future__ import annotations

import io
import math
import re
import struct
import wave
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from genre.errors import LinkingError

SUPPORTED = (
    "PNG",
    "JPEG",
    "GIF",
    "WebP",
    "WAV",
    "MP3",
    "OGG",
    "FLAC",
    "M4A",
    "MP4/MOV",
    "WebM/MKV",
    "AVI",
    "PDF",
    "DOCX",
    "UTF-8 text or code",
)
TOKENS_PER_TILE = 170
"""Tokens per 512×512 tile of an image, plus :data:`IMAGE_BASE_TOKENS` (OpenAI's published rule)."""
IMAGE_BASE_TOKENS = 85
AUDIO_TOKENS_PER_SECOND = 32
"""Gemini counts 32 tokens per second of audio."""
VIDEO_TOKENS_PER_SECOND = 263
"""Gemini counts 263 tokens per second of video (frames at 1 fps plus audio)."""
TOKENS_PER_PDF_PAGE = 750
"""A PDF page sent as text and page image costs about this many tokens (text plus layout)."""
CHARS_PER_TOKEN = 4.0
"""English text and code average about four characters per token."""
CHINESE_CHARS_PER_TOKEN = 1.0
MAX_BYTES = 512 * 1024 * 1024

_MP3_BITRATES = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


@dataclass(frozen=True, slots=True)
class Attachment:
    """What one attached file is and what it needs."""

    name: str
    kind: str
    format: str
    modality: str
    tokens: int
    bytes: int
    width: int | None = None
    height: int | None = None
    seconds: float | None = None
    pages: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The measured facts, without the empty ones."""
        return {key: value for key, value in asdict(self).items() if value is not None}


def inspect_file(path: str | Path) -> Attachment:
    """Identify and measure the file at ``path``."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise LinkingError(f"attachment {file.name} is larger than {MAX_BYTES // 2**20} MiB")
        data = file.read_bytes()
    except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
        raise LinkingError(f"attachment {file} cannot be read: {error.strerror or error}") from error
    return inspect_bytes(data, name=file.name)


def inspect_bytes(data: bytes, *, name: str) -> Attachment:
    """Identify and measure a file's content; ``name`` is only used in messages."""
    if not data:
        raise LinkingError(f"attachment {name} is empty", options=SUPPORTED)
    for detect in (_image, _audio, _video, _document):
        found = detect(data, name)
        if found is not None:
            return found
    text = _as_text(data)
    if text is None:
        raise LinkingError(f"attachment {name} is not a supported file type", options=SUPPORTED)
    code = _looks_like_code(text, name)
    return Attachment(
        name, "code" if code else "text", "code" if code else "text", "text", text_tokens(text), len(data)
    )


def text_tokens(text: str) -> int:
    """An estimate of the tokens of ``text`` (4 characters each; Chinese characters 1 each)."""
    chinese = len(re.findall(r"[\u3400-\u9fff]", text))
    return int(math.ceil((len(text) - chinese) / CHARS_PER_TOKEN + chinese / CHINESE_CHARS_PER_TOKEN))


# -- images ----------------------------------------------------------------------------------
def _image(data: bytes, name: str) -> Attachment | None:
    size: tuple[int, int] | None = None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        fmt = "PNG"
        if len(data) < 24 or data[12:16] != b"IHDR":
            raise LinkingError(f"attachment {name} is a damaged PNG (no IHDR header)")
        size = struct.unpack(">II", data[16:24])
    elif data[:6] in (b"GIF87a", b"GIF89a"):
        fmt = "GIF"
        if len(data) < 10:
            raise LinkingError(f"attachment {name} is a damaged GIF")
        size = struct.unpack("<HH", data[6:10])
    elif data.startswith(b"\xff\xd8\xff"):
        fmt = "JPEG"
        size = _jpeg_size(data, name)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        fmt = "WebP"
        size = _webp_size(data, name)
    else:
        return None
    width, height = size
    if width <= 0 or height <= 0:
        raise LinkingError(f"attachment {name} is a {fmt} image with no pixels ({width}x{height})")
    tiles = math.ceil(min(width, 2048) / 512) * math.ceil(min(height, 2048) / 512)
    tokens = IMAGE_BASE_TOKENS + TOKENS_PER_TILE * tiles
    return Attachment(name, "image", fmt, "image", tokens, len(data), width=width, height=height)


def _jpeg_size(data: bytes, name: str) -> tuple[int, int]:
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            position += 1
            continue
        marker = data[position + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            position += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            if position + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        position += 2 + length
    raise LinkingError(f"attachment {name} is a damaged JPEG (no frame header with its size)")


def _webp_size(data: bytes, name: str) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    raise LinkingError(f"attachment {name} is a damaged WebP image")


# -- audio -----------------------------------------------------------------------------------
def _audio(data: bytes, name: str) -> Attachment | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        fmt = "WAV"
        try:
            with wave.open(io.BytesIO(data)) as stream:
                seconds = stream.getnframes() / float(stream.getframerate())
        except (wave.Error, EOFError, ZeroDivisionError) as error:
            raise LinkingError(f"attachment {name} is a damaged WAV file: {error}") from error
    elif data[:4] == b"fLaC":
        fmt = "FLAC"
        seconds = _flac_seconds(data, name)
    elif data[:4] == b"OggS":
        fmt = "OGG"
        seconds = _ogg_seconds(data)
    elif data[4:8] == b"ftyp" and data[8:12] in (b"M4A ", b"M4B ", b"M4P "):
        fmt = "M4A"
        seconds = _mp4_seconds(data) or len(data) * 8 / 128_000
    elif data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        fmt = "MP3"
        seconds = _mp3_seconds(data, name)
    else:
        return None
    tokens = int(math.ceil(seconds * AUDIO_TOKENS_PER_SECOND))
    return Attachment(name, "audio", fmt, "audio", tokens, len(data), seconds=round(seconds, 2))


def _flac_seconds(data: bytes, name: str) -> float:
    if len(data) < 26:
        raise LinkingError(f"attachment {name} is a damaged FLAC file")
    info = int.from_bytes(data[18:26], "big")
    rate = info >> 44
    samples = info & ((1 << 36) - 1)
    if rate == 0:
        raise LinkingError(f"attachment {name} is a damaged FLAC file (sample rate 0)")
    return samples / rate


def _ogg_seconds(data: bytes) -> float:
    """Duration from the last page's granule position and the Vorbis/Opus rate; else size at 96 kbit/s."""
    rate = 48000 if b"OpusHead" in data[:200] else 0
    vorbis = data.find(b"\x01vorbis")
    if vorbis >= 0 and len(data) >= vorbis + 16:
        rate = struct.unpack("<I", data[vorbis + 12 : vorbis + 16])[0]
    last = data.rfind(b"OggS")
    if rate and last >= 0 and len(data) >= last + 14:
        granule = struct.unpack("<q", data[last + 6 : last + 14])[0]
        if granule > 0:
            return granule / rate
    return len(data) * 8 / 96_000


def _mp3_seconds(data: bytes, name: str) -> float:
    """Duration from the first frame's bit rate (constant bit rate assumed) and the audio size."""
    position = 0
    if data[:3] == b"ID3" and len(data) >= 10:
        position = 10 + ((data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9])
    while position + 4 <= len(data):
        if data[position] == 0xFF and data[position + 1] & 0xE0 == 0xE0:
            header = int.from_bytes(data[position : position + 4], "big")
            version = (header >> 19) & 3
            bitrate_index = (header >> 12) & 0xF
            if version != 1 and 0 < bitrate_index < 15:
                bitrate = _MP3_BITRATES[bitrate_index] * (1000 if version == 3 else 500)
                return (len(data) - position) * 8 / bitrate
        position += 1
    raise LinkingError(f"attachment {name} looks like MP3 but has no audio frame")


def _mp4_seconds(data: bytes) -> float | None:
    found = data.find(b"mvhd")
    if found < 0 or len(data) < found + 24:
        return None
    version = data[found + 4]
    if version == 1 and len(data) >= found + 36:
        scale, duration = struct.unpack(">IQ", data[found + 24 : found + 36])
    else:
        scale, duration = struct.unpack(">II", data[found + 16 : found + 24])
    return duration / scale if scale else None


# -- video -----------------------------------------------------------------------------------
def _video(data: bytes, name: str) -> Attachment | None:
    if data[4:8] == b"ftyp":
        fmt = "MP4/MOV"
    elif data[:4] == b"\x1aE\xdf\xa3":
        fmt = "WebM" if b"webm" in data[:64] else "MKV"
    elif data[:4] == b"RIFF" and data[8:12] == b"AVI ":
        fmt = "AVI"
    else:
        return None
    seconds = (_mp4_seconds(data) if fmt == "MP4/MOV" else None) or len(data) * 8 / 2_000_000
    tokens = int(math.ceil(seconds * VIDEO_TOKENS_PER_SECOND))
    return Attachment(name, "video", fmt, "video", tokens, len(data), seconds=round(seconds, 2))


# -- documents -------------------------------------------------------------------------------
def _document(data: bytes, name: str) -> Attachment | None:
    if data.startswith(b"%PDF-"):
        pages = _pdf_pages(data, name)
        return Attachment(name, "document", "PDF", "document", pages * TOKENS_PER_PDF_PAGE, len(data), pages=pages)
    if data.startswith(b"PK\x03\x04"):
        return _office(data, name)
    return None


def _pdf_pages(data: bytes, name: str) -> int:
    """Pages of a PDF: the largest ``/Count`` of a page tree, else the number of ``/Type /Page`` objects."""
    if b"%%EOF" not in data[-2048:]:
        raise LinkingError(f"attachment {name} is a truncated PDF (no %%EOF marker)")
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data)]
    pages = max(counts) if counts else len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
    if pages == 0:
        if b"/ObjStm" in data:  # page tree inside compressed object streams: estimate from size
            return max(1, len(data) // 60_000)
        raise LinkingError(f"attachment {name} is a PDF without pages")
    return pages


def _office(data: bytes, name: str) -> Attachment:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise LinkingError(f"attachment {name} is a zip archive but not a DOCX document", options=SUPPORTED)
            xml = archive.read("word/document.xml").decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, RuntimeError) as error:
        raise LinkingError(f"attachment {name} is a damaged zip/DOCX file: {error}") from error
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.DOTALL)
    text = "\n".join("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in paragraphs)
    pages = max(1, math.ceil(len(text.split()) / 375))
    return Attachment(name, "document", "DOCX", "document", text_tokens(text), len(data), pages=pages)


# -- text and code ---------------------------------------------------------------------------
def _as_text(data: bytes) -> str | None:
    if b"\x00" in data[:8192]:
        return None
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(char.isprintable() or char in "\n\r\t" for char in text[:8192])
        if printable >= 0.95 * min(len(text), 8192):
            return text
    return None


_CODE_HINTS = re.compile(
    r"^\s*(?:def |class |import |from \S+ import|#include|function |const |let |var |public |package |fn |func "
    r"|SELECT |CREATE TABLE|<\?php|#!/)|[;{}]\s*$",
    re.MULTILINE,
)


def _looks_like_code(text: str, name: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    return len(_CODE_HINTS.findall(text)) >= max(2, len(lines) // 5)
