"""Shared set-up for the referral, outcome and follow-up API tests: a person, a vacancy, a referral,
a hire, days relative to today."""
import uuid
from datetime import date, timedelta

from api.services.enrolments import local_today
from api.settings import Settings
from models.enums import Role

VACANCY = {"employer": "某物流有限公司", "title": "仓库理货员", "occupation_code": "4-02-06-02", "district": "朝阳区",
           "openings": 2}


def today() -> date:
    """Today in the centre's time zone (the suite's app uses the default, Asia/Shanghai)."""
    return local_today(Settings.model_fields["timezone"].default)


def day(offset: int) -> str:
    """The centre's today plus ``offset`` days, ISO (negative: in the past)."""
    return (today() + timedelta(days=offset)).isoformat()


def person(client, tenant, **fields) -> str:
    response = client.post("/v1/persons", json={"external_id": uuid.uuid4().hex[:12], "name": "王小明", **fields},
                           headers=tenant.headers())
    assert response.status_code == 201, response.text
    return response.json()["id"]


def vacancy(client, tenant, **fields) -> str:
    response = client.post("/v1/vacancies", json={**VACANCY, **fields}, headers=tenant.headers(Role.admin))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def refer(client, tenant, person_id, vacancy_id, **fields):
    return client.post("/v1/referrals", json={"person_id": person_id, "vacancy_id": vacancy_id,
                                              "source": "counsellor", "referred_on": day(-100), **fields},
                       headers=tenant.headers())


def referral(client, tenant) -> tuple[str, str]:
    """A new person referred to a new vacancy 100 days ago: (person id, referral id)."""
    person_id = person(client, tenant)
    response = refer(client, tenant, person_id, vacancy(client, tenant))
    assert response.status_code == 201, response.text
    return person_id, response.json()["id"]


def outcome(client, tenant, person_id, **fields):
    return client.post("/v1/outcomes", json={"person_id": person_id, "occurred_on": day(-90), **fields},
                       headers=tenant.headers())


def hire(client, tenant, start: int = -95) -> tuple[str, str]:
    """A person referred and hired, first day at work ``start`` days from today: (person id, placement id)."""
    person_id, referral_id = referral(client, tenant)
    response = outcome(client, tenant, person_id, referral_id=referral_id, kind="hired", occurred_on=day(start),
                       start_date=day(start), contract_type="fixed_term", monthly_pay=4200, weekly_hours=44,
                       placement_route="referral")
    assert response.status_code == 201, response.text
    return person_id, response.json()["id"]


def followup(client, tenant, person_id, placement_id, contacted_on: str, status: str = "still_employed", **fields):
    return client.post("/v1/followups", json={"person_id": person_id, "placement_id": placement_id,
                                              "contacted_on": contacted_on, "channel": "phone", "status": status,
                                              **fields}, headers=tenant.headers())
