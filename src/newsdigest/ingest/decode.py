"""Bytes to text, with a clear verdict when the bytes are not an article.

UTF-8 first (nearly every source today); then charset_normalizer for the old
Windows and ISO code pages that archives still hold, reported as a warning
because a wrong guess garbles names. Binary data is refused before any
guessing: a decoder will happily turn a JPEG into "text".
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from .detect import sniff_unsupported

__all__ = [
    "Decoded", "DecodeError", "decode_bytes", "MAX_BYTES", "megabytes", "surrogates_replaced", "too_large",
    "without_lone_surrogates",
]

MAX_BYTES = 50_000_000  # 50 MB (decimal, as documented): a news article is kilobytes; 50 MB is a mistake, not a story
# Share of control / replacement / private characters above which decoded text is junk.
_MAX_JUNK_SHARE = 0.02
_LATIN_FAMILY = ("cp125", "latin", "iso8859", "mac_", "cp437", "cp775", "cp850", "cp852", "cp857", "cp858")


class DecodeError(ValueError):
    """The bytes are not usable text; the message is one line for the user."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warning: str = ""  # non-empty when the encoding was guessed


# Control characters (C0 except whitespace, DEL, C1), the replacement character,
# private-use and surrogate code points: none of them belong in an article.
_JUNK = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def _junk_share(text: str) -> float:
    sample = text[:200_000]
    if not sample:
        return 0.0
    return len(_JUNK.findall(sample)) / len(sample)


def megabytes(size: int) -> str:
    """A byte count as people read it: bytes below a megabyte, else decimal MB."""
    if size < 1_000_000:
        return f"{size:,} bytes"
    return f"{size / 1_000_000:.1f}".removesuffix(".0") + " MB"


def too_large(size: int, max_bytes: int, *, read_so_far: bool = False) -> str | None:
    """The message for input of ``size`` bytes over the ``max_bytes`` limit, else None.

    ``read_so_far``: ``size`` is only what was read before stopping (a stream).
    """
    if size <= max_bytes:
        return None
    if read_so_far:
        return f"too large (more than the limit of {megabytes(max_bytes)})"
    shown = megabytes(size)
    if shown == megabytes(max_bytes):  # 50.04 MB over a 50 MB limit: show the bytes
        shown = f"{size:,} bytes"
    return f"too large ({shown}, the limit is {megabytes(max_bytes)})"


def decode_bytes(data: bytes, *, max_bytes: int = MAX_BYTES) -> Decoded:
    """Decode ``data`` or raise :class:`DecodeError` saying why it is not an article."""
    message = too_large(len(data), max_bytes)
    if message:
        raise DecodeError(message)
    if not data.strip():
        raise DecodeError("empty file")
    unsupported = sniff_unsupported(data)
    if unsupported:
        raise DecodeError(f"unsupported format ({unsupported})")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _checked(Decoded(data.decode(encoding), encoding))
            except UnicodeDecodeError:
                raise DecodeError(f"undecodable bytes (starts with a {encoding} byte-order mark but is not {encoding})") from None
    if b"\x00" in data[:65536]:
        raise DecodeError("binary file (contains NUL bytes), not text")
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError as error:
        first_bad = error.start
    mixed = _mixed_lines(data)
    return _checked(mixed if mixed is not None else _guess(data, first_bad))


def _mixed_lines(data: bytes) -> Decoded | None:
    """UTF-8 text with a few lines in another encoding (articles pasted from several sources, a
    JSON lines file appended to by an old tool): each line that is UTF-8 read as UTF-8, only the
    others guessed, so one Latin-1 line does not turn every other line's accents into mojibake.

    None when no line shows UTF-8 of its own (a non-ASCII character that decodes): then the
    whole file is in one legacy encoding, guessed as a whole.
    """
    lines = data.split(b"\n")
    kept: list[str | None] = []
    bad: list[int] = []
    utf8_evidence = False
    for number, line in enumerate(lines):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            kept.append(None)
            bad.append(number)
            continue
        utf8_evidence = utf8_evidence or not line.isascii()
        kept.append(text)
    total = len(lines) - (lines[-1] == b"")  # a final line break ends the last line, it opens none
    if not utf8_evidence or len(bad) * 2 > total:
        return None
    try:
        guessed = _guess(b"\n".join(lines[n] for n in bad), 0)
    except DecodeError:
        return None
    parts = guessed.text.split("\n")
    if len(parts) != len(bad):  # a legacy decoding that made or ate line breaks: guess the whole instead
        return None
    for number, text in zip(bad, parts):
        kept[number] = text
    shown = ", ".join(str(n + 1) for n in bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
    line_word = "line" if len(bad) == 1 else "lines"
    return Decoded(
        "\n".join(kept), "utf-8",
        warning=f"not valid UTF-8 on {line_word} {shown} of {total}; {'it was' if len(bad) == 1 else 'those were'} decoded as {guessed.encoding}, the rest as UTF-8",
    )


def _guess(data: bytes, first_bad: int) -> Decoded:
    from charset_normalizer import from_bytes  # only needed for the rare non-UTF-8 file

    best = from_bytes(data).best()
    if best is None:
        raise DecodeError(f"undecodable bytes (not UTF-8 at byte {first_bad}, and no known encoding fits)")
    encoding = best.encoding
    # On short English texts the detector often names a Central European or Mac
    # code page where cp1252 (Windows Western) is what the file really is.
    if encoding != "cp1252" and encoding.startswith(_LATIN_FAMILY):
        try:
            data.decode("cp1252")
            encoding = "cp1252"
        except UnicodeDecodeError:
            pass
    text = data.decode(encoding, errors="replace")
    return Decoded(text, encoding, warning=f"not valid UTF-8 (byte {first_bad}); decoded as {encoding}")


def _checked(decoded: Decoded) -> Decoded:
    if _junk_share(decoded.text) > _MAX_JUNK_SHARE:
        if decoded.warning:
            raise DecodeError(f"undecodable bytes (not UTF-8, and as {decoded.encoding} it is mostly control characters)")
        raise DecodeError("binary file (mostly non-text characters), not an article")
    return decoded


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(value: object) -> tuple[object, int]:
    """``value`` (what ``json.loads`` gave) with every lone surrogate in its strings replaced by U+FFFD,
    and how many were. JSON may escape one ("\\ud800"), but it is no character: no UTF-8 output can hold it."""
    if isinstance(value, str):
        return _LONE_SURROGATE.subn("\ufffd", value)
    if isinstance(value, dict):
        count = 0
        cleaned = {}
        for key, item in value.items():
            key, in_key = without_lone_surrogates(key)
            cleaned[key], in_item = without_lone_surrogates(item)
            count += in_key + in_item
        return cleaned, count
    if isinstance(value, list):
        pairs = [without_lone_surrogates(item) for item in value]
        return [item for item, _ in pairs], sum(n for _, n in pairs)
    return value, 0


def surrogates_replaced(count: int) -> str:
    """What is said of ``count`` lone surrogates :func:`without_lone_surrogates` replaced."""
    plural = "s" if count > 1 else ""
    return f"{count} invalid character escape{plural} (lone surrogate{plural}) replaced by U+FFFD"
