"""The columns of the import spreadsheets (vacancies, training programmes): Chinese headers as centres
write them, what each cell may hold, and the template file ``pathfit vacancies|programmes template`` writes.

A column is found by its Chinese header, any of its usual other names, or the API field name, ignoring
spaces, full-width brackets and a unit in brackets ("月薪（元）" is "月薪"). Cells may say what people
write in China: "3人", "3500元", "3500-4500元/月" (a range gives the lowest and highest pay), dates as
2026-11-01, 2026/11/01 or 2026年11月1日, 是/否, "初中及以上", "白班、夜班". ``docs/import-templates.md``
documents the same tables; a test keeps the two in step.
"""
import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from models.enums import LABELS

PAY_RANGE = "pay"  # a virtual column: "月薪" holding "3500" or "3500-4500元/月" fills pay_min and pay_max


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the Chinese header the template uses
    en: str  # what the column holds, in English (the template's second language)
    example: str
    aliases: tuple[str, ...] = ()
    note: str = ""  # what may be written, in Chinese (the template's documentation)


VACANCY_COLUMNS = (
    Column("external_id", "岗位编号", "vacancy id in your system", "GW-2026-001", ("编号", "序号编号"), "可不填；填了则再次导入时按编号更新"),
    Column("employer", "单位", "employer", "朝阳区某物业服务有限公司", ("单位名称", "用人单位", "招聘单位", "企业名称", "公司名称"), "必填"),
    Column("title", "岗位名称", "job title", "小区保洁员", ("岗位", "职位", "职位名称", "招聘岗位", "工种"), "必填"),
    Column("occupation_code", "职业代码", "CSCO 2022 occupation code", "4-09-08-01", ("职业编码", "职业分类代码"),
           "可不填，系统按岗位名称自动编码；填了必须是 2022 版职业分类大典里的代码"),
    Column("openings", "招聘人数", "openings", "3人", ("人数", "需求人数", "招聘数量"), "可写“3”或“3人”，不填为 1"),
    Column("district", "所在区", "district", "朝阳区", ("区县", "所在区县", "工作区域", "地区"), "必填；不填时从“地址”里取区县"),
    Column("address", "地址", "address", "朝阳区建国路88号", ("工作地点", "工作地址", "详细地址"), "可不填；只用来取区县，不保存"),
    Column("lat", "纬度", "latitude", "39.921", (), "可不填；与经度一起填"),
    Column("lon", "经度", "longitude", "116.443", (), "可不填；与纬度一起填"),
    Column(PAY_RANGE, "月薪", "monthly pay (one figure or a range)", "3500-4500元/月", ("工资", "薪资", "月工资", "薪酬", "工资待遇"),
           "可写“3500元”或“3500-4500元/月”；按天、按小时的工资按每月 21.75 天、174 小时折算；“面议”视为不填"),
    Column("pay_min", "月薪下限", "lowest monthly pay, yuan", "", ("最低月薪", "最低工资"), "可不填（已有“月薪”时不用填）"),
    Column("pay_max", "月薪上限", "highest monthly pay, yuan", "", ("最高月薪", "最高工资"), "可不填（已有“月薪”时不用填）"),
    Column("hours_per_week", "每周工时", "hours per week", "40", ("周工时", "每周工作小时", "每周工作时间"), "小时，可写“40小时”"),
    Column("shifts", "班次", "shifts", "白班、夜班", ("工作班次",), "白班、晚班、夜班、周末、倒班，几项用“、”或“|”分开"),
    Column("education_min", "学历要求", "lowest education", "初中及以上", ("学历", "文化程度", "最低学历"),
           "小学、初中、高中、中专、大专、本科、研究生，可写“初中及以上”；“不限”视为不填"),
    Column("education_min_is_hard", "学历是硬性要求", "the education minimum is a hard requirement", "否", ("学历硬性要求",), "是/否"),
    Column("required_certificates", "所需证书", "required certificates", "保安员证", ("证书要求", "资格证书"), "几项用“、”或“|”分开"),
    Column("physical_demands", "体力要求", "physical demands", "长时间站立", ("身体要求",),
           "搬运重物、长时间站立、长距离行走、登高作业、精细手工、户外作业、驾驶、高温低温环境"),
    Column("public_welfare", "公益性岗位", "public-welfare job", "否", ("是否公益性岗位",), "是/否"),
    Column("internship", "见习岗位", "internship", "否", ("是否见习岗位", "见习"), "是/否"),
    Column("directed_training", "定向培训", "directed training", "否", ("是否定向培训",), "是/否"),
    Column("posted_on", "发布日期", "posted on", "2026/11/01", ("发布时间",), "如 2026-11-01、2026/11/01、2026年11月1日"),
    Column("closes_on", "截止日期", "closes on", "2026年12月31日", ("截止时间", "有效期至"), "同上"),
)

PROGRAMME_COLUMNS = (
    Column("external_id", "项目编号", "programme id in your system", "PX-2026-01", ("编号",), "可不填；填了则再次导入时按编号更新"),
    Column("provider", "培训机构", "provider", "朝阳区职业技能培训学校", ("机构", "培训单位", "承办机构"), "必填"),
    Column("title", "项目名称", "title", "养老护理员（五级）培训", ("培训项目", "培训名称", "班级名称"), "必填"),
    Column("target_occupation_codes", "目标职业代码", "occupation codes it trains for", "4-10-01-05", ("职业代码", "对应职业代码"),
           "必填；2022 版职业分类大典的代码，几项用“、”或“|”分开"),
    Column("education_min", "入学学历要求", "lowest education to enrol", "初中", ("学历要求", "学历"), "同岗位表"),
    Column("required_certificates", "入学所需证书", "certificates needed to enrol", "", ("所需证书",), "几项用“、”或“|”分开"),
    Column("certificates_awarded", "结业证书", "certificates awarded", "养老护理员（五级）", ("颁发证书", "取得证书"), "几项用“、”或“|”分开"),
    Column("education_awarded", "结业学历", "education awarded", "", (), "可不填"),
    Column("duration_weeks", "培训周数", "duration, weeks", "6周", ("周数", "培训时长（周）"), "必填，可写“6”或“6周”"),
    Column("hours_per_week", "每周课时", "hours per week", "20", ("周课时",), "小时"),
    Column("schedule_shifts", "上课时段", "when classes run", "白班", ("上课时间", "班次"), "同岗位表的班次"),
    Column("district", "所在区", "district", "朝阳区", ("区县", "地区"), "必填；不填时从“地址”里取区县"),
    Column("address", "地址", "address", "", ("培训地点", "上课地点"), "可不填；只用来取区县，不保存"),
    Column("lat", "纬度", "latitude", "", (), "可不填；与经度一起填"),
    Column("lon", "经度", "longitude", "", (), "可不填；与纬度一起填"),
    Column("capacity", "招生人数", "places", "30人", ("名额", "人数", "计划人数"), "必填"),
    Column("cost_yuan", "培训费用", "fee, yuan", "0元", ("费用", "学费"), "元，不填为 0"),
    Column("subsidy_yuan", "补贴金额", "subsidy per trainee, yuan", "1500元", ("补贴", "培训补贴"), "元，不填为 0"),
    Column("start_date", "开班日期", "start date", "2026/12/01", ("开班时间", "开课日期"), "如 2026/12/01"),
    Column("placement_rate", "就业率", "share placed within 6 months", "85%", ("结业就业率",), "写“85%”或“0.85”"),
)

PEOPLE_COLUMNS = (
    Column("external_id", "编号", "case number", "BJ-CY-0001", ("人员编号", "求职者编号", "档案号", "业务编号"),
           "必填；只用字母、数字和 . _ : -；再次导入时按编号更新"),
    Column("name", "姓名", "name", "王芳", (), "可不填"),
    Column("birth_year", "出生年份", "year of birth", "1979", ("出生年",), "四位数字，如 1979"),
    Column("gender", "性别", "gender (fairness checks only)", "女", (), "男、女；只用于公平性检查"),
    Column("education", "文化程度", "education", "初中", ("学历",), "小学、初中、高中、中专、大专、本科、研究生"),
    Column("district", "所在区", "district", "朝阳区", ("区县", "居住区"), "可不填"),
    Column("expected_monthly_pay", "期望月薪", "expected monthly pay, yuan", "4000元", ("期望工资",), "元"),
    Column("skills", "技能", "skills", "收银、理货", (), "几项用“、”或“|”分开"),
    Column("certificates", "证书", "certificates", "健康证", ("资格证书",), "几项用“、”或“|”分开"),
    Column("zero_employment_family", "零就业家庭", "zero-employment family", "否", (), "是/否"),
    Column("assistance_card", "持就业援助卡", "holds an employment assistance card", "是", ("就业援助卡",), "是/否"),
)

_BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_SHIFTS = {"白班": "day", "日班": "day", "早班": "day", "晚班": "evening", "中班": "evening", "夜班": "night",
           "周末": "weekend", "双休日": "weekend", "倒班": "rotating", "轮班": "rotating", "三班倒": "rotating",
           "两班倒": "rotating"}
_PHYSICAL = {"搬运重物": "heavy_lifting", "重体力": "heavy_lifting", "长时间站立": "prolonged_standing", "站立": "prolonged_standing",
             "长距离行走": "walking_long_distances", "行走": "walking_long_distances", "登高作业": "climbing_heights",
             "登高": "climbing_heights", "精细手工": "fine_manual_work", "户外作业": "outdoor_work", "户外": "outdoor_work",
             "驾驶": "driving", "高温低温环境": "cold_or_hot_environment", "高温/低温环境": "cold_or_hot_environment",
             "高温": "cold_or_hot_environment", "低温": "cold_or_hot_environment"}
SHIFT_WORDS = {"day": "白班", "evening": "晚班", "night": "夜班", "weekend": "周末", "rotating": "倒班"}
PHYSICAL_WORDS = {"heavy_lifting": "搬运重物", "prolonged_standing": "长时间站立", "walking_long_distances": "长距离行走",
                  "climbing_heights": "登高作业", "fine_manual_work": "精细手工", "outdoor_work": "户外作业",
                  "driving": "驾驶", "cold_or_hot_environment": "高温低温环境"}
_EDUCATION = [("postgraduate", ("研究生", "硕士", "博士")), ("bachelor", ("本科", "学士")),
              ("junior_college", ("大专", "专科", "高职")), ("vocational_secondary", ("中专", "中职", "技校", "职高")),
              ("senior_secondary", ("高中",)), ("junior_secondary", ("初中",)), ("primary", ("小学",)),
              ("none", ("未上过学", "文盲"))]
_NOT_GIVEN = {"不限", "面议", "无", "-", "—", "/"}
_LIST_SEPARATORS = re.compile(r"[|、，,；;／]")
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
_WITH_UNIT = re.compile(rf"^\s*({_NUMBER})\s*(人|名|个|元|块|元/月|周|小时|h|天|岁)?\s*$")
_PAY = re.compile(rf"^\s*({_NUMBER})\s*(?:元)?\s*(?:(?:-|－|~|～|—|至|到)\s*({_NUMBER}))?\s*(?:元)?\s*"
                  r"(?:/|每)?\s*(月|天|日|小时|时|周|年)?\s*$")
_PER_MONTH = {"月": 1.0, None: 1.0, "天": 21.75, "日": 21.75, "小时": 174.0, "时": 174.0, "周": 52 / 12, "年": 1 / 12}
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_DISTRICT = re.compile(r"([\u4e00-\u9fff]{1,8}?(?:区|县|旗))")


def normalise_header(text: str) -> str:
    """A header as compared: no spaces, no bracketed unit, no trailing '*' marking a required column."""
    return _BRACKETED.sub("", str(text)).replace(" ", "").replace("\u3000", "").strip().rstrip("*＊").lower()


def header_map(columns: tuple[Column, ...]) -> dict[str, str]:
    """Every accepted header (normalised) → the field it fills."""
    names: dict[str, str] = {}
    for column in columns:
        for name in (column.field, column.header, *column.aliases):
            names.setdefault(normalise_header(name), column.field)
    return names


def column_for(columns: tuple[Column, ...], field: str) -> Column | None:
    return next((c for c in columns if c.field == field), None)


def _number(text: str) -> str:
    return text.replace(",", "")


def parse_pay(value: Any) -> tuple[int | None, int | None] | None:
    """("3500-4500元/月") → (3500, 4500); one figure gives it twice; "面议" → (None, None); None if unreadable."""
    if isinstance(value, (int, float)):
        return int(value), int(value)
    text = str(value).strip()
    if text in _NOT_GIVEN:
        return None, None
    match = _PAY.match(text.replace("元/", "/").replace(" ", ""))
    if match is None:
        return None
    factor = _PER_MONTH[match.group(3)]
    low = round(float(_number(match.group(1))) * factor)
    high = round(float(_number(match.group(2))) * factor) if match.group(2) else low
    return low, high


def parse_date(value: Any) -> Any:
    """A date from 2026-11-01, 2026/11/01, 2026.11.1, 2026年11月1日 or a spreadsheet date; else unchanged."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE.match(str(value))
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return value  # 2026/02/30: left for validation to name
    return value


def parse_number(value: Any) -> Any:
    """"3人", "3500元", "40小时", "6周", "1,500" → the number; "85%" → 0.85; else unchanged."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.endswith(("%", "％")) and re.fullmatch(_NUMBER, text[:-1].strip()):
        return float(_number(text[:-1].strip())) / 100
    match = _WITH_UNIT.match(text)
    if match is None:
        return value
    number = _number(match.group(1))
    return int(number) if re.fullmatch(r"\d+", number) else float(number)


def _words(value: Any) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATORS.split(str(value)) if part.strip()]


def parse_education(value: Any) -> Any:
    text = str(value).strip()
    if text in {e for e in LABELS["EducationLevel"]}:
        return text
    if text in _NOT_GIVEN:
        return None
    for level, words in _EDUCATION:
        if any(word in text for word in words):
            return level
    return value


def parse_words(value: Any, words: dict[str, str]) -> Any:
    """"白班、夜班" → ["day", "night"]; unknown words are kept so validation names them."""
    if isinstance(value, list):
        return value
    return [words.get(part, words.get(part.replace("/", ""), part)) for part in _words(value)]


def district_from_address(address: str) -> str | None:
    """The first 区/县/旗 named in an address ("北京市朝阳区建国路88号" → "朝阳区")."""
    match = _DISTRICT.search(str(address).split("市")[-1] if "市" in str(address) else str(address))
    return match.group(1) if match else None


_NUMBER_FIELDS = {"birth_year", "expected_monthly_pay", "openings", "lat", "lon", "pay_min", "pay_max", "hours_per_week", "duration_weeks", "capacity",
                  "cost_yuan", "subsidy_yuan", "placement_rate"}
_DATE_FIELDS = {"posted_on", "closes_on", "start_date"}
_EDUCATION_FIELDS = {"education_min", "education_awarded", "education"}
_SHIFT_FIELDS = {"shifts", "schedule_shifts"}
_LIST_FIELDS = {"required_certificates", "certificates_awarded", "target_occupation_codes", "skills", "certificates"}
_GENDER = {"男": "male", "女": "female", "其他": "other"}
_PRIORITY_FIELDS = ("zero_employment_family", "assistance_card")


def translate_row(record: dict[str, Any], columns: tuple[Column, ...]) -> tuple[dict[str, Any], dict[str, str]]:
    """A spreadsheet row (keyed by its headers) as model fields, and field → the header as written.

    Unknown headers are kept as they are, so validation reports them by name.
    """
    names = header_map(columns)
    out: dict[str, Any] = {}
    written: dict[str, str] = {}
    for header, value in record.items():
        field = names.get(normalise_header(header), header)
        written[field] = header
        out[field] = value
    if PAY_RANGE in out:
        value = out.pop(PAY_RANGE)
        pay = parse_pay(value)
        if pay is None:
            out["pay_min"] = value  # reported under the 月薪 column
            written["pay_min"] = written[PAY_RANGE]
        else:
            for name, amount in zip(("pay_min", "pay_max"), pay):
                if amount is not None:
                    out.setdefault(name, amount)
                    written.setdefault(name, written[PAY_RANGE])
    if "address" in out:  # no address is stored: it names the district when that column is empty
        address = out.pop("address")
        if "district" not in out and district_from_address(address):
            out["district"] = district_from_address(address)
            written["district"] = written["address"]
    for field, value in list(out.items()):
        if value is None or not isinstance(value, (str, int, float, date)):
            continue
        if field in _NUMBER_FIELDS:
            out[field] = parse_number(value)
        elif field in _DATE_FIELDS:
            out[field] = parse_date(value)
        elif field in _EDUCATION_FIELDS:
            out[field] = parse_education(value)
        elif field in _SHIFT_FIELDS:
            out[field] = parse_words(value, _SHIFTS)
        elif field == "physical_demands":
            out[field] = parse_words(value, _PHYSICAL)
        elif field in _LIST_FIELDS and isinstance(value, str):
            out[field] = _words(value)
        elif field == "gender" and isinstance(value, str):
            out[field] = _GENDER.get(value.strip(), value)
    if columns is PEOPLE_COLUMNS and any(k in out for k in _PRIORITY_FIELDS):
        out["priority"] = {k: _yes_no(out.pop(k)) for k in _PRIORITY_FIELDS if k in out}
    return {k: v for k, v in out.items() if v is not None}, written


def _yes_no(value: Any) -> Any:
    text = str(value).strip().lower()
    return True if text in {"是", "有", "√", "true", "1", "yes"} else False if text in {"否", "无", "×", "false", "0", "no"} \
        else value


def template_rows(columns: tuple[Column, ...]) -> list[list[str]]:
    """The template sheet: a title row, the header row, one example row."""
    return [["（此行为标题，可删）请从第 2 行起填写；带 * 的列必须填"],
            [c.header + ("*" if c.note.startswith("必填") else "") for c in columns],
            [c.example for c in columns]]


def template_bytes(columns: tuple[Column, ...], fmt: str) -> bytes:
    """The template as an .xlsx workbook (with a second sheet explaining each column) or a UTF-8 CSV."""
    rows = template_rows(columns)
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "填写"
    for row in rows:
        sheet.append(row)
    notes = book.create_sheet("说明")
    notes.append(["列名", "也可写作", "填写说明", "English"])
    for c in columns:
        notes.append([c.header, "、".join(c.aliases), c.note, c.en])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def columns_markdown(columns: tuple[Column, ...]) -> str:
    """The column table as it appears in ``docs/import-templates.md``."""
    lines = ["| 列名 | 也可写作 | 填写说明 | 例子 | field |", "|---|---|---|---|---|"]
    for c in columns:
        lines.append(f"| {c.header} | {'、'.join(c.aliases)} | {c.note} | {c.example} | `{c.field}` |")
    return "\n".join(lines)
