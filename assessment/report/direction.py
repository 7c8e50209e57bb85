"""Turn the matcher's rankings (``models.match.Ranking``) into the report's job-direction input.

The report builder takes ``JobDirectionInput`` rather than calling the matcher, so a report can be
built from any ranking (the shipped matcher, a counsellor's manual list, a later model) and the
builder never depends on how matching is computed. This module only reshapes; it does not rank.
"""
from __future__ import annotations

from collections.abc import Mapping

from models.match import MatchResult, Ranking
from models.report import DirectionItem, JobDirectionInput

UNAVAILABLE = {"zh-CN": "本次未运行岗位匹配。", "en": "Matching was not run for this report."}


def _item(result: MatchResult, names_en: Mapping[str, str]) -> DirectionItem:
    zh = result.title or result.occupation_code or result.item_id
    en = names_en.get(result.occupation_code or "", zh) if result.kind == "occupation" else zh
    if result.kind == "occupation" and result.family_label and len(result.members) > 1:
        # A family entry is read by its members' names ("内科医师、外科医师等"), not by one of them.
        zh, en = result.family_label.get("zh-CN", zh), result.family_label.get("en", en)
    targets = [result.occupation_code] if result.occupation_code else []
    return DirectionItem(id=result.item_id, kind="programme" if result.kind == "programme" else "occupation",
                         code=result.occupation_code, title={"zh-CN": zh, "en": en}, fit=result.total,
                         components=dict(result.components), reasons=list(result.reasons), target_codes=targets,
                         bridging_programme=result.bridging_programme)


def direction_from_rankings(occupations: Ranking | None, programmes: Ranking | None = None, *,
                            names_en: Mapping[str, str] | None = None, k_occupations: int = 5,
                            k_programmes: int = 3, k_after_training: int = 3,
                            source: str = "pathfit matching") -> JobDirectionInput:
    """The top ``k_occupations`` occupation groups, top ``k_programmes`` programmes and the first
    ``k_after_training`` options after training (with their bridging course) as report input.

    ``names_en`` maps CSCO codes to English titles (occupation titles from the matcher are zh-CN);
    an unknown code keeps its Chinese title in the English report.
    """
    if occupations is None or not occupations.results:
        return JobDirectionInput(available=False, note=UNAVAILABLE)
    names_en = names_en or {}
    return JobDirectionInput(
        available=True, source=source,
        occupations=[_item(r, names_en) for r in occupations.results[:k_occupations]],
        programmes=[_item(r, names_en) for r in (programmes.results[:k_programmes] if programmes else [])],
        after_training=[_item(r, names_en) for r in occupations.after_training[:k_after_training]])
