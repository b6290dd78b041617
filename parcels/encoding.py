"""Attribute-encoding detection for Shapefile DBFs and CSV text.

Chinese cadastral Shapefiles are written in GBK (GB18030) as often as in UTF-8 and
frequently ship without a ``.cpg``; GDAL then assumes ISO-8859-1 and returns
mojibake.  The rule here:

1. a ``.cpg`` beside the ``.dbf`` wins (code-page numbers are translated);
2. otherwise each field name and each non-ASCII field value of the DBF (a sample
   of records) is decoded strictly as UTF-8; if all succeed the file is UTF-8
   (pure ASCII counts as UTF-8);
3. otherwise strict GB18030 (the superset of GBK); if all succeed, GB18030;
4. otherwise the decoder with fewer failures wins; charset-normalizer breaks a tie.

Names and values are decoded one by one and an incomplete character at the end
is tolerated: DBF names are cut at 10 bytes, which splits a UTF-8 Chinese name
such as 宗地编号 (12 bytes) in the middle of a character.

GB18030 decodes almost any byte string, so it is tried only after UTF-8 fails.
"""

from __future__ import annotations

import codecs
import logging
import struct
from pathlib import Path

from core.errors import InputFileError

__all__ = ["detect_dbf_encoding", "detect_text_encoding", "read_cpg", "normalise_encoding", "dbf_field_names",
           "dbf_decode_failures"]

log = logging.getLogger(__name__)

_SAMPLE_BYTES = 4 * 1024 * 1024
_SAMPLE_RECORDS = 20_000

_CODEPAGES = {
    "936": "GB18030",
    "cp936": "GB18030",
    "gbk": "GB18030",
    "gb2312": "GB18030",
    "gb18030": "GB18030",
    "65001": "UTF-8",
    "utf8": "UTF-8",
    "utf-8": "UTF-8",
    "950": "BIG5",
    "big5": "BIG5",
    "1252": "CP1252",
    "88591": "ISO-8859-1",
    "8859_1": "ISO-8859-1",
    "iso-8859-1": "ISO-8859-1",
    "latin1": "ISO-8859-1",
}


def normalise_encoding(name: str) -> str:
    """A canonical encoding name that both Python and GDAL (iconv) understand.

    GBK, CP936 and GB2312 all become ``GB18030``, their common superset.

    Raises
    ------
    InputFileError
        Python does not know the encoding.
    """
    key = name.strip().lower().replace(" ", "")
    if key in _CODEPAGES:
        return _CODEPAGES[key]
    try:
        return codecs.lookup(key).name.upper()
    except LookupError as err:
        raise InputFileError(
            f"Unknown text encoding '{name}'. Use e.g. utf-8, gbk or gb18030.",
            f"未知的字符编码“{name}”。请使用 utf-8、gbk 或 gb18030 等。",
        ) from err


def read_cpg(dbf: Path) -> str | None:
    """The encoding named by the ``.cpg`` beside ``dbf`` (any letter case), or None."""
    for cand in dbf.parent.iterdir():
        if cand.stem == dbf.stem and cand.suffix.lower() == ".cpg":
            text = cand.read_bytes().decode("ascii", errors="ignore").strip()
            return normalise_encoding(text) if text else None
    return None


def dbf_field_names(dbf: str | Path) -> list[bytes]:
    """Raw field-name bytes of a DBF header (NUL padding removed)."""
    return [name for name, _ in _dbf_fields(Path(dbf))[0]]


def _dbf_fields(dbf: Path) -> tuple[list[tuple[bytes, int]], int, int]:
    """(name bytes, width) of each field, header length and record length."""
    with open(dbf, "rb") as fh:
        header = fh.read(32)
        if len(header) < 32:
            raise InputFileError(
                f"{dbf.name} is too short to be a dBASE table (truncated?). Export the layer again.",
                f"{dbf.name} 太短，不是有效的 dBASE 属性表（可能不完整）。请重新导出图层。",
            )
        header_len, record_len = struct.unpack("<HH", header[8:12])
        descriptors = fh.read(max(header_len - 32, 0))
    fields = []
    for off in range(0, len(descriptors) - 31, 32):
        if descriptors[off] == 0x0D:
            break
        fields.append((descriptors[off : off + 11].split(b"\x00", 1)[0], descriptors[off + 16]))
    return fields, header_len, record_len


def _dbf_sample(dbf: Path) -> list[bytes]:
    """Field names and a sample of non-ASCII field values, each as its own chunk.

    Decoding chunk by chunk means a name or value cut in the middle of a multibyte
    character by the fixed DBF widths (10 bytes for a name) spoils only its own tail.
    """
    fields, header_len, record_len = _dbf_fields(dbf)
    chunks = [name for name, _ in fields]
    if record_len <= 1:
        return chunks
    with open(dbf, "rb") as fh:
        fh.seek(header_len)
        records = fh.read(min(_SAMPLE_BYTES, record_len * _SAMPLE_RECORDS))
    spans = []
    pos = 1  # the first byte of a record is the deletion flag
    for _, width in fields:
        spans.append((pos, pos + width))
        pos += width
    for r in range(0, len(records) - record_len + 1, record_len):
        rec = records[r : r + record_len]
        if rec.isascii():
            continue
        chunks.extend(rec[a:b].strip(b" \x00") for a, b in spans if not rec[a:b].isascii())
    return chunks


def _failures(chunks: list[bytes], encoding: str) -> int:
    bad = 0
    for chunk in chunks:
        try:  # final=False: a chunk may end inside a multibyte character
            codecs.getincrementaldecoder(encoding)().decode(chunk, final=False)
        except UnicodeDecodeError:
            bad += 1
    return bad


def _choose(chunks: list[bytes]) -> str:
    """UTF-8 if every chunk decodes as UTF-8, else GB18030 if all do, else the fewer failures."""
    chunks = [c for c in chunks if not c.isascii()]
    if not chunks:
        return "UTF-8"
    utf8_bad = _failures(chunks, "utf-8")
    if utf8_bad == 0:
        return "UTF-8"
    gb_bad = _failures(chunks, "gb18030")
    if gb_bad == 0:
        return "GB18030"
    if utf8_bad != gb_bad:
        return "UTF-8" if utf8_bad < gb_bad else "GB18030"
    from charset_normalizer import from_bytes  # tie-breaker only

    best = from_bytes(b"\n".join(chunks)[:200_000]).best()
    return normalise_encoding(best.encoding) if best is not None else "UTF-8"


def detect_dbf_encoding(dbf: str | Path) -> tuple[str, str]:
    """The encoding of a DBF and how it was decided.

    Returns
    -------
    (encoding, source)
        ``source`` is ``"cpg"`` or ``"detected"``.
    """
    dbf = Path(dbf)
    cpg = read_cpg(dbf)
    if cpg is not None:
        return cpg, "cpg"
    enc = _choose(_dbf_sample(dbf))
    log.info("detected DBF encoding %s for %s", enc, dbf.name)
    return enc, "detected"


def dbf_decode_failures(dbf: str | Path, encoding: str) -> int:
    """How many field names and sampled values of a DBF do not decode in ``encoding``."""
    return _failures([c for c in _dbf_sample(Path(dbf)) if not c.isascii()], normalise_encoding(encoding))


def detect_text_encoding(data: bytes) -> str:
    """The encoding of CSV/JSON bytes: ``UTF-8-SIG`` with a BOM, else as for a DBF."""
    if data.startswith(codecs.BOM_UTF8):
        return "UTF-8-SIG"
    return _choose(data[:_SAMPLE_BYTES].splitlines())
