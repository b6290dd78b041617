"""Statistics tables (CSV, XLSX) joined onto parcels by parcel number."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from analysis.cli import main
from core.errors import InputFileError, SchemaError, UnsafeArchiveError
from parcels.join import join_table, read_table
from parcels.read import read_parcels

X0, Y0 = 614_000.0, 2_716_000.0  # EPSG:4548, in Huli


def _layer(tmp_path: Path) -> Path:
    """Four 100 x 60 m parcels (6,000 m² = 9 亩 each) with output 100, 200, 300, 400 万元."""
    frame = gpd.GeoDataFrame(
        {"宗地编号": ["J-1", "J-2", "J-3", "J-4"], "土地用途": ["工业用地"] * 4,
         "工业总产值": ["100", "200", "300", "400"], "税收": ["10", "20", "30", "40"],
         "出让日期": ["2010-01-01"] * 4, "出让年限": ["50"] * 4},
        geometry=[shapely.box(X0 + 200 * i, Y0, X0 + 200 * i + 100, Y0 + 60) for i in range(4)],
        crs="EPSG:4548",
    )
    path = tmp_path / "parcels.gpkg"
    frame.to_file(path, driver="GPKG")
    return path


def _xlsx(tmp_path: Path, rows: list[list[object]], *, title: bool = True) -> Path:
    path = tmp_path / "统计.xlsx"
    header = ["宗地编号", "工业总产值", "实缴税金", "从业人员", "备注"]
    with pd.ExcelWriter(path) as writer:
        start = 0
        if title:  # statistics sheets carry a title and a blank line above the header
            pd.DataFrame([["2025 年规上工业企业主要指标"]]).to_excel(writer, header=False, index=False)
            start = 2
        pd.DataFrame(rows, columns=header).to_excel(writer, index=False, startrow=start)
    return path


@pytest.fixture()
def joined(tmp_path: Path):
    layer = read_parcels(_layer(tmp_path))
    table = read_table(_xlsx(tmp_path, [
        ["J-1", "1.2亿元", "", "12", "converted"],     # 12,000 万元; tax cell empty: kept
        ["J-2", "250", "25", "", ""],
        ["J-2", "260", "26", "", "a second row for J-2"],
        ["J-9", "5", "1", "1", "no such parcel"],
        ["", "6", "2", "2", "no parcel number"],
        ["J-3", "abc", "35", "30", "unreadable output"],
    ]))
    return layer, join_table(layer.frame, table, name="统计.xlsx")


def test_values_are_applied_by_parcel_number(joined) -> None:
    layer, result = joined
    got = result.frame.set_index("parcel_id")
    assert got.loc["J-1", "output_value"] == 12_000.0  # 1.2 亿元
    assert got.loc["J-1", "tax"] == 10.0  # an empty cell leaves the parcel's value
    assert got.loc["J-1", "employees"] == 12
    assert got.loc["J-2", "output_value"] == 200.0 and got.loc["J-2", "tax"] == 20.0  # ambiguous: untouched
    assert got.loc["J-3", "output_value"] == 300.0  # unreadable: the layer's value stays
    assert got.loc["J-3", "tax"] == 35.0 and got.loc["J-3", "employees"] == 30
    assert got.loc["J-4", "output_value"] == 400.0 and pd.isna(got.loc["J-4", "employees"])
    # ids, order, geometry and the other columns are the layer's
    assert result.frame["parcel_id"].tolist() == layer.frame["parcel_id"].tolist()
    assert result.frame.geometry.equals(layer.frame.geometry)
    assert result.frame["lease_end"].equals(layer.frame["lease_end"])
    assert result.frame["employees"].dtype == layer.frame["employees"].dtype
    assert result.fields == ("output_value", "tax", "employees")
    assert (result.n_table_rows, result.n_applied_rows, result.n_parcels_updated) == (6, 2, 2)


def test_every_table_problem_is_listed_with_its_row(joined) -> None:
    _, result = joined
    report = result.report

    def rows(code: str) -> list[int]:
        return sorted(i.row for i in report.of_code(code))

    assert rows("table_duplicate_key") == [2, 3]
    assert rows("table_unmatched") == [4]
    assert rows("table_missing_key") == [5]
    assert rows("unparsable_number") == [6]
    assert rows("unit_converted") == [1]
    assert all(i.message_zh.startswith("统计表 统计.xlsx 第") for i in report.issues if i.row is not None)
    applied = {i.field: i.value for i in report.of_code("table_values_applied")}
    assert applied == {"output_value": "1", "tax": "1", "employees": "2"}  # parcels filled, per field
    assert not report.of_code("missing_lease") and not report.of_code("missing_id")  # not the layer's notes


def test_a_gbk_csv_is_read_like_a_layer(tmp_path: Path) -> None:
    layer = read_parcels(_layer(tmp_path))
    path = tmp_path / "税收.csv"
    path.write_bytes("地块编号,实缴税金\nJ-4,8000元\nJ-1,7\n".encode("gbk"))
    result = join_table(layer.frame, read_table(path), name=path.name)
    got = result.frame.set_index("parcel_id")["tax"]
    assert got["J-4"] == pytest.approx(0.8) and got["J-1"] == 7.0 and got["J-2"] == 20.0


def test_tables_that_cannot_be_joined_say_why(tmp_path: Path) -> None:
    layer = read_parcels(_layer(tmp_path))
    no_key = tmp_path / "nokey.csv"
    no_key.write_text("企业名称,产值\n甲,1\n", encoding="utf-8")
    with pytest.raises(SchemaError) as info:
        read_table(no_key)
    assert "宗地编号" in info.value.message_zh and "parcel" in info.value.message_en
    only_key = tmp_path / "onlykey.csv"
    only_key.write_text("宗地编号,说明\nJ-1,x\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="besides the parcel number"):
        join_table(layer.frame, read_table(only_key))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputFileError) as err:
        read_table(broken)
    assert "xlsx" in err.value.message_en
    with pytest.raises(InputFileError, match="Unsupported table"):
        read_table(tmp_path / "x.ods")


def test_a_workbook_beyond_the_archive_caps_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _xlsx(tmp_path, [["J-1", str(i), "1", "1", "x" * 200] for i in range(3000)], title=False)
    monkeypatch.setenv("HULI_MAX_UNPACKED_MB", "1")  # the sheet XML alone is larger than 1 MB
    with pytest.raises(UnsafeArchiveError):
        read_table(path)


def test_cli_run_with_a_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    layer = _layer(tmp_path)
    table = _xlsx(tmp_path, [["J-2", "1,800", "", "", ""]])
    out = tmp_path / "out"
    assert main(["run", "--parcels", str(layer), "--join", str(table), "--as-of", "2026-01-01",
                 "--out", str(out)]) == 0
    parcels = gpd.read_file(out / "parcels.geojson").set_index("parcel_id")
    # 100 x 60 m = 6,000 m² = 9 亩 (1 亩 = 10,000/15 m²): 1,800 万元 / 9 亩 = 200 万元/亩
    assert parcels.loc["J-2", "output_per_mu"] == pytest.approx(200.0, rel=1e-3)
    assert parcels.loc["J-1", "output_per_mu"] == pytest.approx(100 / 9, rel=1e-3)
    validation = json.loads((out / "validation.json").read_text(encoding="utf-8"))
    codes = {i["code"] for i in validation["issues"]}
    assert "table_values_applied" in codes
    capsys.readouterr()
    assert main(["validate", str(layer), "--join", str(table)]) == 0
    assert "table_values_applied" in capsys.readouterr().out
    assert main(["run", "--join-sheet", "Sheet1", "--out", str(out)]) == 2
    assert "--join" in capsys.readouterr().err


def test_cli_run_joins_onto_the_embedded_data(tmp_path: Path) -> None:
    import geodata

    first = geodata.read_layer("parcels")["parcel_id"].iloc[0]
    table = tmp_path / "t.csv"
    table.write_text(f"宗地编号,从业人员\n{first},4321\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", "--join", str(table), "--out", str(out)]) == 0
    parcels = gpd.read_file(out / "parcels.geojson").set_index("parcel_id")
    assert int(parcels.loc[first, "employees"]) == 4321
    assert np.isfinite(parcels["area_mu"]).all()


def test_a_csv_with_a_title_line_and_semicolons(tmp_path: Path) -> None:
    layer = read_parcels(_layer(tmp_path))
    path = tmp_path / "统计.csv"
    path.write_bytes("2025年 主要指标\n\n宗地编号;从业人员;工业总产值\nJ-4;9;2,500\n".encode("gbk"))
    result = join_table(layer.frame, read_table(path), name=path.name)
    got = result.frame.set_index("parcel_id")
    assert got.loc["J-4", "employees"] == 9 and got.loc["J-4", "output_value"] == 2_500.0
    assert got.loc["J-1", "output_value"] == 100.0
