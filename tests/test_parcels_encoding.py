"""Encoding detection for DBF and text (parcels/encoding.py)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from core.errors import InputFileError
from parcels.encoding import detect_dbf_encoding, detect_text_encoding, normalise_encoding, read_cpg


def _dbf(path: Path, names: list[bytes], rows: list[list[bytes]], width: int = 20) -> Path:
    """A minimal dBASE III file with character fields, written byte by byte."""
    header_len = 32 + 32 * len(names) + 1
    record_len = 1 + width * len(names)
    out = bytearray(struct.pack("<BBBBIHH20x", 3, 126, 1, 1, len(rows), header_len, record_len))
    for name in names:
        out += name.ljust(11, b"\x00")[:11] + b"C" + b"\x00" * 4 + bytes([width, 0]) + b"\x00" * 14
    out += b"\x0d"
    for row in rows:
        out += b" " + b"".join(v.ljust(width, b" ")[:width] for v in row)
    out += b"\x1a"
    path.write_bytes(bytes(out))
    return path


NAMES = ["宗地编号", "权利人"]
VALUES = [["A-1", "金鹭特种"], ["A-2", "夏顺铝箔"], ["A-3", "民兴工业"]]


@pytest.mark.parametrize(("codec", "expected"), [("gbk", "GB18030"), ("gb18030", "GB18030"), ("utf-8", "UTF-8")])
def test_detect_from_bytes(tmp_path: Path, codec: str, expected: str) -> None:
    dbf = _dbf(tmp_path / "t.dbf", [n.encode(codec)[:10] for n in NAMES],
               [[v.encode(codec) for v in row] for row in VALUES])
    assert detect_dbf_encoding(dbf) == (expected, "detected")


def test_utf8_values_cut_mid_character_still_utf8(tmp_path: Path) -> None:
    # a 7-byte field cuts 金鹭特种 (12 bytes in UTF-8) inside its third character
    dbf = _dbf(tmp_path / "t.dbf", [b"NAME"], [["金鹭特种".encode()], ["夏顺铝箔".encode()]], width=7)
    assert detect_dbf_encoding(dbf)[0] == "UTF-8"


def test_ascii_only_is_utf8(tmp_path: Path) -> None:
    assert detect_dbf_encoding(_dbf(tmp_path / "a.dbf", [b"ID"], [[b"x"]]))[0] == "UTF-8"


@pytest.mark.parametrize(("cpg", "expected"), [("GBK", "GB18030"), ("936", "GB18030"), ("UTF-8", "UTF-8"),
                                               ("65001", "UTF-8"), ("cp936\n", "GB18030")])
def test_cpg_wins(tmp_path: Path, cpg: str, expected: str) -> None:
    dbf = _dbf(tmp_path / "t.dbf", [b"NAME"], [["金鹭特种".encode("gbk")]])
    (tmp_path / "t.CPG").write_text(cpg)
    assert read_cpg(dbf) == expected
    assert detect_dbf_encoding(dbf) == (expected, "cpg")


def test_truncated_dbf(tmp_path: Path) -> None:
    path = tmp_path / "short.dbf"
    path.write_bytes(b"\x03\x00")
    with pytest.raises(InputFileError, match="too short"):
        detect_dbf_encoding(path)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("宗地编号,权利人\nA,金鹭特种\n".encode(), "UTF-8"),
        ("宗地编号,权利人\nA,金鹭特种\n".encode("gbk"), "GB18030"),
        (b"\xef\xbb\xbf" + "宗地编号\n".encode(), "UTF-8-SIG"),
        (b"id,name\n1,a\n", "UTF-8"),
    ],
)
def test_text(data: bytes, expected: str) -> None:
    assert detect_text_encoding(data) == expected


def test_normalise_encoding() -> None:
    assert normalise_encoding("gbk") == normalise_encoding("GB2312") == "GB18030"
    assert normalise_encoding("utf8") == "UTF-8"
    with pytest.raises(InputFileError, match="Unknown text encoding"):
        normalise_encoding("klingon")
