"""Readable zh-CN / en labels for enum codes (education, gender, hard-to-employ categories, shifts,
physical demands, fit components, exclusion reasons), shared by the pages and by services that write
exports, so that a service never imports the pages layer."""
from models.enums import LABELS

NOT_GIVEN = ("未填", "Not given")

REASON_LABELS = {
    "certificate": ("缺少证书", "certificate missing"),
    "education": ("文化程度不够", "education below requirement"),
    "hours": ("工作时间不合适", "hours do not fit"),
    "shift": ("班次不合适", "shift does not fit"),
    "commute": ("路程太远", "too far to travel"),
    "physical": ("体力要求不合适", "physical demands"),
    "closed": ("已截止", "closed"),
    "certificate_held": ("已有这个证书", "certificate already held"),
    "leads_elsewhere": ("不如现有的方向合适", "leads to a weaker direction than those open now"),
}

SHIFTS = {"day": ("白班", "Day"), "evening": ("晚班", "Evening"), "night": ("夜班", "Night"),
          "weekend": ("周末", "Weekend"), "rotating": ("倒班", "Rotating shifts")}

PHYSICAL = {
    "heavy_lifting": ("搬运重物", "Heavy lifting"), "prolonged_standing": ("长时间站立", "Standing for long"),
    "walking_long_distances": ("长距离行走", "Walking long distances"), "climbing_heights": ("登高作业", "Working at heights"),
    "fine_manual_work": ("精细手工", "Fine handwork"), "outdoor_work": ("户外作业", "Outdoor work"),
    "driving": ("驾驶", "Driving"), "cold_or_hot_environment": ("高温或低温环境", "Very hot or cold places"),
}

COMPONENT_LABELS = {
    "aptitude": ("能力", "Ability"), "interest": ("兴趣", "Interest"), "work_values": ("工作价值观", "Work values"),
    "work_style": ("工作风格", "Work style"), "practical": ("实际条件", "Practical fit"),
    "occupation_fit": ("职业匹配", "Occupation fit"), "demand": ("用工需求", "Demand"),
    "access": ("参加条件", "Access"), "gap": ("能力差距", "Gap"), "gaps_closed": ("补上的差距", "Gaps closed"),
    "local_demand": ("本地用工需求", "Local demand"), "placement": ("结业后就业", "Placement after training"),
}

GENDER = {"female": ("女", "Female"), "male": ("男", "Male"), "other": ("其他", "Other"),
          "unspecified": ("不愿说明", "Prefer not to say")}

HARD_TO_EMPLOY = {
    "long_term_unemployed": ("长期失业人员", "Long-term unemployed"),
    "older_worker": ("大龄失业人员（“4050”）", "Older unemployed worker (“4050”)"),
    "disabled": ("残疾人", "Person with a disability"),
    "low_income_household": ("城乡低保家庭成员", "Member of a minimum-income household"),
    "land_lost_farmer": ("失地农民", "Farmer who lost their land"),
    "other": ("其他", "Other"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    """The ``lang`` text of a (zh-CN, en) pair; zh-CN unless ``lang`` is "en"."""
    return pair[1] if lang == "en" else pair[0]


def label(table: str, code: str | None, lang: str) -> str:
    """A readable label for an enum code (education, gender, hard-to-employ category, reasons)."""
    if code is None:
        return pick(NOT_GIVEN, lang)
    if table in LABELS:
        return LABELS[table].get(code, {}).get(lang, code)
    pairs = {"Gender": GENDER, "HardToEmploy": HARD_TO_EMPLOY, "Reason": REASON_LABELS,
             "Component": COMPONENT_LABELS, "Shift": SHIFTS, "Physical": PHYSICAL}[table]
    return pick(pairs[code], lang) if code in pairs else code
