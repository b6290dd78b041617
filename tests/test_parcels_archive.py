"""Hostile and broken files: each gives a clear error, never a traceback (parcels/archive.py)."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

from core.errors import InputFileError, UnsafeArchiveError
from core.settings import Settings
from parcels.archive import safe_extract_zip, sniff_format
from parcels.read import read_parcels

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


def _zip_entries(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def _polygons(tmp_path: Path) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"ZDBH": [f"P{i}" for i in range(300)]},
        geometry=[shapely.box(118.0 + i * 1e-4, 24.5, 118.0 + i * 1e-4 + 5e-5, 24.5005) for i in range(300)],
        crs="EPSG:4326",
    )


@pytest.fixture()
def shp_zip(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    pyogrio.write_dataframe(_polygons(tmp_path), src / "p.shp")
    with zipfile.ZipFile(tmp_path / "p.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(src.iterdir()):
            zf.write(f, arcname=f.name)
    return tmp_path / "p.zip"


@pytest.mark.parametrize(
    ("entry", "match"),
    [
        ("../evil.txt", r"climbs out of the folder with '\.\.'"),
        ("ok/../../evil.txt", r"climbs out of the folder"),
        ("..\\evil.txt", r"climbs out of the folder"),
        ("/tmp/evil-absolute.txt", "is an absolute path"),
        ("C:/evil.txt", "is an absolute path"),
        ("C:\\evil.txt", "is an absolute path"),
    ],
)
def test_escaping_entries_refused(tmp_path: Path, entry: str, match: str) -> None:
    archive = _zip_entries(tmp_path / "evil.zip", {"p.shp": b"x", entry: b"pwned"})
    dest = tmp_path / "dest"
    dest.mkdir()
    with pytest.raises(UnsafeArchiveError, match=match):
        safe_extract_zip(archive, dest)
    assert list(dest.iterdir()) == []  # nothing extracted before the check
    assert not (tmp_path / "evil.txt").exists()
    with pytest.raises(UnsafeArchiveError, match=r"Refused evil\.zip"):
        read_parcels(archive)


def test_symlink_entry_refused(tmp_path: Path) -> None:
    info = zipfile.ZipInfo("link.shp")
    info.external_attr = (0o120777 << 16)  # S_IFLNK
    with zipfile.ZipFile(tmp_path / "link.zip", "w") as zf:
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(UnsafeArchiveError, match="symbolic link"):
        read_parcels(tmp_path / "link.zip")


def test_zip_bomb_by_declared_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = _zip_entries(tmp_path / "bomb.zip", {"p.shp": b"\0" * (3 * 1024 * 1024)})
    assert archive.stat().st_size < 50_000  # compresses to almost nothing
    monkeypatch.setattr("parcels.archive.get_settings", lambda: Settings(max_unpacked_mb=1))
    with pytest.raises(UnsafeArchiveError, match=r"would unpack to 3\.0 MB.*zip bomb"):
        read_parcels(archive)


def test_zip_bomb_with_lying_headers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The headers claim 100 bytes; the data inflate to 3 MB."""
    archive = _zip_entries(tmp_path / "liar.zip", {"p.shp": b"\0" * (3 * 1024 * 1024)})
    data = bytearray(archive.read_bytes())
    struct.pack_into("<I", data, 22, 100)  # local file header: uncompressed size
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 100)  # central directory: uncompressed size
    archive.write_bytes(bytes(data))
    monkeypatch.setattr("parcels.archive.get_settings", lambda: Settings(max_unpacked_mb=1))
    dest = tmp_path / "dest"
    dest.mkdir()
    with pytest.raises(InputFileError, match="declares false sizes"):
        safe_extract_zip(archive, dest)
    assert sum(f.stat().st_size for f in dest.rglob("*") if f.is_file()) <= 1024 * 1024


def test_too_many_members(tmp_path: Path) -> None:
    archive = _zip_entries(tmp_path / "many.zip", {f"f{i}.txt": b"x" for i in range(6)})
    dest = tmp_path / "d"
    dest.mkdir()
    with pytest.raises(UnsafeArchiveError, match="6 entries, more than the limit of 5"):
        safe_extract_zip(archive, dest, max_members=5)


@pytest.mark.parametrize("suffix", [".gpkg", ".zip", ".shp", ".geojson", ".csv"])
def test_empty_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    with pytest.raises(InputFileError, match=r"is empty \(0 bytes\)"):
        read_parcels(path)


def test_truncated_gpkg(tmp_path: Path) -> None:
    path = tmp_path / "full.gpkg"
    pyogrio.write_dataframe(_polygons(tmp_path), path)
    data = path.read_bytes()
    cut = tmp_path / "cut.gpkg"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputFileError, match="cannot be read as a GIS layer"):
        read_parcels(cut)


def test_truncated_zip(shp_zip: Path, tmp_path: Path) -> None:
    data = shp_zip.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputFileError, match="not a readable zip archive"):
        read_parcels(cut)


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("image.shp", PNG_HEADER, r"extension \.shp but its content is not a Shapefile"),
        ("notes.geojson", b"just some notes\n", r"extension \.geojson but its content is not JSON"),
        ("notzip.zip", b"plain text, not a zip", r"extension \.zip but its content is not a zip"),
        ("text.gpkg", b"hello", r"extension \.gpkg but its content is not a GeoPackage"),
        ("binary.csv", b"\x00\x01\x02", r"extension \.csv but its content is not plain text"),
        ("layer.kml", b"<kml/>", r"Unsupported file type '\.kml'"),
    ],
)
def test_wrong_content_for_extension(tmp_path: Path, name: str, content: bytes, match: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=match):
        read_parcels(path)


def test_shp_with_right_magic_but_garbage(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    folder.mkdir()
    for ext in (".shp", ".shx", ".dbf"):
        (folder / f"x{ext}").write_bytes(b"\x00\x00\x27\x0a" + b"\xff" * 40)
    with pytest.raises(InputFileError):
        read_parcels(folder / "x.shp")


def test_zip_without_shp(tmp_path: Path) -> None:
    archive = _zip_entries(tmp_path / "docs.zip", {"readme.txt": b"hi", "p.dbf": b"x"})
    with pytest.raises(InputFileError, match=r"contains no \.shp.*readme\.txt"):
        read_parcels(archive)


def test_nested_zip_not_followed(shp_zip: Path, tmp_path: Path) -> None:
    outer = _zip_entries(tmp_path / "outer.zip", {"inner.zip": shp_zip.read_bytes()})
    with pytest.raises(InputFileError, match="Archives inside the zip are not opened"):
        read_parcels(outer)


def test_zip_with_shp_missing_dbf(tmp_path: Path, shp_zip: Path) -> None:
    with zipfile.ZipFile(shp_zip) as zf:
        entries = {n: zf.read(n) for n in zf.namelist() if not n.endswith(".dbf")}
    archive = _zip_entries(tmp_path / "nodbf.zip", entries)
    with pytest.raises(InputFileError, match=r"without its \.dbf"):
        read_parcels(archive)


def test_good_zip_reads(shp_zip: Path) -> None:
    assert len(read_parcels(shp_zip).frame) == 300


def test_zip_in_subfolder_and_macos_junk(tmp_path: Path, shp_zip: Path) -> None:
    with zipfile.ZipFile(shp_zip) as zf:
        entries = {f"layer/{n}": zf.read(n) for n in zf.namelist()}
    entries["__MACOSX/layer/._p.shp"] = b"junk"
    archive = _zip_entries(tmp_path / "nested.zip", entries)
    assert len(read_parcels(archive).frame) == 300


def test_sniff_format_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="File not found"):
        sniff_format(tmp_path / "nope.gpkg")


def test_gbk_entry_names_without_utf8_flag(tmp_path: Path, shp_zip: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Zip tools on Chinese Windows write names in GBK without the UTF-8 flag."""
    with zipfile.ZipFile(shp_zip) as zf:
        entries = {n.replace("p.", "宗地."): zf.read(n) for n in zf.namelist()}

    def gbk_names(self: zipfile.ZipInfo) -> tuple[bytes, int]:
        return self.filename.encode("gbk"), self.flag_bits & ~0x800

    monkeypatch.setattr(zipfile.ZipInfo, "_encodeFilenameFlags", gbk_names)
    archive = _zip_entries(tmp_path / "gbk-names.zip", entries)
    monkeypatch.undo()
    assert "宗地".encode("gbk") in archive.read_bytes()
    with zipfile.ZipFile(archive) as zf:
        assert not any(i.flag_bits & 0x800 for i in zf.infolist())
    dest = tmp_path / "d"
    dest.mkdir()
    names = {p.name for p in safe_extract_zip(archive, dest)}
    assert "宗地.shp" in names and "宗地.dbf" in names
    result = read_parcels(archive)
    assert result.layer == "宗地" and len(result.frame) == 300
