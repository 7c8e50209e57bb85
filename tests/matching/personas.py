"""Twelve-plus people from the employment service's population, as a counsellor would describe them,
for the persona suite (``test_personas.py``) and the before/after table in the closing note.

Scores are written as a counsellor would read a report: aptitudes as population T-scores (50 =
average working adult) with the battery's usual SE of 4 T points, interests as 1–5 scale means.
``history`` lists past jobs as (CSCO code or None, title, months, end year).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from models.person import Constraints
from models.profile import AptitudeScores, BigFiveScores, Profile, RiasecScores, TScore, WorkValueScores

SE = 4.0


def _apt(v: float, n: float, s: float, p: float, q: float, g: float) -> AptitudeScores:
    return AptitudeScores(**{c: TScore(t=t, se=SE) for c, t in zip("VNSPQG", (v, n, s, p, q, g))})


def _riasec(r: float, i: float, a: float, s: float, e: float, c: float) -> RiasecScores:
    return RiasecScores(R=r, I=i, A=a, S=s, E=e, C=c)


AVERAGE_BIG_FIVE = BigFiveScores(O=50, C=50, E=50, A=50, N=50)
AVERAGE_VALUES = WorkValueScores(achievement=3.5, working_conditions=4.0, recognition=3.0, relationships=3.5,
                                 support=3.5, independence=3.0)


@dataclass(frozen=True)
class Persona:
    key: str
    description: str
    aptitudes: AptitudeScores | None = None
    interests: RiasecScores | None = None
    big_five: BigFiveScores | None = field(default_factory=lambda: AVERAGE_BIG_FIVE)
    work_values: WorkValueScores | None = field(default_factory=lambda: AVERAGE_VALUES)
    education: str | None = None
    constraints: Constraints = field(default_factory=Constraints)
    certificates: tuple[str, ...] = ()
    history: tuple[tuple[str | None, str, int, int | None], ...] = ()
    skills: tuple[str, ...] = ()
    district: str | None = "朝阳区"

    def profile(self, *, with_history: bool = True) -> Profile:
        """The persona as the matcher sees them; ``with_history=False`` gives the fields the
        matcher before issue 13 understood (for the 'before' column)."""
        extra = {}
        if with_history:
            extra = {"work_history": [{"occupation_code": c, "title": t, "months": m, "end_year": y}
                                      for c, t, m, y in self.history],
                     "skills": list(self.skills)}
        return Profile(person_id=self.key, aptitudes=self.aptitudes, interests=self.interests,
                       big_five=self.big_five if self.aptitudes or self.interests else None,
                       work_values=self.work_values if self.aptitudes or self.interests else None,
                       education=self.education, district=self.district, constraints=self.constraints,
                       certificates=list(self.certificates), **extra)


PERSONAS = [
    Persona("factory_worker", "下岗的电器装配工，45岁，初中，装配线上干了10年",
            _apt(42, 44, 50, 52, 44, 44), _riasec(4.1, 2.3, 1.8, 2.4, 2.0, 3.4), education="junior_secondary",
            history=(("6-24-02-02", "电器装配工", 120, 2025),)),
    Persona("mobility_disability", "下肢行动不便的前收银员，38岁，高中，不能长时间行走、站立或搬重物",
            _apt(50, 52, 46, 50, 54, 50), _riasec(2.2, 2.8, 2.4, 3.4, 2.9, 4.2), education="senior_secondary",
            constraints=Constraints(physical_limitations=["walking_long_distances", "prolonged_standing",
                                                          "heavy_lifting"]),
            history=(("4-01-02-04", "超市收银员", 60, 2024),)),
    Persona("carer", "照顾老人的家庭主妇，41岁，初中，只能白天上班、每周不超过25小时、路上不超过20分钟",
            _apt(46, 44, 44, 48, 48, 45), _riasec(2.6, 2.0, 2.2, 4.0, 2.4, 3.3), education="junior_secondary",
            constraints=Constraints(max_hours_per_week=25, available_shifts=["day"], max_commute_minutes=20),
            history=(("4-10-01-06", "家政服务员", 24, 2022),)),
    Persona("truck_driver", "52岁的货车司机，持A2/C1驾照，开了20年货车",
            _apt(44, 45, 52, 50, 42, 45), _riasec(4.2, 2.0, 1.5, 2.0, 2.6, 3.0), education="junior_secondary",
            certificates=("A2驾驶证", "C1驾驶证"),
            history=(("4-02-02-02", "货车司机", 240, 2025),)),
    Persona("restaurant_server", "餐厅服务员，26岁，高中，做了4年",
            _apt(48, 46, 44, 48, 50, 47), _riasec(2.8, 2.2, 2.6, 3.9, 3.3, 2.9), education="senior_secondary",
            history=(("4-03-02-05", "餐厅服务员", 48, 2026),)),
    Persona("older_guard", "58岁的小区保安，初中，做了15年",
            _apt(42, 40, 44, 44, 42, 41), _riasec(3.4, 2.0, 1.6, 3.0, 2.4, 3.2), education="junior_secondary",
            certificates=("保安员证",), history=(("4-07-05-01", "小区保安", 180, 2026),)),
    Persona("graduate", "计算机专业应届本科毕业生，22岁，没有工作经历",
            _apt(60, 62, 58, 56, 58, 62), _riasec(2.6, 4.4, 3.0, 2.4, 2.6, 3.6), education="bachelor"),
    Persona("flat_interests", "28岁，高中，兴趣问卷每一类都差不多（都在2.5左右）",
            _apt(50, 50, 50, 50, 50, 50), _riasec(2.5, 2.6, 2.5, 2.4, 2.5, 2.6), education="senior_secondary"),
    Persona("care_worker", "养老护理员，47岁，初中，持养老护理员证，做了3年",
            _apt(44, 42, 42, 46, 44, 43), _riasec(2.8, 2.0, 2.0, 4.4, 2.2, 2.8), education="junior_secondary",
            certificates=("养老护理员证",), history=(("4-10-01-05", "养老护理员", 36, 2026),)),
    Persona("welder", "焊工，35岁，中专，持焊工证，做了8年",
            _apt(44, 48, 56, 54, 44, 48), _riasec(4.5, 2.6, 2.0, 1.8, 2.0, 2.8), education="senior_secondary",
            certificates=("焊工证",), history=(("6-18-02-04", "电焊工", 96, 2026),)),
    Persona("programmer", "程序员，30岁，大专，做了5年软件开发",
            _apt(56, 60, 58, 55, 56, 60), _riasec(2.8, 4.2, 2.8, 2.2, 2.6, 3.8), education="junior_college",
            history=(("4-04-05-01", "Java开发工程师", 60, 2026),)),
    Persona("accountant", "会计，40岁，本科，做了12年",
            _apt(56, 60, 48, 52, 60, 56), _riasec(2.0, 3.0, 2.0, 2.8, 3.0, 4.6), education="bachelor",
            history=(("2-06-03-00", "会计", 144, 2025),)),
    Persona("untitled_cook", "48岁，初中，在饭店后厨干了10年（只登记了职位名称“厨师”）",
            _apt(44, 42, 46, 48, 42, 43), _riasec(4.0, 2.0, 2.4, 2.4, 2.2, 2.8), education="junior_secondary",
            history=((None, "中餐厨师", 120, 2025),)),
    Persona("no_data", "刚登记的人，还没有做任何测评"),
]
BY_KEY = {p.key: p for p in PERSONAS}
