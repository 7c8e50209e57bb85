"""``pathfit psychometrics``: the psychometric toolkit on a data file (CSV, Parquet or XLSX).

All file I/O for ``assessment.psychometrics`` lives here: read the table, call the core, print a rich table
and optionally write the result as CSV. Bad input ends with ``error: …`` naming the column and the fix,
exit status 2. ``calibrate`` fits IRT models (MML-EM), ``simulate`` draws response data for a shipped
instrument, ``report`` writes the HTML QA report of one instrument (``api.services.psychometrics_report``).
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from assessment.psychometrics._frame import numeric_frame
from assessment.psychometrics.calibration.em import MODELS, CalibrationConvergenceWarning, calibrate
from assessment.psychometrics.calibration.rasch_metric import rasch_as_2pl
from assessment.psychometrics.cfa import cfa as fit_cfa
from assessment.psychometrics.dif import dif as run_dif
from assessment.psychometrics.efa import efa as run_efa
from assessment.psychometrics.item_analysis import item_analysis
from assessment.psychometrics.norming import build_norms
from assessment.psychometrics.reliability import alpha as cronbach_alpha
from assessment.psychometrics.reliability import omega as mcdonald_omega

app = typer.Typer(help="Psychometric toolkit: IRT calibration, reliability, factor analysis, item analysis, DIF, "
                       "norms, simulation and the QA report (心理测量工具：IRT 校准、信度、因素分析、项目分析、"
                       "项目功能差异、常模、模拟数据与质量报告).", no_args_is_help=True)
console = Console()

SUPPORTED = {".csv", ".txt", ".parquet", ".pq", ".xlsx", ".xlsm"}

DataArg = Annotated[Path, typer.Argument(help="Data file: CSV, Parquet or XLSX, one row per person "
                                              "(数据文件，每行一人).")]
ItemsOpt = Annotated[str | None, typer.Option("--items", help="Comma-separated item columns "
                                                               "(default: all numeric columns) 题目列.")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Write the result table to this CSV (输出 CSV).")]


def fail(message: str) -> None:
    """Print an error naming the field and the fix, and exit with status 2."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


def read_table(path: Path, min_rows: int = 2) -> pd.DataFrame:
    """Read a persons × variables table from CSV/Parquet/XLSX with clear errors for bad files and shapes."""
    if not path.exists():
        fail(f"{path}: file not found.")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        fail(f"{path}: unsupported file type {suffix!r}; use .csv, .parquet or .xlsx.")
    try:
        if suffix in (".csv", ".txt"):
            frame = pd.read_csv(path, encoding="utf-8-sig")
        elif suffix in (".parquet", ".pq"):
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_excel(path)
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        fail(f"{path}: could not be read as a table ({exc}); check the file format and encoding (UTF-8).")
    frame.columns = [str(c).strip() for c in frame.columns]
    if any(c.startswith("Unnamed:") for c in frame.columns):
        fail(f"{path}: a column has no header; give every column a name in the first row.")
    if frame.columns.duplicated().any():
        fail(f"{path}: duplicated column names {list(frame.columns[frame.columns.duplicated()])}.")
    if frame.shape[0] < min_rows:
        fail(f"{path}: {frame.shape[0]} data row(s); at least {min_rows} are needed.")
    return frame


def select_items(frame: pd.DataFrame, items: str | None, exclude: tuple[str, ...] = ()) -> pd.DataFrame:
    """The requested item columns (or all columns except ``exclude``)."""
    if items:
        names = [s.strip() for s in items.split(",") if s.strip()]
        unknown = [n for n in names if n not in frame.columns]
        if unknown:
            fail(f"--items: columns {unknown} are not in the data; available: {list(frame.columns)[:30]}.")
        return frame[names]
    return frame.drop(columns=[c for c in exclude if c in frame.columns])


def show(frame: pd.DataFrame, title: str, digits: int = 3, index: bool = True) -> None:
    """Print a DataFrame as a rich table."""
    table = Table(title=title)
    if index:
        table.add_column(str(frame.index.name or ""), style="bold")
    for col in frame.columns:
        table.add_column(str(col), justify="right")
    for idx, row in frame.iterrows():
        cells = []
        for v in row:
            if pd.api.types.is_float(v):
                cells.append("" if pd.isna(v) else f"{v:.{digits}f}")
            else:
                cells.append(str(v))
        table.add_row(*([str(idx)] if index else []), *cells)
    console.print(table)


def write(frame: pd.DataFrame, out: Path | None, index: bool = True) -> None:
    if out is not None:
        frame.to_csv(out, index=index, lineterminator="\n", float_format="%.6g", encoding="utf-8")
        console.print(f"written {out}")


def _run(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except ValueError as exc:
        fail(str(exc))


@app.callback()
def _group() -> None:
    """Psychometric toolkit (心理测量工具)."""


@app.command("alpha")
def alpha_cmd(data: DataArg, items: ItemsOpt = None,
              reverse: Annotated[str | None, typer.Option(help="Comma-separated reverse-keyed items (反向计分题).")] = None,
              scale_min: Annotated[float | None, typer.Option("--min", help="Lowest category, for reversal.")] = None,
              scale_max: Annotated[float | None, typer.Option("--max", help="Highest category, for reversal.")] = None,
              out: OutOpt = None) -> None:
    """Cronbach's alpha, omega total and item statistics of one scale (量表信度)."""
    frame = select_items(read_table(path=data, min_rows=3), items)
    if reverse:
        if scale_min is None or scale_max is None:
            fail("--reverse needs --min and --max (the response range) to reverse-key items as max + min − x.")
        rev = [s.strip() for s in reverse.split(",")]
        unknown = [r for r in rev if r not in frame.columns]
        if unknown:
            fail(f"--reverse: items {unknown} are not among the analysed columns.")
        frame = _run(numeric_frame, frame, what=str(data), min_rows=3, reject_constant=False)
        frame[rev] = scale_max + scale_min - frame[rev]
    a = _run(cronbach_alpha, frame)
    w = _run(mcdonald_omega, frame) if frame.shape[1] >= 3 else float("nan")
    ia = _run(item_analysis, frame)
    console.print(f"alpha (raw, pairwise) = {a:.4f}   omega total = {w:.4f}   items = {frame.shape[1]}   "
                  f"n = {frame.shape[0]}")
    show(ia.items, "Item statistics 项目统计")
    write(ia.items, out)


@app.command("items")
def items_cmd(data: DataArg, items: ItemsOpt = None,
              key: Annotated[Path | None, typer.Option(help="CSV with columns item,key for multiple-choice "
                                                            "options (答案表).")] = None,
              out: OutOpt = None) -> None:
    """Item analysis: difficulty, item–total/item–rest r, alpha if deleted, distractors (项目分析)."""
    frame = select_items(read_table(data, min_rows=3), items)
    key_map = None
    if key is not None:
        k = read_table(key, min_rows=1)
        if not {"item", "key"} <= set(k.columns):
            fail(f"{key}: needs columns 'item' and 'key', found {list(k.columns)}.")
        key_map = dict(zip(k["item"].astype(str), k["key"]))
    ia = _run(item_analysis, frame, key_map)
    console.print(f"alpha = {ia.alpha:.4f}")
    show(ia.items, "Item statistics 项目统计")
    if ia.options is not None:
        show(ia.options.set_index(["item", "option"]), "Option analysis 选项分析")
        flagged = ia.flagged_distractors
        if len(flagged):
            console.print(f"[yellow]{len(flagged)} distractor(s) attract high scorers "
                          f"(干扰项吸引高分者): {', '.join(flagged['item'] + ':' + flagged['option'])}[/yellow]")
    write(ia.items if ia.options is None else ia.items.join(
        ia.options.groupby("item")["attracts_high_scorers"].any().rename("distractor_flag")), out)


@app.command("efa")
def efa_cmd(data: DataArg, factors: Annotated[int, typer.Option("--factors", "-k", help="Number of factors.")],
            method: Annotated[str, typer.Option(help="minres or ml")] = "minres",
            rotation: Annotated[str, typer.Option(help="oblimin, promax, varimax or none")] = "oblimin",
            items: ItemsOpt = None, out: OutOpt = None) -> None:
    """Exploratory factor analysis as psych::fa (探索性因素分析)."""
    frame = select_items(read_table(data, min_rows=3), items)
    res = _run(run_efa, frame, factors, method, rotation)
    show(res.loadings.assign(h2=res.communalities, u2=res.uniquenesses), f"Loadings ({method}, {rotation}) 因素载荷")
    if rotation in ("oblimin", "promax"):
        show(res.factor_corr, "Factor correlations 因素相关")
    console.print(f"RMSR = {res.rmsr:.4f}  chi2 = {res.chi2:.2f}  df = {res.dof:g}  p = {res.pvalue:.3g}  "
                  f"TLI = {res.tli:.3f}  RMSEA = {res.rmsea:.4f}  BIC = {res.bic:.2f}  n = {res.n_obs}")
    write(res.loadings.assign(h2=res.communalities, u2=res.uniquenesses), out)


def parse_model(spec: str) -> dict[str, list[str]]:
    """A CFA model from ``"f1=x1+x2+x3; f2=x4,x5,x6"`` or from a JSON file {factor: [items]}."""
    path = Path(spec)
    if path.suffix.lower() == ".json":
        if not path.exists():
            fail(f"--model {spec}: file not found.")
        try:
            model = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            fail(f"--model {spec}: not valid JSON ({exc}).")
        if not isinstance(model, dict) or not all(isinstance(v, list) for v in model.values()):
            fail(f"--model {spec}: expected an object mapping each factor to a list of items.")
        return {str(k): [str(i) for i in v] for k, v in model.items()}
    model: dict[str, list[str]] = {}
    for part in spec.replace("=~", "=").split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            fail(f"--model: {part.strip()!r} should look like 'factor=item1+item2+item3'.")
        name, rhs = part.split("=", 1)
        model[name.strip()] = [s.strip() for s in rhs.replace(",", "+").split("+") if s.strip()]
    if not model:
        fail("--model: empty; write e.g. 'visual=x1+x2+x3; textual=x4+x5+x6'.")
    return model


@app.command("cfa")
def cfa_cmd(data: DataArg,
            model: Annotated[str, typer.Option(help="'f1=x1+x2+x3; f2=x4+x5+x6' or a JSON file.")],
            out: OutOpt = None) -> None:
    """Confirmatory factor analysis by ML with lavaan's conventions (验证性因素分析)."""
    frame = read_table(data, min_rows=3)
    res = _run(fit_cfa, frame, parse_model(model))
    fit = pd.DataFrame({"value": [res.chi2, res.dof, res.pvalue, res.cfi, res.tli, res.rmsea, res.srmr,
                                  res.loglik, res.aic, res.bic, res.n_obs]},
                       index=pd.Index(["chi2", "df", "p", "CFI", "TLI", "RMSEA", "SRMR", "logLik", "AIC", "BIC",
                                       "n"], name="fit 拟合"))
    show(fit, "Model fit 模型拟合", digits=4)
    show(res.loadings, "Loadings 载荷 (est = unstandardised, std_all = standardised)", index=False)
    show(res.factor_corr, "Factor correlations 因素相关")
    write(res.loadings, out, index=False)


@app.command("dif")
def dif_cmd(data: DataArg, group: Annotated[str, typer.Option(help="Group column (分组列), two values.")],
            method: Annotated[str, typer.Option(help="mh or logistic")] = "mh",
            focal: Annotated[str | None, typer.Option(help="Label of the focal group.")] = None,
            items: ItemsOpt = None, out: OutOpt = None) -> None:
    """Differential item functioning: Mantel–Haenszel / logistic regression (项目功能差异)."""
    frame = read_table(data, min_rows=10)
    if group not in frame.columns:
        fail(f"--group: column {group!r} not found; available: {list(frame.columns)[:30]}.")
    labels = frame[group]
    if focal is not None and pd.api.types.is_numeric_dtype(labels):
        try:
            focal_value: object = type(labels.dropna().iloc[0].item())(focal)
        except (ValueError, IndexError):
            fail(f"--focal {focal!r} is not one of the group values.")
    else:
        focal_value = focal
    res = _run(run_dif, select_items(frame, items, exclude=(group,)), labels, method, focal=focal_value)
    show(res, f"DIF ({method})")
    write(res, out)


@app.command("norms")
def norms_cmd(data: DataArg,
              scores: Annotated[str, typer.Option(help="Comma-separated score columns (分数列).")],
              groups: Annotated[str | None, typer.Option(help="Comma-separated group columns, most important "
                                                              "first (常模分组).")] = None,
              min_group_size: Annotated[int, typer.Option(help="Smallest group with its own norms.")] = 100,
              smoothing: Annotated[str, typer.Option(help="auto, loglinear, kernel or none")] = "auto",
              refuse_small: Annotated[bool, typer.Option(help="Refuse (instead of merge) small groups.")] = False,
              out: OutOpt = None) -> None:
    """Build a versioned norm table from local data (建立本地常模)."""
    frame = read_table(data, min_rows=10)
    score_cols = select_items(frame, scores)
    group_cols = select_items(frame, groups) if groups else None
    table = _run(build_norms, score_cols, group_cols, min_group_size=min_group_size, smoothing=smoothing,
                 small_groups="refuse" if refuse_small else "merge")
    keys = table.group_keys
    summary = table.frame.groupby(["scale", *keys], sort=False).agg(
        n=("n", "first"), mean=("mean", "first"), sd=("sd", "first"), rows=("score", "size")).reset_index()
    show(summary, f"Norm table {table.version} 常模表", index=False)
    write(table.frame, out, index=False)


# ------------------------------------------------------------------------------------------- calibrate
def parameter_table(cal) -> pd.DataFrame:
    """The calibration as one CSV-ready table that the CAT simulator and the instrument data can read.

    Columns: ``item`` (index; ``pathfit cat simulate --bank`` reads item, a, b, c), ``item_id``,
    ``model`` (2PL/3PL/GRM), ``a``, ``b`` (or ``b1…bk``), ``c`` (3PL), ``thresholds`` ("b1;b2;…", GRM),
    ``provisional`` (false: estimated from responses) — the columns of an instrument's
    ``parameters.csv`` — then ``se_*`` and the S-X² item fit. Difficulties are in logits with θ ~ N(0, 1) in
    the calibration sample. Rasch estimates are written on that metric too, as equal-slope 2PL items
    (``assessment.psychometrics.calibration.rasch_metric.rasch_as_2pl``: a = latent SD, b = b_Rasch / latent SD),
    so EAP with the standard N(0, 1) prior scores them correctly.
    """
    items, se = cal.items.copy(), cal.se.copy()
    model = {"rasch": "2PL", "2pl": "2PL", "3pl": "3PL", "grm": "GRM"}[cal.model]
    if cal.model == "rasch":
        items, se = rasch_as_2pl(items, se, cal.latent_sd, cal.latent_sd_se)
    table = pd.DataFrame({"item_id": items.index, "model": model}, index=items.index)
    table = table.join(items)
    bcols = [c for c in items.columns if c.startswith("b") and c[1:].isdigit()]
    if bcols:
        table["thresholds"] = [";".join(f"{v:.6g}" for v in row if math.isfinite(v))
                               for row in items[bcols].to_numpy()]
    table["provisional"] = "false"
    for col in se.columns:
        table[f"se_{col}"] = se[col]
    if cal.item_fit is not None:
        table = table.join(cal.item_fit.rename(columns={"df": "S_X2_df", "RMSEA": "S_X2_RMSEA", "p": "S_X2_p"}))
    table.index.name = "item"
    return table


@app.command("calibrate")
def calibrate_cmd(
        data: DataArg,
        model: Annotated[str, typer.Option(help="rasch, 2pl, 3pl or grm (IRT 模型).")] = "2pl",
        items: ItemsOpt = None,
        exclude: Annotated[str | None, typer.Option(help="Comma-separated non-item columns to ignore "
                                                         "(e.g. person_id,gender) 非题目列.")] = None,
        no_fit: Annotated[bool, typer.Option("--no-fit", help="Skip S-X² and M2 (faster).")] = False,
        no_se: Annotated[bool, typer.Option("--no-se", help="Skip standard errors.")] = False,
        tol: Annotated[float, typer.Option(help="EM stops when no parameter changes by more than this.")] = 1e-4,
        instrument: Annotated[str | None, typer.Option(
            "--instrument", help="Score raw answers with this instrument's keys and reverse keying first "
                                 "(option ids → 0/1; Likert reversed) 按测评工具计分.")] = None,
        out: Annotated[Path | None, typer.Option("--out", help="Write item parameters (with SEs and fit) to this "
                                                               "CSV (参数输出文件).")] = None) -> None:
    """IRT calibration by MML-EM (Bock & Aitkin), as R mirt: parameters with SEs, S-X², M2 (项目参数校准).

    0/1 data for rasch/2pl/3pl; ordered categories (e.g. Likert 1–5) for grm. Empty cells = not
    administered. Columns named person_id, gender, age or age_band are ignored. With --instrument the file
    holds raw answers (option ids, Likert as answered) and is scored with the instrument's keys first.
    """
    if model.lower() not in MODELS:
        fail(f"--model {model!r}: use one of {', '.join(MODELS)}.")
    frame = read_table(data, min_rows=10)
    skip = ("person_id", "gender", "age", "age_band") + tuple(
        c.strip() for c in (exclude or "").split(",") if c.strip())
    if instrument is not None:
        from assessment.psychometrics.qa import prepare_responses
        from instruments.registry import load_all

        registry = load_all()
        if instrument not in registry:
            fail(f"--instrument {instrument!r}: unknown; available: {', '.join(sorted(registry))}.")
        frame = _run(prepare_responses, registry[instrument], frame.drop(
            columns=[c for c in skip if c in frame.columns and c not in ("gender", "age", "age_band",
                                                                          "person_id")]),
            min_rows=10).scored
    frame = select_items(frame, items, exclude=skip)
    frame = _run(numeric_frame, frame, what=str(data), min_rows=10, min_columns=2)
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CalibrationConvergenceWarning)
        cal = _run(calibrate, frame, model.lower(), tol=tol, item_fit=not no_fit, standard_errors=not no_se)
    for w in caught:
        console.print(f"[yellow]warning: {w.message}[/yellow]")
    console.print(f"{cal.model.upper()} · MML-EM · {cal.n_persons} persons × {len(cal.items)} items · "
                  f"{'converged' if cal.converged else 'NOT converged'} after {cal.n_iter} EM cycles "
                  f"(收敛{'' if cal.converged else '失败'})")
    console.print(f"log-likelihood 对数似然 = {cal.loglik:.3f}   AIC = {cal.aic:.2f}   BIC = {cal.bic:.2f}"
                  + (f"   priors: {cal.prior}" if cal.prior != "none" else ""))
    if cal.model == "rasch":
        console.print(f"latent SD 潜在特质标准差 = {cal.latent_sd:.4f} (SE {cal.latent_sd_se:.4f})")
    if cal.m2 is not None:
        m = cal.m2
        console.print(f"M2({m['df']:.0f}) = {m['M2']:.3f}, p = {m['p']:.4f}, RMSEA = {m['RMSEA']:.4f}")
    table = parameter_table(cal)
    pars = [c for c in cal.items.columns]
    shown = table[[c for p_ in pars for c in (p_, f"se_{p_}")]]
    show(shown, f"Item parameters 项目参数 ({table['model'].iloc[0]}, θ in logits; se_ = standard error 标准误)",
         digits=3)
    if cal.item_fit is not None:
        show(cal.item_fit, "Item fit S-X² 项目拟合 (Orlando & Thissen)", digits=3)
    write(table, out)


# ------------------------------------------------------------------------------------------- simulate
@app.command("simulate")
def simulate_cmd(
        instrument: Annotated[str, typer.Option("--instrument", help="Instrument id, e.g. traits-big5 (测评工具).")],
        n: Annotated[int, typer.Option("--n", help="Persons to simulate (模拟人数).")] = 2000,
        seed: Annotated[int, typer.Option(help="Random seed (随机种子).")] = 1,
        group_effect: Annotated[float, typer.Option(help="Mean θ of gender F minus M, logits (impact).")] = 0.0,
        dif: Annotated[str | None, typer.Option(help="Injected DIF for gender F, 'ITEM=logits,…' "
                                                     "(> 0 harder for F) 注入的 DIF.")] = None,
        missing: Annotated[float, typer.Option(help="Share of answers omitted at random (缺答比例).")] = 0.0,
        out: Annotated[Path, typer.Option("--out", help="Output CSV (输出文件).")] = Path("simulated.csv")) -> None:
    """Simulate responses to a shipped instrument, with gender and age band (生成模拟作答数据)."""
    from assessment.psychometrics.simulate import simulate
    from instruments.registry import load_all, load_norm_groups

    registry = load_all()
    if instrument not in registry:
        fail(f"--instrument {instrument!r}: unknown; available: {', '.join(sorted(registry))}.")
    shifts: dict[str, float] = {}
    for part in (dif or "").split(","):
        if not part.strip():
            continue
        name, _, value = part.partition("=")
        try:
            shifts[name.strip()] = float(value)
        except ValueError:
            fail(f"--dif {part.strip()!r}: write ITEM=logits, e.g. N001=1.0.")
    sim = _run(simulate, registry[instrument], n, seed, age_bands=load_norm_groups().age_bands,
               group_effect=group_effect, dif=shifts, missing=missing)
    sim.responses.to_csv(out, index=False, lineterminator="\n", encoding="utf-8")
    console.print(f"written {out}: {sim.responses.shape[0]} persons × "
                  f"{sim.responses.shape[1] - 4} items of {instrument} (已写出)")


# ------------------------------------------------------------------------------------------- report
@app.command("report")
def report_cmd(
        instrument: Annotated[str, typer.Option("--instrument", help="Instrument id (测评工具).")],
        data: Annotated[Path, typer.Option("--data", help="Responses: CSV, Parquet or XLSX, one row per person, "
                                                          "columns = item ids (+ gender, age, age_band) 作答数据.")],
        out: Annotated[Path, typer.Option("--out", help="HTML file to write (报告文件).")] = Path("report.html"),
        lang: Annotated[str, typer.Option(help="zh-CN or en (报告语言).")] = "zh-CN",
        no_irt: Annotated[bool, typer.Option("--no-irt", help="Skip the IRT calibration (faster).")] = False) -> None:
    """HTML quality-assurance report of one instrument on local data (测评质量报告)."""
    from api.services.psychometrics_report import LANGS, write_report
    from instruments.registry import load_all, load_norm_groups

    if lang not in LANGS:
        fail(f"--lang {lang!r}: use zh-CN or en.")
    registry = load_all()
    if instrument not in registry:
        fail(f"--instrument {instrument!r}: unknown; available: {', '.join(sorted(registry))}.")
    frame = read_table(data, min_rows=1)
    report = _run(write_report, registry[instrument], frame, out, lang=lang,
                  age_bands=load_norm_groups().age_bands, calibrate_irt=not no_irt)
    high = sum(r.severity == "high" for r in report.revisions)
    console.print(f"written {out}: {len(report.scales)} scale(s), {report.n_persons} persons; "
                  f"{len(report.revisions)} item(s) to revise ({high} high) 需修订题目")
