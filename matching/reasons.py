"""Reasons a counsellor can read aloud, in zh-CN and en, and the rule that picks 2–3 per item.

Each template has a stable ``code``, a kind (strength, gap, info) and one sentence per language.
Sentences are short and plain (no scores, no jargon such as "RIASEC" or "T-score") because they
are read to clients, many of whom have little schooling. Parameters that are words (an aptitude,
an interest type) are passed as ``Localised`` pairs so that each language gets its own word.
"""
from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass

from models.match import Reason


@dataclass(frozen=True)
class Localised:
    zh: str
    en: str


APTITUDE_NAMES = {
    "V": Localised("语言理解和表达能力", "ability with words"),
    "N": Localised("数量能力", "ability with numbers"),
    "S": Localised("空间判断能力", "ability to picture shapes and space"),
    "P": Localised("形状知觉能力", "eye for detail in shapes"),
    "Q": Localised("文书核对能力", "accuracy with written records"),
    "G": Localised("一般学习能力", "general learning ability"),
}
RIASEC_NAMES = {
    "R": Localised("动手操作", "hands-on"),
    "I": Localised("研究分析", "problem-solving"),
    "A": Localised("艺术创意", "creative"),
    "S": Localised("帮助他人", "helping people"),
    "E": Localised("经营管理", "leading and selling"),
    "C": Localised("事务整理", "organising and record-keeping"),
}
RIASEC_TYPE_NAMES = {  # Holland's type names, for counsellors' reports
    "R": Localised("实际型", "Realistic"), "I": Localised("研究型", "Investigative"),
    "A": Localised("艺术型", "Artistic"), "S": Localised("社会型", "Social"),
    "E": Localised("企业型", "Enterprising"), "C": Localised("常规型", "Conventional"),
}
WORK_VALUE_NAMES = {
    "achievement": Localised("发挥所长、有成就感", "using your abilities and a sense of achievement"),
    "working_conditions": Localised("稳定的收入和良好的工作条件", "steady pay and good working conditions"),
    "recognition": Localised("得到认可、有晋升机会", "recognition and a chance to move up"),
    "relationships": Localised("融洽的同事关系、帮助他人", "good colleagues and helping others"),
    "support": Localised("单位和领导的支持", "support from the employer and the boss"),
    "independence": Localised("自己安排工作", "deciding how to do your own work"),
}
WORK_STYLE_NAMES = {
    "achievement_effort": Localised("肯努力、有上进心", "working hard towards goals"),
    "persistence": Localised("遇到困难能坚持", "keeping going when things are hard"),
    "initiative": Localised("做事主动", "taking the first step"),
    "leadership": Localised("愿意带头", "taking the lead"),
    "cooperation": Localised("好合作、脾气好", "getting on with others"),
    "concern_for_others": Localised("体贴关心别人", "caring about others"),
    "social_orientation": Localised("喜欢和人打交道", "enjoying being with people"),
    "self_control": Localised("能控制情绪", "staying calm"),
    "stress_tolerance": Localised("抗压能力强", "handling pressure"),
    "adaptability_flexibility": Localised("适应变化快", "adapting to change"),
    "dependability": Localised("踏实可靠", "being reliable"),
    "attention_to_detail": Localised("细心认真", "careful attention to detail"),
    "integrity": Localised("诚实守信", "honesty"),
    "independence": Localised("能独立工作", "working on your own"),
    "innovation": Localised("爱想新办法", "finding new ways of doing things"),
    "analytical_thinking": Localised("善于分析问题", "thinking problems through"),
}
EDUCATION_NAMES = {
    0: Localised("不限学历", "no schooling requirement"),
    1: Localised("小学", "primary school"),
    2: Localised("初中", "junior secondary school"),
    3: Localised("高中或中专", "senior or vocational secondary school"),
    4: Localised("大专", "junior college"),
    5: Localised("本科", "a bachelor's degree"),
    6: Localised("研究生", "a postgraduate degree"),
}

# code: (kind, zh-CN, en)
TEMPLATES: dict[str, tuple[str, str, str]] = {
    "interest_high": ("strength", "兴趣与岗位高度一致：您喜欢{types}的工作，这份工作正是这样。",
                      "Your interests fit this work well: you like {types} work, and this is that kind of work."),
    "interest_moderate": ("info", "兴趣与岗位有一定联系：这份工作主要是{types}的工作。",
                          "This work is partly in line with your interests: it is mostly {types} work."),
    "interest_low": ("gap", "兴趣与岗位不太一致：这份工作主要是{types}的工作。",
                     "This work is not close to your interests: it is mostly {types} work."),
    "aptitude_meets": ("strength", "您的{aptitude}达到岗位要求。",
                       "Your {aptitude} is what this work needs."),
    "aptitude_mostly": ("info", "您的能力基本符合岗位要求。",
                        "Your abilities roughly match what this work needs."),
    "aptitude_gap_small": ("gap", "{aptitude}略低于要求，可通过{training}弥补。",
                           "Your {aptitude} is a little below what is needed; {training} can close the gap."),
    "aptitude_gap_large": ("gap", "{aptitude}明显低于要求，建议先考虑其他方向，或参加较长的培训。",
                           "Your {aptitude} is well below what is needed; think about other work first, or longer training."),
    "values_high": ("strength", "这份工作能满足您看重的{value}。",
                    "This work offers what matters to you: {value}."),
    "style_high": ("strength", "您的性格特点适合这类工作，比如{style}。",
                   "Your personality suits this kind of work, for example {style}."),
    "commute_near": ("strength", "离家近，单程大约{minutes}分钟。",
                     "It is close to home: about {minutes} minutes each way."),
    "commute_far": ("gap", "路程较远，单程大约{minutes}分钟。",
                    "It is a long trip: about {minutes} minutes each way."),
    "same_district": ("strength", "就在您所在的{district}。", "It is in your own district, {district}."),
    "pay_meets": ("strength", "月工资{pay}元，达到您的期望。",
                  "The pay is {pay} yuan a month, which meets what you hoped for."),
    "pay_below": ("gap", "月工资{pay}元，低于您期望的{expected}元。",
                  "The pay is {pay} yuan a month, less than the {expected} yuan you hoped for."),
    "education_below": ("gap", "岗位希望学历达到{education}，比您目前的学历高。",
                        "The employer prefers {education}, which is above your current schooling."),
    "hours_long": ("gap", "每周工作约{hours}小时，时间较长。",
                   "It is about {hours} hours a week, which is long."),
    "public_welfare": ("info", "这是公益性岗位，专门帮助就业困难人员。",
                       "This is a public-welfare post, set aside for people who find it hard to get work."),
    "internship": ("info", "这是见习岗位，可以积累工作经验。",
                   "This is an internship: a way to gain work experience."),
    "directed_training": ("info", "这是定向培训岗位，先培训再上岗。",
                          "This is a directed-training post: training first, then the job."),
    "occupation_education_below": ("gap", "这个职业一般要求{education}，比您目前的学历高。",
                                   "This occupation usually asks for {education}, above your current schooling."),
    "programme_bridges": ("strength", "这个培训能帮您进入感兴趣的{occupation}方向。",
                          "This training can open the way to work you are interested in: {occupation}."),
    "programme_targets": ("info", "这个培训面向{occupation}方向。",
                          "This course prepares you for work as {occupation}."),
    "experience_same": ("strength", "您做过{duration}{past}，正是这一行，经验用得上。",
                        "You worked as {past} for {duration}: this is the same line of work."),
    "experience_related": ("strength", "和您做过的{past}相近，以前的经验用得上。",
                           "It is close to your past work as {past}, so your experience counts."),
    "certificate_held_fits": ("strength", "您持有的{certificate}正是这一行的岗位要求的。",
                              "Your {certificate} is what jobs in this line of work ask for."),
    "after_training_education": ("gap", "这个职业一般要求{education}，可以先参加{training}。",
                                 "This occupation usually asks for {education}; {training} can be a first step."),
    "after_training_certificate": ("gap", "这一行的岗位都要求{certificate}，可以先参加{training}。",
                                   "Jobs in this line of work ask for the {certificate} certificate; {training} can get you it."),
    "after_training_aptitude": ("gap", "{aptitude}还需要提高，可以先参加{training}。",
                                "Your {aptitude} needs to grow first; {training} can help."),
    "interests_flat": ("info", "您对各类工作的兴趣差不多，还没有特别明显的偏好。建议和职业指导师一起做职业探索，"
                               "多了解几个方向再决定。",
                       "Your interests are much the same across every kind of work, with no clear favourite yet. "
                       "Explore careers with your counsellor and learn about a few directions before you decide."),
    "near_miss_commute": ("info", "如果能接受{minutes}分钟路程，多{n}个岗位。",
                          "If you could travel {minutes} minutes each way, {n} more jobs would open."),
    "near_miss_hours": ("info", "如果每周能工作{hours}小时，多{n}个岗位。",
                        "If you could work {hours} hours a week, {n} more jobs would open."),
    "near_miss_shift": ("info", "如果能上{shift}，多{n}个岗位。",
                        "If you could work {shift}, {n} more jobs would open."),
    "near_miss_certificate": ("info", "如果取得{certificate}，多{n}个岗位。",
                              "With the {certificate} certificate, {n} more jobs would open."),
    "near_miss_none": ("info", "附近符合您条件的岗位很少，主要是{constraint}的限制；放宽其中一项也不会多出岗位。",
                       "Few jobs nearby fit your conditions, mainly because of {constraint}; relaxing one of them "
                       "alone would not open more."),
    "programme_certificate": ("strength", "结业可取得{certificate}，附近有{n}个岗位要求这个证书。",
                              "You can earn the {certificate} certificate, which {n} jobs near you ask for."),
    "programme_education": ("strength", "结业可取得{education}学历。",
                            "You can finish with {education}."),
    "programme_demand": ("strength", "附近相关岗位正在招{openings}人。",
                         "Jobs near you in this line of work have {openings} openings."),
    "programme_no_demand": ("gap", "附近暂时没有这个方向的招聘岗位。",
                            "There are no job openings in this line of work near you right now."),
    "programme_placement": ("strength", "往期学员中{rate}%找到了工作。",
                            "{rate}% of past trainees found work."),
    "programme_free": ("strength", "有政府补贴，个人基本不用出钱。",
                       "It is subsidised: little or no cost to you."),
    "programme_cost": ("gap", "个人需要承担约{cost}元费用。", "You would pay about {cost} yuan yourself."),
    "overall": ("info", "综合匹配度{total}分（满分100）。", "Overall fit: {total} out of 100."),
    "few_details": ("info", "现有信息不多，建议和职业指导师一起看看这个岗位。",
                    "There is not much information yet; look at this one together with your counsellor."),
}

DEFAULT_TRAINING = Localised("相关培训", "relevant training")
SHIFT_NAMES = {
    "day": Localised("白班", "day shifts"), "evening": Localised("晚班", "evening shifts"),
    "night": Localised("夜班", "night shifts"), "weekend": Localised("周末班", "weekend shifts"),
    "rotating": Localised("倒班", "rotating shifts"),
}
CONSTRAINT_NAMES = {
    "certificate": Localised("证书要求", "certificate requirements"),
    "education": Localised("学历要求", "education requirements"),
    "hours": Localised("工作时长", "working hours"), "shift": Localised("班次", "shifts"),
    "commute": Localised("路程", "travel time"), "physical": Localised("身体条件", "physical demands"),
    "closed": Localised("招聘截止", "closing dates"),
}

# Interest reasons (issue 13): a type is the person's clear interest when it is among their top
# two, at least 3.5 on the 1–5 scale ('agree' on average) and at least half a point above their
# third type; a profile whose highest and lowest scale differ by less than one point is flat
# (Holland's differentiation index, Holland 1997, below 1 on a 1–5 scale).
CLEAR_INTEREST_MIN = 3.5
CLEAR_INTEREST_MARGIN = 0.5
FLAT_SPREAD = 1.0


def duration(months: float) -> Localised:
    """'4年' / '4 years', '8个月' / '8 months' (years from 24 months, rounded)."""
    if months >= 24:
        y = int(round(months / 12))
        return Localised(f"{y}年", f"{y} years")
    m = int(round(months))
    return Localised(f"{m}个月", f"{m} month{'s' if m != 1 else ''}")


def clear_interests(riasec: Sequence[float]) -> list[int]:
    """Indices (R=0 … C=5) of the person's clear interests, strongest first (see above)."""
    order = sorted(range(6), key=lambda k: (-riasec[k], k))
    third = riasec[order[2]]
    return [k for k in order[:2] if riasec[k] >= CLEAR_INTEREST_MIN and riasec[k] - third >= CLEAR_INTEREST_MARGIN]


def is_flat(riasec: Sequence[float]) -> bool:
    """Highest minus lowest scale below one point: no shape to match on."""
    return max(riasec) - min(riasec) < FLAT_SPREAD


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def render(code: str, **params: object) -> Reason:
    """The reason ``code`` with its parameters filled in both languages."""
    kind, zh, en = TEMPLATES[code]
    needed = _fields(zh) | _fields(en)
    missing = needed - params.keys()
    if missing:
        raise KeyError(f"reason {code!r} needs parameters {sorted(missing)}")
    zh_p = {k: (v.zh if isinstance(v, Localised) else v) for k, v in params.items()}
    en_p = {k: (v.en if isinstance(v, Localised) else v) for k, v in params.items()}
    return Reason(code=code, kind=kind, **{"zh-CN": zh.format(**zh_p)}, en=en.format(**en_p))


def join(words: list[Localised]) -> Localised:
    """'A、B' in Chinese, 'A and B' in English."""
    return Localised("、".join(w.zh for w in words), " and ".join(w.en for w in words))


@dataclass(frozen=True)
class Candidate:
    """A reason that could be given, with how much it matters (salience, 0–1)."""

    code: str
    salience: float
    params: dict


def choose(candidates: list[Candidate], total: float, max_n: int = 3) -> list[Reason]:
    """Two or three reasons: the strongest strengths and the most important gap.

    At most one gap is shown (the most salient) so that every item says what is good about it;
    an item with little to say gets its overall score (and, failing all else, a prompt to look
    at it with the counsellor) so that there are always at least two.
    """
    kinds = {c.code: TEMPLATES[c.code][0] for c in candidates}
    positives = sorted((c for c in candidates if kinds[c.code] != "gap"), key=lambda c: -c.salience)
    gaps = sorted((c for c in candidates if kinds[c.code] == "gap"), key=lambda c: -c.salience)
    chosen = positives[: max_n - (1 if gaps else 0)] + gaps[:1]
    if len(chosen) < 2:
        chosen.append(Candidate("overall", 0.0, {"total": f"{total:.0f}"}))
    if len(chosen) < 2:
        chosen.append(Candidate("few_details", 0.0, {}))
    return [render(c.code, **c.params) for c in chosen[:max_n]]
