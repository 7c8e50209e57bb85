"""HTML rendering of a ``Report``: one self-contained page (inline CSS and SVG), printable on A4.

The template is ``templates/report.html``; charts come from ``api.reports.charts`` so the PDF shows
the same pictures. Jinja2 autoescapes every report text; only our own SVG is marked safe.
"""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from api.reports import charts
from api.timefmt import local_time
from models.report import Report

FONT_STACK = ('"Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "Hiragino Sans GB", '
              '"WenQuanYi Micro Hei", sans-serif')
PUNCTUATION = {"zh-CN": {"colon": "：", "lp": "（", "rp": "）", "sep": "、", "semi": "；"},
               "en": {"colon": ": ", "lp": " (", "rp": ")", "sep": ", ", "semi": "; "}}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("api.reports", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["localtime"] = local_time  # stored UTC, shown in the centre's zone with its name
    return env


def chart_scenes(report: Report) -> dict[str, charts.Scene]:
    """The charts a report has, by section: aptitude bars (with G), trait bars, the RIASEC hexagon,
    motivation bars. A section that is withheld or absent has no chart, and the client version has
    none: every chart places a score against the norm group, which is a statistic."""
    counsellor = report.audience == "counsellor"
    if not counsellor:
        return {}
    labels = report.labels
    withheld = "—"
    out: dict[str, charts.Scene] = {}
    apt = report.aptitudes
    if apt is not None and apt.status == "shown":
        lines = apt.scales + ([apt.general] if apt.general else [])
        out["aptitudes"] = charts.score_bars(lines, labels, counsellor=counsellor, title=apt.title,
                                             withheld_text=withheld)
    if report.traits is not None and report.traits.status == "shown":
        out["traits"] = charts.score_bars(report.traits.scales, labels, counsellor=counsellor,
                                          title=report.traits.title)
    interests = report.interests
    if interests is not None and interests.status == "shown" and interests.scores:
        names = {x["letter"]: x["name"] for x in interests.letters}
        from assessment.report.texts import RIASEC  # letter names for all six corners
        names = {c: RIASEC[c]["name"][report.lang] for c in "RIASEC"} | names
        out["interests"] = charts.riasec_hexagon(interests.scores, names, interests.code or "",
                                                 counsellor=counsellor, title=interests.title)
    mot = report.motivation
    if mot is not None and mot.status == "shown":
        readiness = [s for s in mot.scales if s.scale_id in ("employment_commitment", "job_search_self_efficacy",
                                                             "job_search_activity", "readiness_to_change")]
        if readiness:
            out["motivation"] = charts.score_bars(readiness, labels, counsellor=counsellor, title=mot.title)
    return out


def render_html(report: Report) -> str:
    """The report as a complete HTML document (UTF-8 text)."""
    svgs = {k: Markup(charts.to_svg(v, FONT_STACK)) for k, v in chart_scenes(report).items()}
    return _environment().get_template("report.html").render(
        r=report, charts=svgs, font_stack=FONT_STACK, P=PUNCTUATION[report.lang])
