"""Land-use values (codes of two systems, or Chinese/English names) to product categories.

The categories are :data:`parcels.schema.LAND_USES`.  A value is read, in order, as

1. a code of 《国土空间调查、规划、用途管制用地用海分类指南》 (digits: 2, 4 or 6 of
   them; a number that lost its leading zero, e.g. ``902``, is padded back);
2. a GB 50137-2011 code (a letter and up to three digits: ``M1``, ``B29``, ``H24``);
3. a name, by keyword (``工业用地``, ``商务``, ``仓储`` ...; English names too).

Mixed values such as ``M1/B2`` or ``1001、0902`` are read by their first token.

Choices worth knowing:

* ``0802`` 科研用地 is *public_service*: in the classification guide it is land of
  public research institutions (科研事业单位) under 08 公共管理与公共服务用地.
  Enterprise R&D land in local plans (``M0``, 新型产业用地, 研发用地) is *industrial*.
* ``1203`` 机场用地 and GB ``H24`` are *airport*; the rest of ``12``/``S``/``H2`` is
  *transport*.
* ``13`` 公用设施, ``16`` 留白, ``15`` 特殊, agricultural/natural land (``01``-``06``,
  ``17``-``24``), GB ``U``, ``E``, ``H1``, ``H3``-``H9`` are *other* (recognised).
* Third national land survey (三调) codes overlap the guide's codes with other
  meanings (e.g. 三调 ``1001`` 铁路用地); the guide's meaning is used.

Anything else becomes ``other`` and is reported as unrecognised.  Work is done
once per distinct value, so the cost does not grow with the number of rows.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from parcels.schema import LAND_USES

__all__ = ["classify_land_use", "unrecognised_land_use", "land_use_of"]

# 用地用海分类: first two digits -> category (four-digit exceptions in _GUIDE4)
_GUIDE2 = {
    "01": "other", "02": "other", "03": "other", "04": "other", "05": "other", "06": "other",
    "07": "residential", "08": "public_service", "09": "commercial_office", "10": "industrial",
    "11": "logistics", "12": "transport", "13": "other", "14": "green_open", "15": "other",
    "16": "other", "17": "other", "18": "other", "19": "other", "20": "other", "21": "other",
    "22": "other", "23": "other", "24": "other",
}
_GUIDE4 = {"1203": "airport"}

# GB 50137-2011: letter -> category (two-character exceptions in _GB_PREFIX)
_GB1 = {
    "M": "industrial", "B": "commercial_office", "W": "logistics", "R": "residential",
    "A": "public_service", "S": "transport", "G": "green_open", "U": "other", "E": "other",
    "H": "other",
}
_GB_PREFIX = {"H24": "airport", "H2": "transport"}

# Names: (keywords, category), first match wins; order matters.
_KEYWORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("机场", "airport"), "airport"),
    (("科研", "教育", "学校", "医疗", "医院", "卫生", "文化", "体育", "社会福利", "机关", "公共管理",
      "公共服务", "行政办公", "文物", "public"), "public_service"),
    (("新型产业", "研发", "工业", "厂房", "制造", "工矿", "industr", "manufactur"), "industrial"),
    (("仓储", "物流", "仓库", "储备库", "logistic", "warehouse", "storage"), "logistics"),
    (("商务", "商业", "商服", "商办", "办公", "金融", "零售", "批发", "餐饮", "旅馆", "酒店", "娱乐", "康体",
      "商住", "commerc", "office", "business", "retail"), "commercial_office"),
    (("住宅", "居住", "公寓", "宅基地", "residen", "housing"), "residential"),
    (("绿地", "公园", "广场", "开敞", "防护林", "green", "park", "open space"), "green_open"),
    (("道路", "交通", "铁路", "公路", "港口", "码头", "轨道", "场站", "停车", "运输", "road", "transport",
      "railway"), "transport"),
    (("公用设施", "供水", "排水", "供电", "燃气", "供热", "通信", "环卫", "消防", "水工", "留白", "特殊",
      "水域", "耕地", "林地", "草地", "园地", "湿地", "农业", "农用", "未利用", "空闲", "其他", "其它", "utilit",
      "other", "vacant"), "other"),
)

_TOKEN = re.compile(r"[/／、,，;；+＋|\s]+")
_GB_CODE = re.compile(r"^([ABEGHMRSUW])(\d{0,3})(?![A-Z&])")


def land_use_of(value: object) -> str | None:
    """The product category of one raw value, or None when it is not recognised."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    if text in LAND_USES:
        return text
    token = _TOKEN.split(text, maxsplit=1)[0] or text
    upper = token.upper()
    digits = re.match(r"^(\d{1,6})(?!\d)", upper)
    if digits:
        code = digits.group(1)
        if len(code) % 2:
            code = "0" + code
        if code[:4] in _GUIDE4:
            return _GUIDE4[code[:4]]
        if code[:2] in _GUIDE2:
            return _GUIDE2[code[:2]]
        return None
    gb = _GB_CODE.match(upper)
    if gb:
        letter, num = gb.groups()
        for prefix, cat in _GB_PREFIX.items():
            if (letter + num).startswith(prefix):
                return cat
        return _GB1[letter]
    folded = text.casefold()
    for words, cat in _KEYWORDS:
        if any(w in folded for w in words):
            return cat
    return None


def _lookup(values: pd.Series) -> pd.Series:
    uniques = pd.unique(values.dropna())
    table = {u: land_use_of(u) for u in uniques}
    return values.map(table).astype(object)


def classify_land_use(values: pd.Series) -> pd.Series:
    """Product land-use categories for raw values; unrecognised and missing give ``"other"``.

    Parameters
    ----------
    values
        Codes or names as read from the source.

    Returns
    -------
    pandas.Series
        ``str`` values from :data:`parcels.schema.LAND_USES`, aligned to ``values``.
    """
    return _lookup(values).fillna("other").astype("str")


def unrecognised_land_use(values: pd.Series) -> pd.Series:
    """True where a value (including a missing one) is not a recognised land use."""
    return _lookup(values).isna()
