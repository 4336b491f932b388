"""Bytes to text in the HTML-standard order: BOM, HTTP charset, <meta> charset, then detection.

Korean pages labelled euc-kr (or ks_c_5601) need Python's cp949, a superset that real pages use.
charset-normalizer alone misreads EUC-KR, so cp949 is tried before it when UTF-8 fails.
"""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.-]+)", re.IGNORECASE)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_KOREAN_LEGACY = {"euc-kr", "euckr", "euc_kr", "ks_c_5601-1987", "ks_c_5601", "korean",
                  "x-windows-949", "windows-949", "cp949", "uhc", "ksc5601"}


def normalise_label(label: str | None) -> str | None:
    """A charset label as a Python codec name, or None when Python does not know it."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _KOREAN_LEGACY:
        return "cp949"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # ascii and latin-1 labels are usually wrong on Korean pages; windows-1252 decodes anything
    return "cp949" if name in {"euc_kr", "cp949"} else name


def _hangul_share(text: str) -> float:
    letters = sum(1 for ch in text if ch.isalpha())
    return len(_HANGUL.findall(text)) / letters if letters else 0.0


def _try(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


_LINE_CODECS = ("utf-8", "cp949")


def decode_by_line(body: bytes, min_share: float = 0.95) -> tuple[str, str] | None:
    """Bytes that mix encodings (pages pasted together from a UTF-8 and an EUC-KR source, a
    dump whose footer came from another system): each line decoded on its own, UTF-8 first,
    then cp949. None unless at least `min_share` of the bytes decode cleanly that way and both
    codecs were needed; a line neither reads keeps U+FFFD for its bad bytes only."""
    parts: list[str] = []
    used: set[str] = set()
    clean = 0
    for line in body.splitlines(keepends=True):
        for codec in _LINE_CODECS:
            text = _try(line, codec)
            if text is not None:
                parts.append(text)
                used.add(codec)
                clean += len(line)
                break
        else:
            parts.append(line.decode("utf-8", errors="replace"))
    if len(used) < 2 or clean < min_share * len(body):
        return None
    return "".join(parts), "mixed:utf-8+cp949"


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns (text, codec used)."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(codec, errors="replace"), codec
    declared = []
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        declared.append(normalise_label(match.group(1)) if match else None)
    meta = _META_CHARSET.search(body[:4096])
    declared.append(normalise_label(meta.group(1).decode("ascii", "ignore")) if meta else None)
    for codec in filter(None, declared):
        if codec in {"ascii", "latin_1", "cp1252", "iso8859-1"}:
            continue  # a Latin label on bytes that are not ASCII is almost always a mislabel
        text = _try(body, codec)
        if text is not None:
            return text, codec
    text = _try(body, "utf-8")
    if text is not None:
        return text, "utf-8"
    text = _try(body, "cp949")
    if text is not None and _hangul_share(text) > 0.2:
        return text, "cp949"
    mixed = decode_by_line(body)
    if mixed is not None:
        return mixed
    guess = from_bytes(body).best()
    if guess is not None and guess.encoding:
        return str(guess), guess.encoding
    return body.decode("cp949", errors="replace"), "cp949"
