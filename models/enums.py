"""Closed vocabularies shared by the API, the database and the cores.

Each enum's values are stable ASCII codes (stored in the database and sent over the API); the
zh-CN and en labels live beside them in ``LABELS`` so that user-facing text never shows a code.
"""
from enum import StrEnum


class Role(StrEnum):
    """What an API key may do. ``admin`` manages its own organisation's keys and reads its audit log;
    ``platform_admin`` (created only with ``pathfit keys create --role platform_admin``) creates
    organisations and administers every one of them, and is the only role that crosses organisations."""

    platform_admin = "platform_admin"
    admin = "admin"
    counsellor = "counsellor"
    case_system = "case_system"
    analyst = "analyst"


class Gender(StrEnum):
    """Recorded for fairness audits only; never an input to a score or a filter."""

    female = "female"
    male = "male"
    other = "other"
    unspecified = "unspecified"


class EducationLevel(StrEnum):
    """Highest completed education, in the Chinese system's order (lowest first)."""

    none = "none"  # 未上过学
    primary = "primary"  # 小学
    junior_secondary = "junior_secondary"  # 初中
    senior_secondary = "senior_secondary"  # 高中
    vocational_secondary = "vocational_secondary"  # 中专/中职/技校
    junior_college = "junior_college"  # 大专
    bachelor = "bachelor"  # 本科
    postgraduate = "postgraduate"  # 研究生

    @property
    def rank(self) -> int:
        """Attainment level 0 (none) … 6 (postgraduate); 高中 and 中专 share level 3."""
        return _EDUCATION_RANK[self]


_EDUCATION_RANK = {
    EducationLevel.none: 0,
    EducationLevel.primary: 1,
    EducationLevel.junior_secondary: 2,
    EducationLevel.senior_secondary: 3,
    EducationLevel.vocational_secondary: 3,
    EducationLevel.junior_college: 4,
    EducationLevel.bachelor: 5,
    EducationLevel.postgraduate: 6,
}


class HardToEmployCategory(StrEnum):
    """就业困难人员 categories as local policies commonly list them."""

    long_term_unemployed = "long_term_unemployed"  # 长期失业人员
    older_worker = "older_worker"  # 大龄失业人员 (“4050”)
    disabled = "disabled"  # 残疾人
    low_income_household = "low_income_household"  # 城乡低保家庭成员
    land_lost_farmer = "land_lost_farmer"  # 失地农民
    other = "other"


class Shift(StrEnum):
    """When work happens; a person declares which they can work, a vacancy which it needs."""

    day = "day"
    evening = "evening"
    night = "night"
    weekend = "weekend"
    rotating = "rotating"


class PhysicalDemand(StrEnum):
    """Physical demands a vacancy states and a person may declare they cannot meet."""

    heavy_lifting = "heavy_lifting"  # 搬运重物 (> 20 kg)
    prolonged_standing = "prolonged_standing"  # 长时间站立
    walking_long_distances = "walking_long_distances"  # 长距离行走
    climbing_heights = "climbing_heights"  # 登高作业
    fine_manual_work = "fine_manual_work"  # 精细手工
    outdoor_work = "outdoor_work"  # 户外作业
    driving = "driving"  # 驾驶
    cold_or_hot_environment = "cold_or_hot_environment"  # 高温/低温环境


LABELS: dict[str, dict[str, dict[str, str]]] = {
    "EducationLevel": {
        "none": {"zh-CN": "未上过学", "en": "No formal schooling"},
        "primary": {"zh-CN": "小学", "en": "Primary school"},
        "junior_secondary": {"zh-CN": "初中", "en": "Junior secondary"},
        "senior_secondary": {"zh-CN": "高中", "en": "Senior secondary"},
        "vocational_secondary": {"zh-CN": "中专/中职/技校", "en": "Vocational secondary"},
        "junior_college": {"zh-CN": "大专", "en": "Junior college"},
        "bachelor": {"zh-CN": "本科", "en": "Bachelor's degree"},
        "postgraduate": {"zh-CN": "研究生", "en": "Postgraduate"},
    },
    "Role": {
        "platform_admin": {"zh-CN": "平台管理员", "en": "Platform administrator"},
        "admin": {"zh-CN": "管理员", "en": "Administrator"},
        "counsellor": {"zh-CN": "职业指导师", "en": "Counsellor"},
        "case_system": {"zh-CN": "业务系统", "en": "Case system"},
        "analyst": {"zh-CN": "分析员", "en": "Analyst"},
    },
}
