"""Safe handling of uploaded files: zip extraction and format sniffing.

A zip is unpacked only after every entry has been checked: no ``..`` component, no
absolute path or drive letter, no symbolic link, at most
``settings.max_archive_members`` entries and at most ``settings.max_unpacked_mb``
in total.  The size cap is enforced twice, on the sizes the archive declares and
on the bytes actually written (a zip bomb may lie in its headers).  Nested
archives are extracted as plain files and never opened.

:func:`sniff_format` checks a file's first bytes against what its extension
promises, so that an empty, truncated or mislabelled file gives a clear
:class:`~core.errors.InputFileError` rather than a reader traceback.
"""

from __future__ import annotations

import logging
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath

from core.errors import InputFileError, UnsafeArchiveError
from core.settings import get_settings

__all__ = ["safe_extract_zip", "sniff_format", "SUPPORTED_SUFFIXES"]

log = logging.getLogger(__name__)

_MB = 1024 * 1024
_CHUNK = 1024 * 1024

#: File name endings the reader accepts, with the format each stands for.
SUPPORTED_SUFFIXES: dict[str, str] = {
    ".gpkg": "gpkg",
    ".geojson": "geojson",
    ".json": "geojson",
    ".shp": "shp",
    ".zip": "zip",
    ".csv": "csv",
}

_DRIVE = re.compile(r"^[A-Za-z]:")


def _member_name(info: zipfile.ZipInfo) -> str:
    """The entry's name, re-decoded when the archive did not flag it as UTF-8.

    Zip tools on Chinese Windows store names in GBK without the UTF-8 flag; Python
    then reads them as CP437 (宗地.shp becomes ×┌╡╪.shp).  Such a name is tried as
    UTF-8 (some tools omit the flag) and then as GB18030.
    """
    name = info.filename
    if info.flag_bits & 0x800 or name.isascii():
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _unsafe_reason(info: zipfile.ZipInfo, name: str) -> str | None:
    if "\x00" in name:
        return "contains a NUL character / 含有空字符"
    norm = name.replace("\\", "/")
    if norm.startswith("/") or _DRIVE.match(norm):
        return "is an absolute path / 是绝对路径"
    if any(part == ".." for part in PurePosixPath(norm).parts):
        return "climbs out of the folder with '..' / 含有 '..' 路径"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "is a symbolic link / 是符号链接"
    return None


def safe_extract_zip(
    archive: str | Path,
    dest: str | Path,
    *,
    max_unpacked_mb: float | None = None,
    max_members: int | None = None,
) -> list[Path]:
    """Extract a zip into ``dest`` after checking every entry; return the extracted files.

    Parameters
    ----------
    archive
        The zip file.
    dest
        An existing, empty folder (normally a private temporary folder).
    max_unpacked_mb
        Cap on the total uncompressed size; default ``settings.max_unpacked_mb``.
    max_members
        Cap on the number of entries; default ``settings.max_archive_members``.

    Raises
    ------
    UnsafeArchiveError
        An entry escapes ``dest``, is a link, or the archive exceeds a cap.
    InputFileError
        The file is not a zip or is damaged.
    """
    settings = get_settings()
    cap_mb = settings.max_unpacked_mb if max_unpacked_mb is None else max_unpacked_mb
    cap = int(cap_mb * _MB)
    max_n = settings.max_archive_members if max_members is None else max_members
    archive = Path(archive)
    dest_root = Path(dest).resolve()
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, EOFError) as err:
        raise InputFileError(
            f"{archive.name} is not a readable zip archive ({err}); it may be truncated or "
            "not a zip at all. Re-create the zip from the original files.",
            f"{archive.name} 不是可读取的 zip 压缩包（{err}），可能已损坏、不完整或并非 zip。请用原始文件重新压缩。",
        ) from err
    with zf:
        infos = zf.infolist()
        if len(infos) > max_n:
            raise UnsafeArchiveError(
                f"{archive.name} holds {len(infos)} entries, more than the limit of {max_n}. "
                "Zip only the layer's files (.shp, .shx, .dbf, .prj, .cpg).",
                f"{archive.name} 含有 {len(infos)} 个条目，超过上限 {max_n}。请只压缩图层文件（.shp/.shx/.dbf/.prj/.cpg）。",
            )
        names = [_member_name(info) for info in infos]
        for info, name in zip(infos, names, strict=True):
            reason = _unsafe_reason(info, name) or (_unsafe_reason(info, info.filename) if name != info.filename
                                                     else None)
            if reason is not None:
                raise UnsafeArchiveError(
                    f"Refused {archive.name}: entry '{name}' {reason.split(' / ')[0]}. "
                    "Archives must hold plain relative paths only; re-create the zip from the layer's files.",
                    f"已拒绝 {archive.name}：条目“{name}”{reason.split(' / ')[1]}。"
                    "压缩包只能包含普通相对路径，请用图层文件重新压缩。",
                )
        declared = sum(i.file_size for i in infos)
        if declared > cap:
            raise UnsafeArchiveError(
                f"{archive.name} would unpack to {declared / _MB:.1f} MB, more than the limit of "
                f"{cap_mb:g} MB (possible zip bomb). Upload the layer's files only.",
                f"{archive.name} 解压后为 {declared / _MB:.1f} MB，超过上限 {cap_mb:g} MB（疑似压缩炸弹）。请只上传图层文件。",
            )
        written = 0
        out: list[Path] = []
        for info, name in zip(infos, names, strict=True):
            target = (dest_root / name.replace("\\", "/")).resolve()
            if not target.is_relative_to(dest_root):  # belt and braces after _unsafe_reason
                raise UnsafeArchiveError(
                    f"Refused {archive.name}: entry '{name}' resolves outside the folder.",
                    f"已拒绝 {archive.name}：条目“{name}”指向目标文件夹之外。",
                )
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, open(target, "xb") as dst:
                    while chunk := src.read(_CHUNK):
                        written += len(chunk)
                        if written > cap:
                            raise UnsafeArchiveError(
                                f"{archive.name} unpacks to more than the limit of {cap_mb:g} MB although "
                                "its headers declare less (zip bomb). Refused.",
                                f"{archive.name} 实际解压超过上限 {cap_mb:g} MB，且与其声明的大小不符（压缩炸弹），已拒绝。",
                            )
                        dst.write(chunk)
            except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as err:
                # BadZipFile: CRC/size mismatch (lying header) or damage; NotImplementedError:
                # unsupported compression; RuntimeError: encrypted entry.
                raise InputFileError(
                    f"Entry '{name}' of {archive.name} cannot be extracted ({err}). The archive is "
                    "damaged, encrypted, uses an unsupported compression, or declares false sizes.",
                    f"{archive.name} 中的“{name}”无法解压（{err}）：压缩包已损坏、加密、压缩方式不支持或声明的大小不实。",
                ) from err
            except FileExistsError as err:
                raise UnsafeArchiveError(
                    f"{archive.name} holds '{name}' twice (or in two letter cases). Refused.",
                    f"{archive.name} 中“{name}”重复出现，已拒绝。",
                ) from err
            out.append(target)
    log.debug("extracted %d files (%d bytes) from %s", len(out), written, archive)
    return out


def _head(path: Path, n: int = 64) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


def sniff_format(path: str | Path) -> str:
    """The format of ``path`` from its extension, checked against its first bytes.

    Returns one of ``"gpkg"``, ``"geojson"``, ``"shp"``, ``"zip"``, ``"csv"``.

    Raises
    ------
    InputFileError
        Missing, empty, unsupported extension, or content that does not match it.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    fmt = SUPPORTED_SUFFIXES.get(suffix)
    supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
    if fmt is None:
        raise InputFileError(
            f"Unsupported file type '{suffix or path.name}'. Supported: {supported} "
            "(a Shapefile as .zip with its .shx/.dbf/.prj, or a loose .shp beside them).",
            f"不支持的文件类型“{suffix or path.name}”。支持：{supported}（Shapefile 请连同 .shx/.dbf/.prj 打包为 .zip）。",
        )
    if not path.is_file():
        raise InputFileError(f"File not found: {path}", f"找不到文件：{path}")
    if path.stat().st_size == 0:
        raise InputFileError(
            f"{path.name} is empty (0 bytes). Export the layer again and upload the new file.",
            f"{path.name} 是空文件（0 字节）。请重新导出图层后上传。",
        )
    head = _head(path)
    ok = {
        "gpkg": head.startswith(b"SQLite format 3\x00"),
        "zip": head.startswith((b"PK\x03\x04", b"PK\x05\x06")),
        "shp": len(head) >= 4 and head[:4] == b"\x00\x00\x27\x0a",
        "geojson": head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")),
        "csv": b"\x00" not in head,
    }[fmt]
    if not ok:
        expected = {
            "gpkg": "a GeoPackage (SQLite) database",
            "zip": "a zip archive",
            "shp": "a Shapefile .shp (file code 9994)",
            "geojson": "JSON text starting with '{'",
            "csv": "plain text",
        }[fmt]
        expected_zh = {
            "gpkg": "GeoPackage（SQLite）数据库",
            "zip": "zip 压缩包",
            "shp": "Shapefile 的 .shp 文件",
            "geojson": "以“{”开头的 JSON 文本",
            "csv": "纯文本",
        }[fmt]
        raise InputFileError(
            f"{path.name} has the extension {suffix} but its content is not {expected} "
            f"(it starts with {head[:8]!r}). Check that the right file was chosen and that its "
            "extension was not changed.",
            f"{path.name} 的扩展名为 {suffix}，但内容不是{expected_zh}（开头字节 {head[:8]!r}）。"
            "请确认选对了文件、扩展名未被改动。",
        )
    return fmt
