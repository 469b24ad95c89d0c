"""Tiny valid media for tests, each call unique (random pixels/samples), so content never
collides with what another test stored in the shared S3 bucket."""
from __future__ import annotations

import io
import os
import uuid
import wave
import zipfile


def png(size=(8, 8)) -> bytes:
    from PIL import Image

    img = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def jpeg(size=(16, 16)) -> bytes:
    from PIL import Image

    img = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buf = io.BytesIO()
    img.save(buf, "JPEG")
    return buf.getvalue()


def wav(frames=800) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(os.urandom(frames * 2))
    return buf.getvalue()


def pdf() -> bytes:
    """A minimal PDF (header, one empty page, trailer): enough for detection by magic bytes."""
    body = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
            b"% " + uuid.uuid4().hex.encode() + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    return body


def docx() -> bytes:
    import docx as python_docx

    d = python_docx.Document()
    d.add_paragraph(f"现场检查笔录 {uuid.uuid4()}")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def text() -> bytes:
    return f"询问笔录：当事人称不知道需要办理许可证。{uuid.uuid4()}\n".encode()


def zip_archive() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", uuid.uuid4().hex)
    return buf.getvalue()


def exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(200)


def unknown() -> bytes:
    return b"\x00\x01\x02\xff" + os.urandom(300)


def big_png(size: int) -> bytes:
    """`size` bytes that detect as PNG (a real header, then random bytes)."""
    head = png()
    return head + os.urandom(size - len(head))


class NamedBytesIO(io.BytesIO):
    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name = name


class Exploding(io.RawIOBase):
    """Gives `data`, then fails as a dropped connection would."""

    def __init__(self, data: bytes, fail_after: int):
        self.data, self.fail_after, self.pos = data, fail_after, 0

    def readable(self):
        return True

    def read(self, n=-1):
        if self.pos >= self.fail_after:
            raise ConnectionResetError("客户端连接中断")
        n = len(self.data) - self.pos if n < 0 else n
        chunk = self.data[self.pos:self.pos + min(n, self.fail_after - self.pos)]
        self.pos += len(chunk)
        return chunk


class Counting(io.RawIOBase):
    """An endless PNG-looking stream that counts what was read from it."""

    def __init__(self, block: bytes):
        self.block, self.read_bytes = block, 0

    def readable(self):
        return True

    def read(self, n=-1):
        n = 1 << 20 if n < 0 else n
        out = (self.block * (n // len(self.block) + 1))[:n]
        self.read_bytes += len(out)
        return out


class Generated(io.RawIOBase):
    """`total` bytes starting with a PNG header, produced on demand as a fresh bytes object per
    read (as a file or socket would), from blocks kept as bytearrays."""

    def __init__(self, total: int, block_size: int = 1 << 20):
        head = png()
        self.block = bytearray(head + os.urandom(block_size - len(head)))
        self.tail = bytearray(os.urandom(block_size))
        self.total, self.pos = total, 0

    def readable(self):
        return True

    def read(self, n=-1):
        n = self.total - self.pos if n < 0 else min(n, self.total - self.pos)
        if n <= 0:
            return b""
        src = self.block if self.pos == 0 else self.tail
        out = bytes(src) if n == len(src) else bytes((src * (n // len(src) + 1))[:n])
        self.pos += n
        return out
