"""Attachments are typed by content and measured: images, audio, video, PDF, DOCX, text and code."""

from __future__ import annotations

import math
import struct
import wave
import zipfile
import zlib
from pathlib import Path

import pytest

from genre.errors import LinkingError
from kg.linking import Linker
from kg.linking.attachments import TOKENS_PER_PDF_PAGE, inspect_file


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def pdf(pages: int) -> bytes:
    """A minimal valid PDF with ``pages`` empty pages, cross-reference table included."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>"]
    objects += ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * pages
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def wav(path: Path, seconds: float, rate: int = 8000) -> Path:
    with wave.open(str(path), "wb") as stream:
        stream.setnchannels(1)
        stream.setsampwidth(2)
        stream.setframerate(rate)
        stream.writeframes(b"\x00\x00" * int(seconds * rate))
    return path


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_png_size_is_read_from_the_header_whatever_the_name(tmp_path: Path) -> None:
    found = inspect_file(write(tmp_path / "not-an-image.txt", png(1024, 600)))
    assert (found.kind, found.format, found.modality, found.width, found.height) == ("image", "PNG", "image", 1024, 600)
    assert found.tokens == 85 + 170 * 2 * 2


def test_jpeg_gif_and_webp_sizes(tmp_path: Path) -> None:
    assert inspect_file(write(tmp_path / "a.jpg", jpeg(300, 200))).width == 300
    gif = b"GIF89a" + struct.pack("<HH", 40, 30) + b"\x00" * 10
    assert (inspect_file(write(tmp_path / "b", gif)).height, inspect_file(tmp_path / "b").format) == (30, "GIF")
    vp8x = b"RIFF" + struct.pack("<I", 22) + b"WEBPVP8X" + struct.pack("<I", 10) + b"\x00" * 4
    vp8x += (799).to_bytes(3, "little") + (599).to_bytes(3, "little")
    webp = inspect_file(write(tmp_path / "c.webp", vp8x))
    assert (webp.format, webp.width, webp.height) == ("WebP", 800, 600)


def test_wav_duration(tmp_path: Path) -> None:
    found = inspect_file(wav(tmp_path / "voice.bin", 2.5))
    assert (found.kind, found.format, found.seconds, found.modality) == ("audio", "WAV", 2.5, "audio")
    assert found.tokens == 80


def test_mp3_flac_and_ogg_are_estimated(tmp_path: Path) -> None:
    frame = bytes([0xFF, 0xFB, 0x90, 0x64]) + b"\x00" * 413  # MPEG-1 layer III, 128 kbit/s
    mp3 = inspect_file(write(tmp_path / "a.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + frame * 100))
    assert mp3.format == "MP3" and math.isclose(mp3.seconds, 417 * 100 * 8 / 128000, abs_tol=0.01)
    info = (44100 << 44) | (1 << 41) | (15 << 36) | 441000  # 10 s at 44.1 kHz
    flac = b"fLaC" + b"\x00\x00\x00\x22" + b"\x00" * 10 + info.to_bytes(8, "big") + b"\x00" * 16
    assert inspect_file(write(tmp_path / "b.flac", flac)).seconds == 10.0
    ogg = b"OggS" + b"\x00" * 24 + b"\x01vorbis" + b"\x00" * 5 + struct.pack("<I", 48000) + b"\x00" * 20
    ogg += b"OggS\x00\x04" + struct.pack("<q", 48000 * 3) + b"\x00" * 20
    assert inspect_file(write(tmp_path / "c.ogg", ogg)).seconds == 3.0


def test_video_containers(tmp_path: Path) -> None:
    mvhd = b"mvhd" + b"\x00" * 12 + struct.pack(">II", 1000, 4000)
    mp4 = inspect_file(write(tmp_path / "clip", struct.pack(">I", 20) + b"ftypisom" + b"\x00" * 8 + mvhd))
    assert (mp4.kind, mp4.format, mp4.seconds, mp4.modality) == ("video", "MP4/MOV", 4.0, "video")
    webm = inspect_file(write(tmp_path / "b.webm", b"\x1aE\xdf\xa3" + b"\x00" * 8 + b"webm" + b"\x00" * 100))
    assert webm.format == "WebM" and webm.modality == "video"
    m4a = inspect_file(write(tmp_path / "song.m4a", struct.pack(">I", 20) + b"ftypM4A " + b"\x00" * 8 + mvhd))
    assert (m4a.kind, m4a.seconds) == ("audio", 4.0)


def test_pdf_pages_and_tokens(tmp_path: Path) -> None:
    found = inspect_file(write(tmp_path / "report", pdf(3)))
    assert (found.kind, found.format, found.pages, found.modality) == ("document", "PDF", 3, "document")
    assert found.tokens == 3 * TOKENS_PER_PDF_PAGE


def test_docx_text(tmp_path: Path) -> None:
    path = tmp_path / "memo.docx"
    body = "".join(f"<w:p><w:r><w:t>Paragraph {i} of the memo.</w:t></w:r></w:p>" for i in range(10))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f'<w:document xmlns:w="x"><w:body>{body}</w:body></w:document>')
    found = inspect_file(path)
    assert (found.format, found.modality, found.pages) == ("DOCX", "document", 1)
    assert found.tokens == math.ceil(len("\n".join(f"Paragraph {i} of the memo." for i in range(10))) / 4)


def test_text_and_code(tmp_path: Path) -> None:
    text = inspect_file(write(tmp_path / "notes", b"Meeting notes: ship on Friday.\n"))
    assert (text.kind, text.modality, text.tokens) == ("text", "text", 8)
    code = "import os\n\ndef main():\n    return os.getcwd()\n\nclass A:\n    pass\n"
    assert inspect_file(write(tmp_path / "x.txt", code.encode())).kind == "code"
    assert inspect_file(write(tmp_path / "zh.txt", "你好世界".encode())).tokens == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03binary junk", "not a supported file type"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "damaged PNG"),
        (b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n", "truncated PDF"),
        (b"PK\x03\x04garbage", "damaged zip"),
        (b"\xff\xd8\xff\xe0\x00\x02", "damaged JPEG"),
    ],
)
def test_bad_files_raise_linking_error_naming_the_file(tmp_path: Path, data: bytes, message: str) -> None:
    path = write(tmp_path / "upload.dat", data)
    with pytest.raises(LinkingError, match=message) as error:
        inspect_file(path)
    assert "upload.dat" in str(error.value)


def test_unsupported_file_lists_supported_types(tmp_path: Path) -> None:
    with pytest.raises(LinkingError, match="valid options: .*PDF"):
        inspect_file(write(tmp_path / "a.bin", b"\x7fELF\x02\x01\x01" + b"\x00" * 64))
    with pytest.raises(LinkingError, match="cannot be read"):
        inspect_file(tmp_path / "missing.png")


def test_attachments_add_modalities_and_tokens_to_a_request(kg, tmp_path: Path) -> None:
    linker = Linker(kg.store, semantic=False)
    files = [write(tmp_path / "a.png", png(512, 512)), wav(tmp_path / "b.wav", 1.0), write(tmp_path / "c", pdf(2))]
    result = linker.link("What do these say?", attachments=files)
    assert result.modalities == ["audio", "document", "image", "text"]
    assert result.estimated_input_tokens == 5 + (85 + 170) + 32 + 2 * TOKENS_PER_PDF_PAGE
    assert [a.kind for a in result.attachments] == ["image", "audio", "document"]
