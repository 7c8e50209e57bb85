"""schema.org ``JobPosting`` → pathfit vacancy fields.

Mapping (https://schema.org/JobPosting): ``title``; ``hiringOrganization.name`` → employer;
``identifier`` → external_id; ``totalJobOpenings`` → openings; ``jobLocation.address``
(addressLocality, else addressRegion) → district and ``jobLocation.geo`` → lat/lon;
``baseSalary`` (MonetaryAmount with a QuantitativeValue) → pay_min/pay_max in yuan per month;
``workHours`` like "40 hours per week" → hours_per_week; ``datePosted``/``validThrough`` → dates;
``occupationalCategory`` → occupation_code when it is a CSCO 2022 code; ``educationRequirements``
(text or EducationalOccupationalCredential) → education_min. Salaries per hour, day, week or year are
converted with China's standard 21.75 working days and 174 working hours a month (劳社部发〔2008〕3号).
Other JobPosting properties are not used by the matcher and are dropped.
"""
import re
from typing import Any

from models.person import OCCUPATION_CODE_PATTERN

_PER_MONTH = {"HOUR": 174.0, "DAY": 21.75, "WEEK": 52 / 12, "MONTH": 1.0, "YEAR": 1 / 12}
_EDUCATION_WORDS = [  # checked in order: the first match wins
    ("postgraduate", ("研究生", "硕士", "博士", "master", "doctor", "postgraduate")),
    ("bachelor", ("本科", "学士", "bachelor")),
    ("junior_college", ("大专", "专科", "associate")),
    ("vocational_secondary", ("中专", "中职", "技校", "vocational")),
    ("senior_secondary", ("高中", "high school")),
    ("junior_secondary", ("初中", "middle school", "junior secondary")),
    ("primary", ("小学", "primary")),
]


def is_job_posting(record: dict[str, Any]) -> bool:
    return record.get("@type") == "JobPosting"


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _text(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("value") or value.get("credentialCategory")
    return str(value).strip() if value not in (None, "") else None


def _education(value: Any) -> str | None:
    text = (_text(value) or "").lower()
    for level, words in _EDUCATION_WORDS:
        if any(word in text for word in words):
            return level
    return None


def _salary(value: Any) -> tuple[int | None, int | None]:
    value = _first(value)
    if not isinstance(value, dict):
        return None, None
    amount = value.get("value", value)
    if not isinstance(amount, dict):
        return (int(float(amount)),) * 2 if amount not in (None, "") else (None, None)
    factor = _PER_MONTH.get(str(amount.get("unitText", "MONTH")).upper(), 1.0)
    low = amount.get("minValue", amount.get("value"))
    high = amount.get("maxValue", amount.get("value"))
    return _monthly(low, factor), _monthly(high, factor)


def _monthly(value: Any, factor: float) -> int | None:
    return None if value in (None, "") else int(round(float(value) * factor))


def to_vacancy_fields(posting: dict[str, Any]) -> dict[str, Any]:
    """Map one JobPosting object to the fields of ``models.vacancy.VacancyIn`` (unset ones left out)."""
    location = _first(posting.get("jobLocation")) or {}
    address = location.get("address", {}) if isinstance(location, dict) else {}
    geo = location.get("geo", {}) if isinstance(location, dict) else {}
    pay_min, pay_max = _salary(posting.get("baseSalary"))
    hours = re.search(r"(\d+(?:\.\d+)?)", str(posting.get("workHours", "")))
    category = _text(posting.get("occupationalCategory"))
    fields = {
        "external_id": _text(posting.get("identifier")),
        "title": _text(posting.get("title")),
        "employer": _text(posting.get("hiringOrganization")),
        "openings": posting.get("totalJobOpenings"),
        "district": (address.get("addressLocality") or address.get("addressRegion")) if isinstance(address, dict) else None,
        "lat": geo.get("latitude") if isinstance(geo, dict) else None,
        "lon": geo.get("longitude") if isinstance(geo, dict) else None,
        "pay_min": pay_min, "pay_max": pay_max,
        "hours_per_week": float(hours.group(1)) if hours else None,
        "posted_on": str(posting["datePosted"])[:10] if posting.get("datePosted") else None,
        "closes_on": str(posting["validThrough"])[:10] if posting.get("validThrough") else None,
        "occupation_code": category if category and re.match(OCCUPATION_CODE_PATTERN, category) else None,
        "education_min": _education(posting.get("educationRequirements")),
    }
    return {k: v for k, v in fields.items() if v is not None}
