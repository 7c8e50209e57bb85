"""Every phrase the report builder adds to the instruments' own interpretation texts, in zh-CN and en.

Client phrases are written for someone with primary schooling: short sentences, everyday words,
strengths first, no statistics, and never a verdict on the person: the report guides, it does not
screen anyone out. Counsellor phrases may use the technical terms of the field.

Kept as data (dicts keyed by language) so a translator can review them in one place.
"""
from __future__ import annotations

from typing import Final

T = dict[str, str]

LABELS: Final[dict[str, T]] = {
    "title": {"zh-CN": "职业素质测评报告", "en": "Vocational assessment report"},
    "title_client": {"zh-CN": "我的职业素质测评结果", "en": "My vocational assessment results"},
    "audience_client": {"zh-CN": "服务对象版", "en": "Client version"},
    "audience_counsellor": {"zh-CN": "职业指导师版", "en": "Counsellor version"},
    "person": {"zh-CN": "编号", "en": "Reference"},
    "name": {"zh-CN": "姓名", "en": "Name"},
    "assessed_on": {"zh-CN": "测评日期", "en": "Assessed on"},
    "report_date": {"zh-CN": "报告日期", "en": "Report date"},
    "centre": {"zh-CN": "服务机构", "en": "Centre"},
    "counsellor": {"zh-CN": "职业指导师", "en": "Counsellor"},
    "battery": {"zh-CN": "测评套餐", "en": "Battery"},
    "instruments": {"zh-CN": "测评工具及版本", "en": "Instruments and versions"},
    "engine": {"zh-CN": "计分程序", "en": "Scoring engine"},
    "norm_group": {"zh-CN": "常模组", "en": "Norm group"},
    "validity": {"zh-CN": "结果是否可以解读", "en": "Can the results be read?"},
    "aptitudes": {"zh-CN": "能力倾向", "en": "Abilities"},
    "traits": {"zh-CN": "性格特点", "en": "Personality"},
    "interests": {"zh-CN": "职业兴趣", "en": "Work interests"},
    "motivation": {"zh-CN": "工作想法和求职准备", "en": "Work values and readiness"},
    "job_direction": {"zh-CN": "求职方向", "en": "Job direction"},
    "occupations": {"zh-CN": "比较适合的职业方向", "en": "Occupations that fit best"},
    "programmes": {"zh-CN": "可以补上差距的培训", "en": "Training that bridges the gaps"},
    "after_training": {"zh-CN": "培训后可以考虑", "en": "Options after training"},
    "bridging_programme": {"zh-CN": "可以先参加", "en": "Course that opens it"},
    "next_module": {"zh-CN": "建议的下一步服务", "en": "Suggested next service"},
    "notes": {"zh-CN": "专家访谈提示（模块三）", "en": "Notes for the expert interview (module 3)"},
    "item_flags": {"zh-CN": "题目层面的情况", "en": "Item-level checks"},
    "method_notes": {"zh-CN": "方法说明", "en": "Method notes"},
    "strengths": {"zh-CN": "您的长处", "en": "Your strengths"},
    "scale": {"zh-CN": "维度", "en": "Scale"},
    "level": {"zh-CN": "水平", "en": "Level"},
    "values": {"zh-CN": "您最看重的工作条件（从高到低）", "en": "What matters most to you in a job (most first)"},
    "barriers": {"zh-CN": "您说影响出去工作的事情", "en": "Things you said make working harder"},
    "readiness": {"zh-CN": "求职准备情况", "en": "Readiness to look for work"},
    "holland_code": {"zh-CN": "兴趣代码", "en": "Interest code"},
    "examples": {"zh-CN": "可以了解的工作", "en": "Jobs worth a look"},
    "fit": {"zh-CN": "匹配度", "en": "Fit"},
    "next_step": {"zh-CN": "下一步", "en": "Next step"},
    "reasons": {"zh-CN": "理由", "en": "Why"},
    "col_t": {"zh-CN": "T 分（95% 置信区间）", "en": "T (95% CI)"},
    "col_percentile": {"zh-CN": "百分位", "en": "%ile"},
    "col_stanine": {"zh-CN": "标准九分", "en": "stanine"},
    "col_raw": {"zh-CN": "原始分 ± 标准误", "en": "raw ± SE"},
    "col_items": {"zh-CN": "作答题数", "en": "items"},
    "generated_at": {"zh-CN": "生成时间", "en": "Generated"},
    "chart_norm": {"zh-CN": "与常模比较（点为得分，横线为95%可信范围）",
                   "en": "Compared with the norm group (dot: score; line: 95% interval)"},
    "chart_bands": {"zh-CN": "色块为水平区间", "en": "Shaded areas are the levels"},
    "page": {"zh-CN": "第 {page} 页", "en": "Page {page}"},
    "values_client": {"zh-CN": "您找工作时最看重的（从最看重的说起）", "en": "What matters most to you in a job (most first)"},
    "confidential": {"zh-CN": "本报告含个人信息，请妥善保管。", "en": "This report contains personal data; keep it safe."},
    "not_taken": {"zh-CN": "本次没有做这部分测评。", "en": "This part was not taken this time."},
}

# The matcher's component and programme-weight names (keys of ``DirectionLine.components``).
COMPONENT_NAMES: Final[dict[str, T]] = {
    "aptitude": {"zh-CN": "能力", "en": "aptitude"},
    "interest": {"zh-CN": "兴趣", "en": "interest"},
    "work_values": {"zh-CN": "工作价值观", "en": "work values"},
    "work_style": {"zh-CN": "工作风格", "en": "work style"},
    "experience": {"zh-CN": "经验", "en": "experience"},
    "practical": {"zh-CN": "现实条件", "en": "practical fit"},
    "occupation_fit": {"zh-CN": "目标职业匹配", "en": "occupation fit"},
    "gaps_closed": {"zh-CN": "补齐差距", "en": "gaps closed"},
    "local_demand": {"zh-CN": "本地岗位需求", "en": "local demand"},
    "placement": {"zh-CN": "培训后就业率", "en": "placement"},
}
# How the instrument was given (``InstrumentResult.mode``).
MODES: Final[dict[str, T]] = {
    "adaptive": {"zh-CN": "自适应", "en": "adaptive"},
    "all": {"zh-CN": "全部题目", "en": "all items"},
    "short": {"zh-CN": "简版", "en": "short form"},
    "paper": {"zh-CN": "纸笔", "en": "paper"},
}
# Norm-group dimensions and their values, as the counsellor header names them.
NORM_GROUP_KEYS: Final[dict[str, T]] = {"age_band": {"zh-CN": "年龄段", "en": "age band"},
                                        "education": {"zh-CN": "学历", "en": "education"}}
EDUCATION: Final[dict[str, T]] = {
    "none": {"zh-CN": "未上过学", "en": "no schooling"},
    "primary": {"zh-CN": "小学", "en": "primary"},
    "junior_secondary": {"zh-CN": "初中", "en": "junior secondary"},
    "senior_secondary": {"zh-CN": "高中", "en": "senior secondary"},
    "vocational_secondary": {"zh-CN": "中专/技校", "en": "vocational secondary"},
    "junior_college": {"zh-CN": "大专", "en": "junior college"},
    "bachelor": {"zh-CN": "本科", "en": "bachelor"},
    "postgraduate": {"zh-CN": "研究生", "en": "postgraduate"},
}
NORM_VERSION: Final[T] = {"zh-CN": "常模版本", "en": "norms"}

# Client version: what each ability is called in everyday words (the level is told in the
# interpretation text, never as a label such as "很低").
CLIENT_ABILITY_NAMES: Final[dict[str, T]] = {
    "V": {"zh-CN": "读懂文字的能力", "en": "Understanding written words"},
    "N": {"zh-CN": "算数的能力", "en": "Working with numbers"},
    "S": {"zh-CN": "看图想象的能力", "en": "Picturing shapes"},
    "P": {"zh-CN": "看出图形差别的能力", "en": "Spotting differences in shapes"},
    "Q": {"zh-CN": "核对名字和数字的能力", "en": "Checking names and numbers"},
    "G": {"zh-CN": "学新东西的能力", "en": "Learning new things"},
}
# Client version of the interest result: what the person likes doing, in plain verbs.
RIASEC_ACTIVITY: Final[dict[str, T]] = {
    "R": {"zh-CN": "动手做", "en": "working with your hands"},
    "I": {"zh-CN": "动脑筋", "en": "figuring things out"},
    "A": {"zh-CN": "搞创作", "en": "creating things"},
    "S": {"zh-CN": "帮助别人", "en": "helping people"},
    "E": {"zh-CN": "带头做事", "en": "leading and selling"},
    "C": {"zh-CN": "按规矩办事", "en": "orderly work"},
}
INTEREST_LIKES: Final[T] = {"zh-CN": "您最喜欢做的是：{names}。", "en": "What you like doing most: {names}."}

BAND_SHORT: Final[dict[str, T]] = {
    "very_low": {"zh-CN": "很低", "en": "Very low"},
    "low": {"zh-CN": "偏低", "en": "Low"},
    "average": {"zh-CN": "中等", "en": "Average"},
    "high": {"zh-CN": "偏高", "en": "High"},
    "very_high": {"zh-CN": "很高", "en": "Very high"},
}
STRENGTH_BANDS: Final = frozenset({"high", "very_high"})

PROVISIONAL_NOTE: Final[dict[str, T]] = {
    "client": {"zh-CN": "说明：这套测评还在试用阶段，比较的标准是暂定的。结果只作参考，请和指导师一起看。",
               "en": "Note: this assessment is still being tried out and its comparison standards are "
                     "provisional. Use the results as a guide and go through them with your counsellor."},
    "counsellor": {"zh-CN": "注意：本报告使用了暂定的项目参数或常模，尚未由真实样本估计；"
                            "分数请结合置信区间和面谈信息解读，不得作为唯一依据。",
                   "en": "Caution: provisional item parameters or norms were used (not yet estimated from real "
                         "samples). Read scores with their confidence intervals and the interview; never use "
                         "them as the only basis for a decision."},
}

VALIDITY_HEADLINE: Final[dict[str, T]] = {
    "ok": {"zh-CN": "所有部分的回答都认真一致，结果可以解读。",
           "en": "All parts were answered carefully and consistently; the results can be read."},
    "warnings": {"zh-CN": "结果可以解读，但有个别地方需要留意（见下）。",
                 "en": "The results can be read, with a few points to keep in mind (below)."},
    "some_invalid": {"zh-CN": "有些部分的回答方式让结果不够可靠，这些部分不作解释（见下）。",
                     "en": "Some parts were answered in a way that makes them unreliable; those parts are not "
                           "interpreted (below)."},
    "all_invalid": {"zh-CN": "这次的回答方式让结果不够可靠，报告不作解释。请和指导师聊一聊，需要时重新做一次。",
                    "en": "This time the answers make the results unreliable, so the report gives no "
                          "interpretation. Talk it over with your counsellor and take it again if needed."},
}

INSTRUMENT_OK: Final[T] = {"zh-CN": "可以解读。", "en": "Can be read."}
INSTRUMENT_WARN: Final[T] = {"zh-CN": "可以解读，有需要留意的地方。", "en": "Can be read, with points to note."}
INSTRUMENT_INVALID: Final[dict[str, T]] = {
    "client": {"zh-CN": "这部分的回答前后不太一致，或答得太快，结果可能不准，所以不作解释。可以和指导师聊一聊，需要时重新做一次。",
               "en": "The answers in this part were not very consistent, or very fast, so the results may be "
                     "wrong and are not interpreted. Talk it over with your counsellor and take it again if needed."},
    "counsellor": {"zh-CN": "效度指标未通过，本部分分数不予解释；请在面谈中了解作答情况（理解、动机、环境），必要时重测。",
                   "en": "Validity check failed: scores of this part are not interpreted. Explore the test-taking "
                         "(understanding, motivation, setting) in the interview and retest if needed."},
}
SECTION_NOT_SCORED: Final[T] = {"zh-CN": "这部分回答的题目太少，没有得出结果。",
                                "en": "Too few questions were answered in this part to give a result."}

APTITUDE_STRENGTHS: Final[T] = {"zh-CN": "您比较突出的能力：{names}。", "en": "Your stronger abilities: {names}."}
APTITUDE_STRENGTHS_C: Final[T] = {"zh-CN": "相对优势（偏高及以上）：{names}。", "en": "Relative strengths (high or above): {names}."}
TRAIT_MARKED_C: Final[T] = {"zh-CN": "偏离中等水平的维度：{names}。", "en": "Scales outside the average band: {names}."}
TRAIT_EVEN_C: Final[T] = {"zh-CN": "五个维度均在中等水平。", "en": "All five domains are in the average band."}
APTITUDE_NO_STRENGTH_C: Final[T] = {"zh-CN": "无偏高及以上的能力倾向；相对较好：{names}。",
                                    "en": "No aptitude in the high band or above; relatively best: {names}."}
INTEREST_CODE_C: Final[T] = {"zh-CN": "Holland 代码 {code}（{names}）。", "en": "Holland code {code} ({names})."}
APTITUDE_NO_STRENGTH: Final[T] = {
    "zh-CN": "您的各项能力比较均衡。每个人都有自己的长处，很多工作更看重认真和经验。",
    "en": "Your abilities are fairly even. Everyone has strengths, and many jobs value care and experience most."}
APTITUDE_BEST: Final[T] = {"zh-CN": "在这次测的能力里，您相对最好的是：{names}。",
                           "en": "Of the abilities tested, your best are: {names}."}
TRAIT_STRENGTHS: Final[T] = {"zh-CN": "您性格里比较突出的方面：{names}。", "en": "What stands out in your personality: {names}."}
TRAIT_EVEN: Final[T] = {"zh-CN": "您的性格各方面都比较适中，能适应很多种工作环境。",
                        "en": "Your personality is balanced; you can fit into many kinds of workplace."}

RIASEC: Final[dict[str, dict[str, T | list[T]]]] = {
    "R": {"name": {"zh-CN": "实用型", "en": "Realistic"},
          "text": {"zh-CN": "喜欢动手，用工具和机器做出看得见的东西", "en": "likes hands-on work with tools and machines"},
          "examples": [{"zh-CN": "电工", "en": "electrician"}, {"zh-CN": "汽车维修工", "en": "car mechanic"},
                       {"zh-CN": "厨师", "en": "cook"}, {"zh-CN": "快递员", "en": "courier"},
                       {"zh-CN": "装配工", "en": "assembler"}]},
    "I": {"name": {"zh-CN": "研究型", "en": "Investigative"},
          "text": {"zh-CN": "喜欢观察、动脑筋，弄清楚为什么", "en": "likes to observe, think and find out why"},
          "examples": [{"zh-CN": "质检员", "en": "quality inspector"}, {"zh-CN": "化验员", "en": "lab assistant"},
                       {"zh-CN": "电脑维修员", "en": "computer repairer"},
                       {"zh-CN": "农业技术员", "en": "farm technician"}]},
    "A": {"name": {"zh-CN": "艺术型", "en": "Artistic"},
          "text": {"zh-CN": "喜欢创作和设计，用自己的方式表达", "en": "likes to create, design and express"},
          "examples": [{"zh-CN": "美发师", "en": "hairdresser"}, {"zh-CN": "摄影师", "en": "photographer"},
                       {"zh-CN": "手工艺人", "en": "craft worker"}, {"zh-CN": "裱花师", "en": "cake decorator"}]},
    "S": {"name": {"zh-CN": "社会型", "en": "Social"},
          "text": {"zh-CN": "喜欢帮助、照顾和教别人", "en": "likes to help, care for and teach people"},
          "examples": [{"zh-CN": "养老护理员", "en": "elderly-care worker"}, {"zh-CN": "育婴员", "en": "infant carer"},
                       {"zh-CN": "保育员", "en": "nursery assistant"},
                       {"zh-CN": "社区服务员", "en": "community service worker"}]},
    "E": {"name": {"zh-CN": "企业型", "en": "Enterprising"},
          "text": {"zh-CN": "喜欢说服别人、带头做事、做买卖", "en": "likes to persuade, lead and sell"},
          "examples": [{"zh-CN": "销售员", "en": "salesperson"}, {"zh-CN": "店长", "en": "shop manager"},
                       {"zh-CN": "网店运营", "en": "online-shop operator"},
                       {"zh-CN": "保险代理人", "en": "insurance agent"}]},
    "C": {"name": {"zh-CN": "常规型", "en": "Conventional"},
          "text": {"zh-CN": "喜欢按规矩、有条理地处理事情和数字", "en": "likes orderly work with rules, records and numbers"},
          "examples": [{"zh-CN": "收银员", "en": "cashier"}, {"zh-CN": "仓库管理员", "en": "warehouse keeper"},
                       {"zh-CN": "文员", "en": "office clerk"}, {"zh-CN": "记账员", "en": "bookkeeper"}]},
}
INTEREST_LETTER: Final[T] = {"zh-CN": "{name}（{letter}）：{description}", "en": "{name} ({letter}): {description}"}
INTEREST_LETTER_CLIENT: Final[T] = {"zh-CN": "{name}：{description}", "en": "{name}: {description}"}
CONSISTENCY: Final[dict[str, dict[str, T]]] = {
    "high": {"client": {"zh-CN": "您最感兴趣的两类事情很相近，方向比较清楚。",
                        "en": "Your two strongest interests are close to each other, so your direction is clear."},
             "counsellor": {"zh-CN": "一致性高：前两码在六边形上相邻。",
                            "en": "High consistency: the first two letters are adjacent on the hexagon."}},
    "medium": {"client": {"zh-CN": "您的兴趣有两个不同的方面，可以找能把两者结合起来的工作。",
                          "en": "Your interests have two different sides; look for work that combines them."},
               "counsellor": {"zh-CN": "一致性中：前两码在六边形上相隔一位。",
                              "en": "Medium consistency: the first two letters are alternate on the hexagon."}},
    "low": {"client": {"zh-CN": "您感兴趣的事情差别比较大，可以和指导师一起想想哪个更重要。",
                       "en": "Your interests point in quite different directions; talk with your counsellor about "
                             "which matters more."},
            "counsellor": {"zh-CN": "一致性低：前两码在六边形上相对，兴趣结构不一致，宜在面谈中澄清。",
                           "en": "Low consistency: the first two letters are opposite on the hexagon; clarify the "
                                 "interest structure in the interview."}},
}
DIFFERENTIATION_LOW_CUT: Final = 1.0  # range of six 1–5 means below which the profile is flat
DIFFERENTIATION: Final[dict[str, dict[str, T]]] = {
    "flat": {"client": {"zh-CN": "您对很多事情的兴趣差不多，可以多去了解、试一试不同的工作。",
                        "en": "You are about equally interested in many things; find out about and try different jobs."},
             "counsellor": {"zh-CN": "分化度低（六项均分极差 {value:.2f} < {cut:.1f}）：兴趣剖面平坦，代码稳定性差，建议职业探索。",
                            "en": "Low differentiation (range of the six means {value:.2f} < {cut:.1f}): flat profile, "
                                  "unstable code; suggest career exploration."}},
    "clear": {"client": {"zh-CN": "您喜欢和不喜欢的事情分得比较清楚。",
                         "en": "You know quite clearly what you like and what you don't."},
              "counsellor": {"zh-CN": "分化度 {value:.2f}（六项均分极差，≥ {cut:.1f} 视为有分化）。",
                             "en": "Differentiation {value:.2f} (range of the six means; ≥ {cut:.1f} counts as differentiated)."}},
}
TIED: Final[T] = {"zh-CN": "代码第 {positions} 位与其他类型分数接近（相差 ≤ 0.05），可参考相邻代码。",
                  "en": "Position(s) {positions} of the code are tied within 0.05 with another type; consider the "
                        "alternative codes."}

WORK_VALUES: Final[dict[str, T]] = {
    "achievement": {"zh-CN": "做出成绩、发挥本事", "en": "achievement: using your abilities"},
    "working_conditions": {"zh-CN": "收入稳定、条件好", "en": "working conditions: pay, security"},
    "recognition": {"zh-CN": "被人认可、有发展", "en": "recognition: respect, advancement"},
    "relationships": {"zh-CN": "同事友好、帮助别人", "en": "relationships: friendly co-workers, helping others"},
    "support": {"zh-CN": "领导公平、单位支持", "en": "support: fair, supportive management"},
    "independence": {"zh-CN": "自己做主、有自主权", "en": "independence: deciding for yourself"},
}
READINESS_SCALES: Final = ("employment_commitment", "job_search_self_efficacy", "job_search_activity",
                           "readiness_to_change")
READINESS: Final[dict[str, dict[str, T]]] = {
    "high": {"client": {"zh-CN": "您很想工作，对找工作也有信心。可以马上开始看岗位、去应聘。",
                        "en": "You want to work and feel confident about looking. You can start looking at jobs "
                              "and applying now."},
             "counsellor": {"zh-CN": "就业准备度高：求职动力充足，可直接进入岗位匹配与推荐。",
                            "en": "High readiness: motivation is strong; proceed to matching and referral."}},
    "moderate": {"client": {"zh-CN": "您想工作，有些方面还可以再加把劲。指导师可以陪您一起准备。",
                            "en": "You want to work, and some things could use a little more effort. Your "
                                  "counsellor can help you prepare."},
                 "counsellor": {"zh-CN": "就业准备度中等：推荐岗位的同时针对薄弱方面进行指导。",
                                "en": "Moderate readiness: refer to jobs while coaching the weaker areas."}},
    "low": {"client": {"zh-CN": "现在找工作对您来说可能有些难，这很正常。指导师会先和您聊一聊，一步一步来。",
                       "en": "Looking for work may feel hard right now, and that is normal. Your counsellor will "
                             "talk with you first and take it step by step."},
            "counsellor": {"zh-CN": "就业准备度低：建议先进行求职动力与心理支持辅导（专家访谈），再进入推荐。",
                           "en": "Low readiness: start with motivation and psychological support (expert interview) "
                                 "before referral."}},
}
WEAK_AREAS: Final[T] = {"zh-CN": "需要加强的方面：{names}。", "en": "Areas to strengthen: {names}."}
BARRIERS: Final[dict[str, dict[str, T]]] = {
    "care_duties": {"name": {"zh-CN": "要照顾家人", "en": "caring for family"},
                    "support": {"zh-CN": "可以了解时间灵活、离家近的岗位和照护服务", "en": "ask about flexible hours, jobs near home and care services"}},
    "health": {"name": {"zh-CN": "身体状况", "en": "health"},
               "support": {"zh-CN": "可以和指导师商量适合身体情况的工作", "en": "discuss work that suits your health with your counsellor"}},
    "transport": {"name": {"zh-CN": "交通不便、路远", "en": "transport and distance"},
                  "support": {"zh-CN": "优先找离家近或交通方便的岗位", "en": "look first at jobs near home or easy to reach"}},
    "skills": {"name": {"zh-CN": "缺少技能或证书", "en": "missing skills or certificates"},
               "support": {"zh-CN": "可以参加免费或有补贴的技能培训", "en": "join free or subsidised skills training"}},
    "discrimination": {"name": {"zh-CN": "招工时受到不公平对待", "en": "unfair treatment when applying"},
                       "support": {"zh-CN": "指导师可以帮您了解权益，推荐公平招聘的单位",
                                   "en": "your counsellor can explain your rights and refer you to fair employers"}},
}

FIT_LABELS: Final[list[tuple[float, T]]] = [
    (70.0, {"zh-CN": "很合适", "en": "Very good fit"}),
    (55.0, {"zh-CN": "比较合适", "en": "Good fit"}),
    (0.0, {"zh-CN": "可以考虑", "en": "Worth considering"}),
]
NEXT_STEP: Final[dict[str, T]] = {
    "apply_now": {"zh-CN": "可以直接应聘", "en": "Apply now"},
    "train_first": {"zh-CN": "先参加培训", "en": "Train first"},
    "internship": {"zh-CN": "先去见习试一试", "en": "Try an internship first"},
}
NEXT_STEPS_TEXT: Final[dict[str, T]] = {
    "apply_now": {"zh-CN": "“可以直接应聘”的方向，指导师可以马上帮您找岗位、写简历、准备面试。",
                  "en": "For directions marked \"apply now\", your counsellor can find vacancies with you and help "
                        "with your CV and interviews straight away."},
    "train_first": {"zh-CN": "“先参加培训”的方向，学完一门短期培训，找到工作的机会会更大。",
                    "en": "For directions marked \"train first\", a short course will improve your chances."},
    "internship": {"zh-CN": "“先去见习”的方向，可以先在单位里试做一段时间，看看是否适合自己。",
                   "en": "For directions marked \"internship\", you can first try the work for a while and see "
                         "whether it suits you."},
}
MODULES: Final[dict[int, T]] = {
    1: {"zh-CN": "基本服务：岗位推荐", "en": "Basic service: job referral"},
    2: {"zh-CN": "求职应聘指导", "en": "Job-search coaching"},
    3: {"zh-CN": "专家心理访谈", "en": "Expert psychological interview"},
    4: {"zh-CN": "职业素质测评", "en": "Vocational assessment"},
    5: {"zh-CN": "职业技能培训", "en": "Skills training"},
    6: {"zh-CN": "见习和定向培训", "en": "Internship and directed training"},
    7: {"zh-CN": "跟踪服务", "en": "Follow-up"},
}
MODULE_REASON: Final[dict[str, dict[str, T]]] = {
    "invalid": {"client": {"zh-CN": "有些测评结果不够可靠，先和专家聊一聊，需要时再测一次。",
                           "en": "Some results were not reliable; talk with a specialist first and retake if needed."},
                "counsellor": {"zh-CN": "主要测评效度不足，先通过专家访谈了解作答情况，必要时重测（模块四）。",
                               "en": "Key instruments failed validity; explore test-taking in the expert interview and "
                                     "retest (module 4) if needed."}},
    "readiness": {"client": {"zh-CN": "先和专家聊一聊您的想法和顾虑，把找工作的劲头找回来。",
                             "en": "First talk with a specialist about your thoughts and worries, to get your energy "
                                   "for job seeking back."},
                  "counsellor": {"zh-CN": "就业准备度低{weak}，宜先进行专家心理访谈，处理动机与障碍后再推荐岗位。",
                                 "en": "Low readiness{weak}: expert interview first, address motivation and barriers "
                                       "before referral."}},
    "train": {"client": {"zh-CN": "最适合您的方向大多需要先学一些技能，建议先参加培训。",
                         "en": "Most of the directions that fit you need some skills first, so training comes next."},
              "counsellor": {"zh-CN": "前列职业方向多为“先培训”（能力或学历差距），建议进入技能培训并制定培训计划。",
                             "en": "Most top directions are \"train first\" (aptitude or education gap): move to skills "
                                   "training with a training plan."}},
    "internship": {"client": {"zh-CN": "建议先去单位见习，边做边学，看看哪种工作最适合自己。",
                              "en": "An internship comes next: learn on the job and see which work suits you best."},
                   "counsellor": {"zh-CN": "方向尚需验证或准备度一般，建议安排见习或定向培训岗位。",
                                  "en": "The direction needs testing or readiness is moderate: arrange an internship or "
                                        "directed-training place."}},
    "apply": {"client": {"zh-CN": "您已经有比较清楚的方向，可以马上开始应聘。",
                         "en": "You have a clear direction and can start applying now."},
              "counsellor": {"zh-CN": "方向明确、准备度足够：回到岗位推荐，按求职方向推荐岗位并跟踪。",
                             "en": "Clear direction and enough readiness: go back to job referral along the job "
                                   "direction, with follow-up."}},
    "unknown": {"client": {"zh-CN": "和指导师一起看看这份报告，商量下一步。",
                           "en": "Go through this report with your counsellor and agree the next step."},
                "counsellor": {"zh-CN": "缺少匹配结果，请结合报告与面谈确定下一步。",
                               "en": "No matching result: decide the next step from the report and the interview."}},
}
DIRECTION_UNAVAILABLE: Final[T] = {
    "zh-CN": "这次还没有生成职业方向的匹配结果。指导师会和您一起根据这份报告确定求职方向。",
    "en": "No job-direction ranking was made this time. Your counsellor will set the job direction with you from "
          "this report."}
DIRECTION_INVALID: Final[T] = {
    "zh-CN": "测评结果不够可靠，这次不给出职业方向。", "en": "The results are not reliable enough to suggest a job direction."}

CLOSING: Final[dict[str, T]] = {
    "client": {"zh-CN": "这份报告是帮您找方向的参考，不是考试成绩，也不会因此把您排除在任何工作之外。"
                        "您的经验、愿望和努力同样重要。",
               "en": "This report helps you find a direction. It is not an exam result, and it never rules you out "
                     "of any job. Your experience, wishes and effort matter just as much."},
    "counsellor": {"zh-CN": "测评用于指导而非筛选：分数不得作为拒绝服务或推荐的唯一依据；"
                            "“需要的帮助”量表仅用于安排支持，不进入任何匹配或决策。",
                   "en": "Assessment guides, it does not screen: never use a score as the only basis to refuse a "
                         "service or a referral; the support-needs scale is for planning support only and never "
                         "enters matching or any decision."},
}

INTERVIEW: Final[dict[str, T]] = {
    "invalid": {"zh-CN": "{title}未通过效度检查（{codes}）：了解作答时是否理解题意、是否疲劳或分心，是否需要重测。",
                "en": "{title} failed validity ({codes}): ask whether the items were understood, whether the person "
                      "was tired or distracted, and whether to retest."},
    "weak": {"zh-CN": "求职动力薄弱方面：{names}。可探讨过去的求职经历、对失败的看法与自我效能。",
             "en": "Weak motivation areas: {names}. Explore past job-search experiences, how setbacks are read, and "
                   "self-efficacy."},
    "barriers": {"zh-CN": "服务对象认为影响就业的事情：{names}。请逐项了解具体情况并安排支持（不作为筛选依据）。",
                 "en": "Barriers the client named: {names}. Go through each and plan support (never a screening "
                       "criterion)."},
    "emotional": {"zh-CN": "情绪稳定性{band}：了解近期压力来源与支持系统，必要时转介心理支持。",
                  "en": "Emotional stability {band}: ask about recent stress and support, and refer for psychological "
                        "support if needed."},
    "flat": {"zh-CN": "兴趣剖面平坦：可用职业卡片分类或见习帮助探索。",
             "en": "Flat interest profile: use card sorts or an internship to explore."},
    "inconsistent": {"zh-CN": "兴趣代码一致性低：澄清两类相对兴趣哪一个与生活经历更吻合。",
                     "en": "Low code consistency: clarify which of the two opposite interests fits the person's history."},
    "low_aptitude": {"zh-CN": "{names}处于很低水平：确认是否存在阅读、视力、语言或电脑操作方面的困难，这些会压低分数。",
                     "en": "{names} very low: check for reading, eyesight, language or computer-use difficulties that "
                           "depress scores."},
    "interest_aptitude": {"zh-CN": "最高兴趣类型为{letter}，与最强能力的关系可在面谈中讨论，寻找兼顾兴趣与能力的方向。",
                          "en": "Top interest type is {letter}; discuss how it relates to the strongest abilities and "
                                "look for directions that use both."},
    "default": {"zh-CN": "请与服务对象一起核对报告内容，了解其工作经历与期望，共同确定求职方向。",
                "en": "Go through the report with the client, ask about work history and expectations, and agree the "
                      "job direction together."},
}
ITEM_FLAGS: Final[dict[str, T]] = {
    "answered": {"zh-CN": "{title}·{scale}：作答 {answered}/{items} 题", "en": "{title} · {scale}: {answered}/{items} items answered"},
    "not_scored": {"zh-CN": "{title}·{scale}：未计分（{reason}）", "en": "{title} · {scale}: not scored ({reason})"},
    "flag": {"zh-CN": "{title}·{code}：{value:.2f}（阈值 {threshold:.2f}，{severity}）",
             "en": "{title} · {code}: {value:.2f} (threshold {threshold:.2f}, {severity})"},
    "speed": {"zh-CN": "{title}·{scale}：答对 {rights:.0f}，答错 {wrongs:.0f}，正确率 {accuracy:.0%}",
              "en": "{title} · {scale}: {rights:.0f} right, {wrongs:.0f} wrong, accuracy {accuracy:.0%}"},
}
# Validity indicator codes (``assessment.validity``) as the counsellor version names them.
VALIDITY_CODES: Final[dict[str, T]] = {
    "missing": {"zh-CN": "漏答", "en": "missing"},
    "long_string": {"zh-CN": "连续相同作答", "en": "long_string"},
    "low_variance": {"zh-CN": "作答变化过小", "en": "low_variance"},
    "inconsistency": {"zh-CN": "前后不一致", "en": "inconsistency"},
    "infrequency": {"zh-CN": "罕见作答", "en": "infrequency"},
    "fast_responding": {"zh-CN": "作答过快", "en": "fast_responding"},
    "acquiescence": {"zh-CN": "默认同意倾向", "en": "acquiescence"},
}
SEVERITY: Final[dict[str, T]] = {"warning": {"zh-CN": "提示", "en": "warning"},
                                 "invalid": {"zh-CN": "无效", "en": "invalid"}}
METHOD_NOTES: Final[list[T]] = [
    {"zh-CN": "T 分数：常模组均值 50、标准差 10；括号内为 95% 置信区间。百分位为常模组中低于该分数的人数比例。",
     "en": "T-scores: norm-group mean 50, SD 10; brackets give the 95% confidence interval. The percentile is the "
           "share of the norm group scoring lower."},
    {"zh-CN": "能力倾向 V、N、S 以 IRT（EAP）估计 θ；P、Q 为校正后的每分钟正确数；G 为 V、N、S 的 θ 等权平均。",
     "en": "Aptitudes V, N, S are IRT (EAP) θ estimates; P and Q are corrected items per minute; G is the equally "
           "weighted mean θ of V, N and S."},
    {"zh-CN": "问卷量表为题目均分（反向题已转换），标准误按假定信度 0.80 计算，待本中心数据积累后更新。",
     "en": "Questionnaire scales are item means (reverse-keyed items mirrored); SEs assume a reliability of 0.80 "
           "until the centre's own data replace it."},
]
MISSING_SCORE: Final[T] = {"zh-CN": "未得出", "en": "not scored"}
LIST_SEP: Final[T] = {"zh-CN": "、", "en": ", "}


def pick(text: T, lang: str) -> str:
    """The text in ``lang``; zh-CN when a translation is missing (never blank)."""
    return text.get(lang) or text["zh-CN"]


def join(names: list[str], lang: str) -> str:
    return LIST_SEP[lang].join(names)
