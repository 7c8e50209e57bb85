"""A simulated year of a demo centre (``pathfit demo``): who registers when, how each person moves along
the seven-module path, which referrals fail or lead to a hire, who trains, who keeps the job, and when
the monthly follow-up calls happen. Pure and seeded: the same arguments give the same year; the CLI
replays the events through the API's services.

The path follows the issue's seed rules: basic service (module 1, up to three referrals) → job-search
coaching after three failed applications (2) → expert interview (3) → vocational assessment (4, with a
plan, most of them signed) → skills training (5) or an internship / directed-training place (6) → public-welfare post as
the floor for priority people still without work. Especially hard cases start at module 2. Every hire opens
module 7 (follow-up): a call or visit each month after the start, most on time, some late, a few missed;
some people leave the job. The probabilities are invented to make a plausible centre, not estimates from
real data: with the shipped demo catalogue, 160 people and the default seed, 111 are placed within the year
and 15 of the 31 who finish training or an internship.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ("秀英", "桂兰", "建国", "志强", "丽娟", "海燕", "国庆", "红梅", "晓东", "春华", "玉兰", "伟", "芳", "军",
         "静", "磊", "敏", "洋", "勇", "艳", "杰", "娜", "涛", "超", "霞", "明", "平", "刚", "丹", "鹏")
EDUCATION = ("primary", "junior_secondary", "senior_secondary", "vocational_secondary", "junior_college")
EDUCATION_P = (0.08, 0.4, 0.22, 0.2, 0.1)
SKILLS = ("保洁", "烹饪", "收银", "仓库管理", "叉车", "办公软件", "快递分拣", "护理", "电工", "焊接", "驾驶", "客服")
HARD_TO_EMPLOY = ("long_term_unemployed", "older_worker", "disabled")
# Last jobs of people who come to a centre (CSCO 2022 codes of the shipped occupation table): most have
# worked before, so the matcher has something to rank on even before an assessment.
PAST_JOBS = (("4-09-08-01", "保洁员"), ("4-03-02-05", "餐厅服务员"), ("4-01-02-04", "收银员"),
             ("4-02-06-02", "仓库理货员"), ("4-02-07-08", "快递员"), ("4-10-01-05", "养老护理员"),
             ("6-18-02-04", "焊工"), ("4-07-02-03", "客户服务管理员"), ("4-03-02-01", "中式烹调师"),
             ("4-02-02-02", "道路货运汽车驾驶员"), ("4-01-02-03", "商品营业员"), ("4-07-05-01", "保安员"))
NEVER_WORKED = 0.15  # share of people with no past job (school leavers, carers coming back)
CONTRACTS = ("fixed_term", "fixed_term", "open_ended", "part_time", "dispatch")
# Reason codes of models.pathway (RejectionReason, LeftReason): none names a protected attribute.
EMPLOYER_REASONS = ("skills_mismatch", "experience_insufficient", "position_filled", "certificate_missing")
PERSON_REASONS = ("pay_too_low", "hours_or_shifts_unsuitable", "commute_too_long", "working_conditions")
LEFT_REASONS = ("pay", "hours_or_shifts", "commute", "working_conditions", "family_care", "contract_ended")
LEAVE_HAZARD = (0.07, 0.05, 0.04)   # chance of leaving in job month 1, 2, 3; later months 0.02
LATER_HAZARD = 0.02


@dataclass(frozen=True)
class Places:
    """What the centre can refer to, as indices into the CLI's lists: ordinary vacancies, internship and
    directed-training places, public-welfare posts (with their openings), training programmes."""

    vacancies: int
    internships: int
    directed: int
    public_welfare: int
    public_welfare_openings: int
    programmes: int


@dataclass(frozen=True)
class DemoPerson:
    """A registration record (the fields of models.person.PersonCreate the demo fills) and the index of
    the counsellor who looks after the person."""

    index: int
    record: dict
    counsellor: int
    registered_on: date


@dataclass(frozen=True)
class Event:
    """Something that happens to person ``person`` on ``day``; ``kind`` and ``detail`` are listed in
    :func:`simulate_year`. ``ref`` names a referral, job or enrolment so later events can point to it."""

    day: date
    person: int
    kind: str
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DemoYear:
    people: list[DemoPerson]
    households: list[list[tuple[int, str]]]   # members (person index, relation to the head) per household
    events: list[Event]                        # in the order they happen


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class _Person:
    """One person's walk along the path; appends events to ``out`` and stops at ``end``."""

    def __init__(self, rng: np.random.Generator, index: int, places: Places, end: date, out: list[Event],
                 counters: dict):
        self.rng, self.index, self.places, self.end, self.out, self.counters = rng, index, places, end, out, counters
        self.failures = 0

    def emit(self, day: date, event_kind: str, **detail) -> bool:
        if day > self.end:
            return False
        self.out.append(Event(day, self.index, event_kind, detail))
        return True

    def step(self, day: date, module: int, reason: str = "rule") -> bool:
        return self.emit(day, "step", module=module, reason=reason)

    def next_ref(self, name: str) -> int:
        self.counters[name] = self.counters.get(name, 0) + 1
        return self.counters[name]

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=int(self.rng.integers(low, high + 1)))

    def referrals(self, day: date, tries: int, p_hire: float, module: int) -> tuple[date, bool]:
        """Up to ``tries`` referrals to ordinary vacancies; returns (day, hired)."""
        for _ in range(tries):
            day += self.days(3, 14)
            ref = self.next_ref("referral")
            vacancy = int(self.rng.integers(self.places.vacancies))
            if not self.emit(day, "referral", ref=ref, vacancy=vacancy, module=module):
                return day, False
            answer = day + self.days(5, 20)
            draw = self.rng.random()
            if draw < p_hire:
                self.emit(answer, "outcome", ref=ref, outcome="interview")
                start = answer + self.days(3, 10)
                self.emit(start - self.days(1, 2), "outcome", ref=ref, outcome="offer")
                return start, self.hire(start, ref=ref, vacancy=vacancy, route="referral")
            if draw < p_hire + 0.45:
                self.emit(answer, "outcome", ref=ref, outcome="interview")
                by_employer = self.rng.random() < 0.8
                self.emit(answer + self.days(2, 7), "outcome", ref=ref, outcome="rejected",
                          rejected_by="employer" if by_employer else "person",
                          reason=str(self.rng.choice(EMPLOYER_REASONS if by_employer else PERSON_REASONS)))
            else:
                self.emit(answer + timedelta(days=30), "outcome", ref=ref, outcome="no_response")
            self.failures += 1
            day = answer
        return day, False

    def hire(self, start: date, *, route: str, ref: int | None = None, vacancy: int | None = None,
             place: str = "vacancy") -> bool:
        job = self.next_ref("job")
        if not self.emit(start, "hired", job=job, ref=ref, vacancy=vacancy, place=place, route=route,
                         contract_type=str(self.rng.choice(CONTRACTS)),
                         monthly_pay=int(self.rng.integers(36, 70)) * 100,
                         weekly_hours=float(self.rng.choice((40.0, 40.0, 44.0, 48.0, 24.0)))):
            return False
        self.step(start, 7)
        self.follow_up(start, job)
        return True

    def follow_up(self, start: date, job: int) -> None:
        for month in range(1, 13):
            due = add_months(start, month)
            hazard = LEAVE_HAZARD[month - 1] if month <= len(LEAVE_HAZARD) else LATER_HAZARD
            left = self.rng.random() < hazard
            draw = self.rng.random()
            contact = due + (self.days(0, 5) if draw < 0.85 else self.days(10, 20))
            channel = "visit" if self.rng.random() < 0.2 else "phone"
            if left:
                left_on = add_months(start, month - 1) + self.days(1, 25)
                self.emit(max(contact, left_on + timedelta(days=1)), "followup", job=job, status="left",
                          left_on=left_on, channel=channel, left_reason=str(self.rng.choice(LEFT_REASONS)))
                return
            if draw < 0.95 and not self.emit(contact, "followup", job=job, status="still_employed", channel=channel):
                return

    def walk(self, registered: date, hard: bool, priority: bool) -> None:
        first = 2 if hard else 1
        self.emit(registered, "register")
        self.step(registered, first, "initial")
        day = registered
        if self.rng.random() < 0.05:  # finds work on their own soon after registering
            self.hire(day + self.days(10, 60), route="own_search")
            return
        if first == 1:
            day, hired = self.referrals(day, 3, 0.12, 1)
            if hired or day > self.end:
                return
            day += self.days(1, 5)
            self.step(day, 2)
        day, hired = self.referrals(day, 2, 0.1 if hard else 0.16, 2)
        if hired or day > self.end:
            return
        day += self.days(5, 14)
        self.step(day, 3)
        day += self.days(5, 14)
        self.step(day, 4)
        self.emit(day + self.days(0, 2), "plan")
        if self.rng.random() < 0.7:
            self.emit(day + self.days(3, 7), "plan_sign")
        day, hired = self.referrals(day + self.days(3, 7), 1, 0.2, 4)
        if hired or day > self.end:
            return
        if self.rng.random() < 0.6:
            day, hired = self.training(day + self.days(3, 10))
        else:
            day, hired = self.place_on_the_job(day + self.days(3, 10))
        if hired or day > self.end:
            return
        if priority and self.places.public_welfare and \
                self.counters.get("public_welfare", 0) < self.places.public_welfare_openings:
            self.counters["public_welfare"] = self.counters.get("public_welfare", 0) + 1
            self.hire(day + self.days(7, 21), route="public_welfare", place="public_welfare",
                      vacancy=int(self.rng.integers(self.places.public_welfare)))

    def training(self, day: date) -> tuple[date, bool]:
        self.step(day, 5)
        enrolment = self.next_ref("enrolment")
        programme = int(self.rng.integers(self.places.programmes))
        if not self.emit(day, "enrol", enrolment=enrolment, kind="training", programme=programme):
            return day, False
        finish = day + timedelta(weeks=int(self.rng.integers(4, 9)))
        if self.rng.random() < 0.12:
            self.emit(day + self.days(7, 20), "enrolment_event", enrolment=enrolment, event="dropped_out")
            return day + self.days(21, 30), False
        self.emit(finish, "enrolment_event", enrolment=enrolment, event="completed")
        self.emit(finish + self.days(3, 10), "enrolment_event", enrolment=enrolment, event="certificate_awarded")
        return self.referrals(finish, 2, 0.45, 5)

    def place_on_the_job(self, day: date) -> tuple[date, bool]:
        self.step(day, 6)
        directed = self.places.directed > 0 and self.rng.random() < 0.3
        kind, count = (("directed_training", self.places.directed) if directed
                       else ("internship", self.places.internships))
        enrolment = self.next_ref("enrolment")
        place = int(self.rng.integers(count))
        if not self.emit(day, "enrol", enrolment=enrolment, kind=kind, place=place):
            return day, False
        finish = day + timedelta(weeks=int(self.rng.integers(6, 13)))
        if self.rng.random() < 0.5:
            if not self.emit(finish, "enrolment_event", enrolment=enrolment, event="converted_to_hire"):
                return finish, False
            return finish, self.hire(finish + timedelta(days=1), route="internship" if kind == "internship"
                                     else "training", vacancy=place, place=kind)
        self.emit(finish, "enrolment_event", enrolment=enrolment, event="completed")
        return self.referrals(finish, 2, 0.3, 6)


def _past_jobs(rng: np.random.Generator, registered: date) -> list[dict]:
    """Nothing (``NEVER_WORKED``) or one or two past jobs, each 6–120 months, the last ending this year or
    up to three years before."""
    if rng.random() < NEVER_WORKED:
        return []
    jobs = []
    for i in range(int(rng.integers(1, 3))):
        code, title = PAST_JOBS[int(rng.integers(len(PAST_JOBS)))]
        jobs.append({"occupation_code": code, "title": title, "months": int(rng.integers(6, 121)),
                     "end_year": registered.year - int(rng.integers(0, 4)) - 3 * i})
    return jobs


def _record(rng: np.random.Generator, index: int, districts: list[str], registered: date) -> tuple[dict, bool, bool]:
    birth_year = int(rng.integers(registered.year - 58, registered.year - 18))
    hard = rng.random() < 0.12
    priority: dict = {}
    if hard or rng.random() < 0.15:
        priority["hard_to_employ"] = str(rng.choice(HARD_TO_EMPLOY))
    if hard or rng.random() < 0.1:  # an especially hard case holds an assistance card (援助卡)
        priority["assistance_card"] = True
    education = str(rng.choice(EDUCATION, p=EDUCATION_P))
    record = {
        "external_id": f"DEMO-Y{index + 1:04d}",
        "name": str(rng.choice(list(SURNAMES))) + str(rng.choice(GIVEN)),
        "birth_year": birth_year, "gender": "female" if rng.random() < 0.52 else "male", "education": education,
        "district": districts[int(rng.integers(len(districts)))],
        "expected_monthly_pay": int(rng.integers(35, 75)) * 100, "priority": priority,
        "skills": sorted({str(s) for s in rng.choice(SKILLS, size=int(rng.integers(1, 4)))}),
    }
    return record, hard, bool(priority)


def simulate_year(end: date, places: Places, districts: list[str], *, people: int = 220, counsellors: int = 3,
                  seed: int = 2026) -> DemoYear:
    """One simulated year ending on ``end`` (registrations over its first ~10 months).

    Parameters
    ----------
    end : date — the last day simulated (the CLI uses today); nothing happens after it.
    places : Places — how many places of each kind exist (events name them by index).
    districts : list of str — where people live.
    people : int — how many people register (150–300 makes a lively demo).
    counsellors : int — counsellors people are shared out among (by index).
    seed : int — the random seed; equal arguments give an equal year.

    Returns
    -------
    DemoYear — the people, the households (about a quarter of the people live two to a household, so
    the centre has zero-employment families) and the events in the order they happen. Event kinds and
    details: ``register``; ``step`` (module 1–7, reason ``initial``/``rule``); ``referral`` (ref, vacancy,
    module); ``outcome`` (ref, outcome interview/offer/rejected/no_response, rejected_by, reason); ``hired`` (job,
    ref or None, route, place ``vacancy``/``internship``/``directed_training``/``public_welfare``, vacancy
    index or None for own search, contract_type, monthly_pay, weekly_hours); ``followup`` (job, status
    still_employed/left, left_on, left_reason, channel); ``enrol`` (enrolment, kind, programme or place);
    ``enrolment_event`` (enrolment, event); ``plan``; ``plan_sign``.
    """
    if people < 1 or counsellors < 1:
        raise ValueError("people and counsellors must be at least 1")
    rng = np.random.default_rng(seed)
    start = end - timedelta(days=364)
    events: list[Event] = []
    counters: dict = {}
    roster = []
    for index in range(people):
        registered = start + timedelta(days=int(rng.integers(0, 300)))
        record, hard, priority = _record(rng, index, districts, registered)
        # Drawn from their own stream, so adding them left the rest of the year as it was.
        record["work_history"] = _past_jobs(np.random.default_rng([seed, index]), registered)
        roster.append(DemoPerson(index, record, int(rng.integers(counsellors)), registered))
        _Person(rng, index, places, end, events, counters).walk(registered, hard, priority)
    order = rng.permutation(people)
    pairs = order[: (people // 4) * 2].reshape(-1, 2)
    households = [[(int(a), "head"), (int(b), "spouse" if rng.random() < 0.6 else "child")] for a, b in pairs]
    events.sort(key=lambda e: e.day)  # stable: a person's events on one day keep their order
    return DemoYear(roster, households, events)
