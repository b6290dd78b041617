"""Industry of a parcel's user: GB/T 4754-2017 codes and names to the two-digit division.

Cadastral and statistics tables write the industry as a code of any depth, with or without
the section letter (``"C39"``, ``"39"``, ``"C3961"``, ``"3961"``), as the division's name
(``"计算机、通信和其他电子设备制造业"``), or both (``"C39 计算机、通信…"``).
:func:`parse_industry_codes` reads them all into the two-digit division (``"39"``).  Names
are known for the manufacturing divisions (section C, 13–43), the ones the land control
standard rates.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

__all__ = ["MANUFACTURING_DIVISIONS", "parse_industry_codes"]

#: GB/T 4754-2017 section C (制造业): division code -> name.
MANUFACTURING_DIVISIONS: dict[str, str] = {
    "13": "农副食品加工业", "14": "食品制造业", "15": "酒、饮料和精制茶制造业", "16": "烟草制品业",
    "17": "纺织业", "18": "纺织服装、服饰业", "19": "皮革、毛皮、羽毛及其制品和制鞋业",
    "20": "木材加工和木、竹、藤、棕、草制品业", "21": "家具制造业", "22": "造纸和纸制品业",
    "23": "印刷和记录媒介复制业", "24": "文教、工美、体育和娱乐用品制造业",
    "25": "石油、煤炭及其他燃料加工业", "26": "化学原料和化学制品制造业", "27": "医药制造业",
    "28": "化学纤维制造业", "29": "橡胶和塑料制品业", "30": "非金属矿物制品业",
    "31": "黑色金属冶炼和压延加工业", "32": "有色金属冶炼和压延加工业", "33": "金属制品业",
    "34": "通用设备制造业", "35": "专用设备制造业", "36": "汽车制造业",
    "37": "铁路、船舶、航空航天和其他运输设备制造业", "38": "电气机械和器材制造业",
    "39": "计算机、通信和其他电子设备制造业", "40": "仪器仪表制造业", "41": "其他制造业",
    "42": "废弃资源综合利用业", "43": "金属制品、机械和设备修理业",
}

_CODE = re.compile(r"^([A-T])?(\d{2})\d{0,2}(?![\d])")
_PUNCT = re.compile(r"[\s、，,（）()·]+")


def _plain(text: str) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text))


# names without punctuation, longest first (so 金属制品、机械和设备修理业 wins over 金属制品业)
_NAMES: tuple[tuple[str, str], ...] = tuple(sorted(
    ((_plain(name), code) for code, name in MANUFACTURING_DIVISIONS.items()), key=lambda p: -len(p[0])))


def _one(value: str) -> str | None:
    text = unicodedata.normalize("NFKC", value).strip().upper()
    hit = _CODE.match(text)
    if hit:
        letter, code = hit.group(1), hit.group(2)
        if letter == "C" and code not in MANUFACTURING_DIVISIONS:
            return None
        return code
    plain = _plain(text)
    for name, code in _NAMES:
        if name in plain:
            return code
    return None


def parse_industry_codes(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Two-digit GB/T 4754 divisions from codes or names.

    Parameters
    ----------
    values
        Any Series of industry codes or names (numbers are read as codes: ``39.0`` is ``"39"``).

    Returns
    -------
    (codes, unrecognised)
        ``codes`` is str, the two-digit division, missing where empty or not understood;
        ``unrecognised`` is True where a non-empty value could not be read.
    """
    if pd.api.types.is_float_dtype(values.dtype):
        values = values.astype("Int64")
    text = values.astype("str").str.strip()
    text = text.mask(values.isna() | (text == ""))
    table = {v: _one(v) for v in pd.unique(text.dropna())}
    codes = text.map(table).astype(object)
    unrecognised = text.notna() & codes.isna()
    return codes.astype("str"), unrecognised.astype(bool)
