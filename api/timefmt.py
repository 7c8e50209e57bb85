"""Times shown to people: stored in UTC, displayed in the centre's time zone with its name.

The zone is ``PATHFIT_TIMEZONE`` (an IANA name, default ``Asia/Shanghai``). A naive ``datetime`` is
taken as UTC, which is how SQLite hands back the stored UTC values. ``local_time`` is registered as
the Jinja filter ``localtime`` on the page templates and the report template.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from api.settings import get_settings

# Zones of mainland China, which all keep Beijing time; any other zone is named by its UTC offset.
BEIJING_ZONES = frozenset({"Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC"})
BEIJING_LABEL = {"zh-CN": "北京时间", "en": "Beijing time"}


def to_local(moment: datetime, zone: str | None = None) -> datetime:
    """``moment`` (aware, or naive meaning UTC) as an aware time in ``zone`` (default: the centre's)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(ZoneInfo(zone or get_settings().timezone))


def zone_label(moment: datetime, zone: str, lang: str) -> str:
    """What a reader calls the zone: 北京时间 / Beijing time, else ``UTC+05:30`` (DST-aware)."""
    if zone in BEIJING_ZONES:
        return BEIJING_LABEL.get(lang, BEIJING_LABEL["en"])
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def local_time(moment: datetime | None, lang: str = "zh-CN", fmt: str = "%Y-%m-%d %H:%M",
               zone: str | None = None, label: bool = True) -> str:
    """``moment`` formatted in the centre's zone, followed by the zone's name unless ``label`` is
    false ("2026-03-02 17:30 北京时间"). ``None`` gives an empty string."""
    if moment is None:
        return ""
    zone = zone or get_settings().timezone
    local = to_local(moment, zone)
    text = local.strftime(fmt)
    return f"{text} {zone_label(local, zone, lang)}" if label else text
