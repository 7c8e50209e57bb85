"""Vacancies and programmes built from the API types rank the same way as hand-made frames, and
the input types refuse inconsistent records."""
import pytest
from pydantic import ValidationError

from matching.frames import programmes_frame, vacancies_frame
from matching.programme_ranking import rank_programmes
from matching.rank import rank_vacancies
from models.profile import Profile
from models.training import TrainingProgramIn, TrainingProgramOut
from models.vacancy import VacancyIn, VacancyOut


def _vacancy_out(i: int, code: str, **kw) -> VacancyOut:
    v = VacancyIn(employer="某公司", title=f"岗位{i}", occupation_code=code, district="区1", **kw)
    return VacancyOut(id=f"v{i}", **v.model_dump())


def test_vacancy_out_objects_rank_through_vacancies_frame(person, occupations):
    codes = occupations["code"].iloc[:4].tolist()
    vacs = [_vacancy_out(i, c, pay_min=4000, pay_max=5000, shifts=["day"]) for i, c in enumerate(codes)]
    vacs.append(_vacancy_out(9, codes[0], required_certificates=["电工证"]))
    ranking = rank_vacancies(person, vacancies_frame(vacs), occupations, k=10)
    assert {r.item_id for r in ranking.results} == {"v0", "v1", "v2", "v3"}
    assert ranking.ineligible.by_reason["certificate"] == 1


def test_programme_out_objects_rank_through_programmes_frame(occupations):
    code = occupations["code"].iloc[0]
    p = TrainingProgramIn(provider="学校", title="培训", target_occupation_codes=[code], duration_weeks=6,
                          district="区1", capacity=20, placement_rate=0.7)
    frame = programmes_frame([TrainingProgramOut(id="t1", **p.model_dump())])
    ranking = rank_programmes(Profile(district="区1"), frame, occupations, None, k=3)
    assert [r.item_id for r in ranking.results] == ["t1"]
    assert ranking.results[0].components["local_demand"] is None  # no vacancies given


@pytest.mark.parametrize("bad", [{"pay_min": 5000, "pay_max": 4000}, {"lat": 39.9}, {"openings": 0},
                                 {"occupation_code": "4100502"}, {"posted_on": "2025-02-01", "closes_on": "2025-01-01"}])
def test_inconsistent_vacancy_is_refused(bad):
    with pytest.raises(ValidationError):
        VacancyIn(employer="e", title="t", district="d", **bad)
