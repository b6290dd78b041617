"""More labels, Chinese first (values shown in tables: report codes, severities, actions, amounts; the
data-in-use warning); merged into :data:`ui.i18n.TEXT`."""

from __future__ import annotations

__all__ = ["LABEL_TEXT"]

LABEL_TEXT: dict[str, tuple[str, str]] = {
    # severities and actions of the validation report (parcels.validate.ISSUE_CODES)
    "sev.error": ("错误", "error"),
    "sev.warning": ("警告", "warning"),
    "sev.info": ("提示", "info"),
    "act.rejected": ("已剔除", "rejected"),
    "act.repaired": ("已修复", "repaired"),
    "act.kept": ("保留", "kept"),
    "act.generated": ("已生成", "generated"),
    "act.set_missing": ("置为缺失", "set to missing"),
    "act.converted": ("已换算", "converted"),
    "act.defaulted": ("按默认值", "set to the default"),
    "act.none": ("无", "none"),
    "act.not_applied": ("未采用", "not applied"),
    "act.updated": ("已更新", "updated"),
    # issue codes
    "issue.missing_geometry": ("几何为空或无法读取", "Missing geometry"),
    "issue.non_polygon_geometry": ("几何不是面", "Not a polygon"),
    "issue.invalid_geometry_repaired": ("无效几何已修复", "Invalid geometry repaired"),
    "issue.duplicate_id": ("宗地编号重复", "Duplicate parcel ID"),
    "issue.missing_id": ("缺少宗地编号", "Missing parcel ID"),
    "issue.missing_lease": ("缺少出让期限", "Missing lease dates"),
    "issue.inconsistent_lease": ("出让期限不一致", "Inconsistent lease dates"),
    "issue.unparsable_date": ("日期无法识别", "Unreadable date"),
    "issue.unparsable_number": ("数值无法识别", "Unreadable number"),
    "issue.unit_converted": ("单位已换算", "Unit converted"),
    "issue.negative_value": ("数值为负", "Negative value"),
    "issue.unknown_land_use": ("土地用途无法识别", "Unknown land use"),
    "issue.unknown_zone": ("功能区无法识别", "Unknown zone"),
    "issue.unknown_industry": ("行业无法识别", "Unknown industry"),
    "issue.unparsable_flag": ("是/否无法识别", "Unreadable yes/no"),
    "issue.outside_district": ("位于区界之外", "Outside the district"),
    "issue.approximate_datum": ("坐标基准近似转换", "Approximate datum"),
    "issue.crs_overridden": ("坐标系已按指定覆盖", "CRS overridden"),
    "issue.polygonal_parts_kept": ("仅保留面状部分", "Polygonal parts kept"),
    "issue.unmapped_field": ("未映射的字段", "Unmapped column"),
    "issue.renamed_field": ("字段已改名", "Column renamed"),
    "issue.truncated_field_name": ("字段名被截断", "Truncated column name"),
    "issue.missing_field": ("缺少字段", "Missing field"),
    "issue.reader_warning": ("读取警告", "Reader warning"),
    "issue.no_usable_parcels": ("没有可用地块", "No usable parcels"),
    "issue.table_missing_key": ("统计表行缺少宗地编号", "Table row without a parcel ID"),
    "issue.table_unmatched": ("统计表行未匹配地块", "Table row matching no parcel"),
    "issue.table_duplicate_key": ("统计表宗地编号重复", "Parcel repeated in the table"),
    "issue.table_values_applied": ("统计表字段已填入", "Table values applied"),
    "issue.table_joined": ("统计表已关联", "Table joined"),
    # amounts in 亿元 (10^8 yuan): English in billions, or millions below one billion
    "yi.amount": ("{v} 亿元", "¥{v} bn"),
    "yi.amount_m": ("{v} 亿元", "¥{v} M"),
    # the data in use lie wholly outside the district (ui.frame.data_notice)
    "data.outside_in_use": ("当前数据的 {n} 宗地块全部位于区界（含边距）之外：请检查坐标系或 GCJ-02 选项。",
                            "All {n} parcels of the data in use lie outside the district (margin included): "
                            "check the CRS or the GCJ-02 option."),
}
