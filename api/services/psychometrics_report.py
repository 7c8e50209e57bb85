"""The psychometric QA report as one self-contained HTML page (inline CSS and SVG, no external assets).

``assessment.psychometrics.qa.quality_report`` computes the content; this module draws the charts,
fills ``api/templates/psychometrics_qa.html`` (Jinja2, autoescaped; only our own SVG is marked safe)
and does the file I/O. Texts are zh-CN by default, en on request (``lang``).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from assessment.psychometrics.qa import QAReport, quality_report
from models.instrument import AgeBand, Instrument

__all__ = ["LABELS", "render_report", "write_report", "svg_line_chart"]

LANGS = ("zh-CN", "en")

LABELS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "title": "心理测量质量报告", "instrument": "测评工具", "version": "版本", "generated": "生成时间",
        "persons": "人数", "items": "题数", "provisional": "暂定参数", "summary": "概要",
        "reliability": "各量表信度", "scale": "量表", "kind": "类型", "alpha": "α 系数", "omega": "ω 系数",
        "sem": "测量标准误", "metric": "计分单位", "mean": "平均数", "sd": "标准差",
        "marginal": "边际信度（EAP）", "item_stats": "项目统计", "item": "题目", "reverse": "反向",
        "n": "作答人数", "p_or_mean": "难度 p / 平均分", "item_rest": "题总相关（去本题）",
        "alpha_drop": "删题后 α", "options": "选项分析", "option": "选项", "share": "选择率",
        "pbis": "点二列相关（余分）", "key": "正确答案", "flag": "提示",
        "irt": "IRT 校准与测验信息", "shipped": "出厂参数", "calibrated": "本数据校准",
        "information": "测验信息量", "se_theta": "θ 的标准误", "parameters": "项目参数（出厂 vs 本数据）",
        "drift": "难度漂移（链接后）", "fit": "项目拟合 S-X²", "m2": "整体拟合 M2", "loglik": "对数似然",
        "factor": "因素结构", "efa": "探索性因素分析（minres，oblimin；因素数 = 量表数）",
        "cfa": "验证性因素分析（预设量表结构，ML）", "factor_corr": "因素相关", "own": "本量表载荷",
        "other": "最高他量表载荷", "dif": "项目功能差异（DIF）", "gender": "按性别", "age_band": "按年龄段",
        "comparison": "比较", "method": "方法", "statistic": "效应量", "class": "ETS 分类",
        "disadvantaged": "不利于", "revise": "需要修订的题目", "reason": "原因", "severity": "严重程度",
        "high": "高", "medium": "中", "nothing": "没有需要修订的题目。", "notes": "说明",
        "absent": "数据中缺少的题目", "excluded": "未纳入分析的题目", "theta": "θ（logit）",
        "only_c": "仅列出 B、C 类；A 类（可忽略）略去。", "none_bc": "没有 B 或 C 类 DIF。",
        "kinds": "irt:IRT 量表|likert:李克特量表|dichotomous:0/1 计分|speeded:速度测验",
        "reasons": ("low_item_rest:区分度低|negative_item_rest:题总相关为负|reversed_loading:载荷方向相反|"
                    "misplaced_loading:载荷落在其他量表|misfit:模型拟合不良|dif_gender:性别 DIF（C 类）|"
                    "dif_age:年龄 DIF（C 类）|distractor:干扰项吸引高分者|drift:参数漂移"),
        "yes": "是", "footer": "本报告由 pathfit 心理测量工具箱生成；方法与参考文献见 docs/psychometrics-stack.md。",
    },
    "en": {
        "title": "Psychometric QA report", "instrument": "Instrument", "version": "Version",
        "generated": "Generated", "persons": "Persons", "items": "Items", "provisional": "Provisional parameters",
        "summary": "Summary", "reliability": "Reliability by scale", "scale": "Scale", "kind": "Type",
        "alpha": "alpha", "omega": "omega", "sem": "SEM", "metric": "Metric", "mean": "Mean", "sd": "SD",
        "marginal": "Marginal reliability (EAP)", "item_stats": "Item statistics", "item": "Item",
        "reverse": "Reverse", "n": "n", "p_or_mean": "p / mean", "item_rest": "Item–rest r",
        "alpha_drop": "Alpha if deleted", "options": "Option analysis", "option": "Option", "share": "Share",
        "pbis": "r_pbis (rest)", "key": "Key", "flag": "Flag", "irt": "IRT calibration and test information",
        "shipped": "shipped", "calibrated": "calibrated on these data", "information": "Test information",
        "se_theta": "SE of θ", "parameters": "Item parameters (shipped vs these data)",
        "drift": "Difficulty drift (linked)", "fit": "Item fit S-X²", "m2": "Global fit M2",
        "loglik": "Log-likelihood", "factor": "Factor structure",
        "efa": "EFA (minres, oblimin; as many factors as scales)", "cfa": "CFA of the intended scales (ML)",
        "factor_corr": "Factor correlations", "own": "Own-scale loading", "other": "Largest other loading",
        "dif": "Differential item functioning (DIF)", "gender": "By gender", "age_band": "By age band",
        "comparison": "Comparison", "method": "Method", "statistic": "Effect", "class": "ETS class",
        "disadvantaged": "Disadvantaged", "revise": "What to revise", "reason": "Reason", "severity": "Severity",
        "high": "high", "medium": "medium", "nothing": "No item needs revision.", "notes": "Notes",
        "absent": "Items not in the data", "excluded": "Items left out", "theta": "θ (logits)",
        "only_c": "Only classes B and C are listed; class A (negligible) is omitted.",
        "none_bc": "No B- or C-class DIF.",
        "kinds": "irt:IRT scale|likert:Likert scale|dichotomous:0/1 scored|speeded:speeded test",
        "reasons": ("low_item_rest:weak discrimination|negative_item_rest:negative item–rest r|"
                    "reversed_loading:reversed loading|misplaced_loading:loads on another scale|misfit:misfit|"
                    "dif_gender:gender DIF (C)|dif_age:age DIF (C)|distractor:distractor attracts high scorers|"
                    "drift:parameter drift"),
        "yes": "yes", "footer": "Generated by the pathfit psychometric toolkit; methods and references in "
                                "docs/psychometrics-stack.md.",
    },
}


def _pairs(text: str) -> dict[str, str]:
    return dict(part.split(":", 1) for part in text.split("|"))


# ====================================================================================== charts
def svg_line_chart(series: Sequence[tuple[str, np.ndarray, np.ndarray, str]], *, x_label: str, y_label: str,
                   width: int = 440, height: int = 240, y_max: float | None = None, dashed: Sequence[str] = ()
                   ) -> Markup:
    """An inline SVG line chart.

    Parameters
    ----------
    series : sequence of (label, x, y, colour)
        Lines to draw; non-finite y values are skipped.
    x_label, y_label : str
        Axis titles (escaped).
    width, height : int
        Pixels.
    y_max : float, optional
        Upper end of the y axis (default: the largest finite y, rounded up).
    dashed : sequence of str
        Labels of the series to draw dashed.
    """
    left, right, top, bottom = 48, 12, 12, 40
    xs = np.concatenate([np.asarray(s[1], float) for s in series])
    ys = np.concatenate([np.asarray(s[2], float) for s in series])
    ys = ys[np.isfinite(ys)]
    x0, x1 = float(xs.min()), float(xs.max())
    top_y = y_max if y_max is not None else (float(ys.max()) if ys.size else 1.0)
    top_y = _nice(top_y)
    pw, ph = width - left - right, height - top - bottom

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * pw

    def py(y: float) -> float:
        return top + ph - min(max(y, 0.0), top_y) / top_y * ph

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" class="chart">',
             f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="#fff" stroke="#bbb"/>']
    for k in range(5):
        yv = top_y * k / 4
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{py(yv):.1f}" y2="{py(yv):.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{left - 4}" y="{py(yv) + 4:.1f}" text-anchor="end" font-size="10">{yv:g}</text>')
    for xv in range(int(math.ceil(x0)), int(math.floor(x1)) + 1):
        parts.append(f'<text x="{px(xv):.1f}" y="{top + ph + 14}" text-anchor="middle" font-size="10">{xv}</text>')
    parts.append(f'<text x="{left + pw / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="11">'
                 f'{escape(x_label)}</text>')
    parts.append(f'<text x="12" y="{top + ph / 2:.1f}" text-anchor="middle" font-size="11" '
                 f'transform="rotate(-90 12 {top + ph / 2:.1f})">{escape(y_label)}</text>')
    for i, (label, x, y, colour) in enumerate(series):
        pts = [f"{px(a):.1f},{py(b):.1f}" for a, b in zip(np.asarray(x, float), np.asarray(y, float))
               if np.isfinite(b)]
        dash = ' stroke-dasharray="5 3"' if label in dashed else ""
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{" ".join(pts)}"/>')
        ly = top + 14 + 14 * i
        parts.append(f'<line x1="{left + pw - 150}" x2="{left + pw - 130}" y1="{ly - 4}" y2="{ly - 4}" '
                     f'stroke="{colour}" stroke-width="2"{dash}/>')
        parts.append(f'<text x="{left + pw - 126}" y="{ly}" font-size="10">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _nice(v: float) -> float:
    if not np.isfinite(v) or v <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(v))
    for step in (1, 2, 2.5, 5, 10):
        if v <= step * mag:
            return step * mag
    return 10 * mag


# ====================================================================================== rendering
@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("api", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = _num
    return env


def _num(value: object, digits: int = 2) -> str:
    """Format a number for a table cell; empty for NaN/None."""
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "✓" if value else ""
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    return "" if not np.isfinite(v) else f"{v:.{digits}f}"


def _charts(report: QAReport, text: dict[str, str]) -> dict[str, dict[str, Markup]]:
    out = {}
    for scale in report.scales:
        if scale.irt is None:
            continue
        th = scale.irt.theta
        info_s, info_c = scale.irt.info_shipped, scale.irt.info_calibrated
        with np.errstate(divide="ignore"):
            se_s, se_c = 1.0 / np.sqrt(info_s), 1.0 / np.sqrt(info_c)
        out[scale.scale] = {
            "info": svg_line_chart([(text["shipped"], th, info_s, "#888"), (text["calibrated"], th, info_c, "#1f5fa8")],
                                   x_label=text["theta"], y_label=text["information"], dashed=[text["shipped"]]),
            "se": svg_line_chart([(text["shipped"], th, se_s, "#888"), (text["calibrated"], th, se_c, "#b4451f")],
                                 x_label=text["theta"], y_label=text["se_theta"], y_max=1.5,
                                 dashed=[text["shipped"]]),
        }
    return out


def _loading_colour(v: float) -> str:
    """Background for a loading cell: blue for positive, red for negative, stronger with |v|."""
    if not np.isfinite(v):
        return ""
    a = min(abs(v), 1.0) * 0.55
    rgb = "31,95,168" if v >= 0 else "180,69,31"
    return f"background: rgba({rgb},{a:.2f})"


def render_report(report: QAReport, lang: str = "zh-CN", generated: datetime | None = None) -> str:
    """The QA report as a self-contained HTML document in ``lang`` ("zh-CN" or "en")."""
    if lang not in LANGS:
        raise ValueError(f"lang={lang!r}: use one of {list(LANGS)}.")
    text = LABELS[lang]
    when = (generated or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    dif_rows = {d.variable: d.table[d.table["ets_class"].isin(["B", "C"])] for d in report.dif}
    return _environment().get_template("psychometrics_qa.html").render(
        r=report, lang=lang, t=text, kinds=_pairs(text["kinds"]), reasons=_pairs(text["reasons"]),
        charts=_charts(report, text), generated=when, dif_rows=dif_rows, colour=_loading_colour,
        counts={"high": sum(v.severity == "high" for v in report.revisions),
                "medium": sum(v.severity == "medium" for v in report.revisions)})


def write_report(instrument: Instrument, data: pd.DataFrame, out: Path, *, lang: str = "zh-CN",
                 age_bands: Sequence[AgeBand] | None = None, calibrate_irt: bool = True) -> QAReport:
    """Compute the QA report for ``instrument`` on ``data`` and write it to ``out`` (UTF-8 HTML).

    Raises ``QADataError`` (a ValueError) for data that cannot be analysed.
    """
    report = quality_report(instrument, data, age_bands=age_bands, calibrate_irt=calibrate_irt)
    html = render_report(report, lang)
    out.write_text(html, encoding="utf-8")
    return report
