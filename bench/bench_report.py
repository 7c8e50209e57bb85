"""Time to render one assessment report in each format (issue 8 goal: under 1 s each).

The report of the sample person on the full battery (``assessment.report.sample``), with the real
matcher's occupation ranking (both computed once, outside the timing), is built (``build_report``)
and rendered as JSON, HTML and PDF in the
three variants that differ most in size: zh-CN client, zh-CN counsellor, en counsellor. Timed per
render: build + render, in a process that has already rendered once (as the API server is).

Baseline, measured in the same run: a *cold* PDF, i.e. the same render plus registering (parsing)
the two shipped CJK fonts, which is what the first report of a fresh process (or a one-shot
``pathfit report``) pays. The ratio cold / warm shows what the per-process font cache saves.

Run: .venv/bin/python bench/bench_report.py [--repeats 20]
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from api.reports import pdf as pdf_module  # noqa: E402
from api.reports.html import render_html  # noqa: E402
from api.reports.sample import sample_report  # noqa: E402
from api.services.reports import render  # noqa: E402
from record import Row, write_record  # noqa: E402

GOAL_SECONDS = 1.0
VARIANTS = (("zh-CN", "client"), ("zh-CN", "counsellor"), ("en", "counsellor"))


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def cold_pdf(lang: str, audience: str) -> float:
    """Build and render with the font registration cache emptied first."""
    from reportlab.pdfbase import pdfmetrics

    pdf_module.register_fonts.cache_clear()
    for name in (pdf_module.FONT, pdf_module.FONT_BOLD):
        pdfmetrics._fonts.pop(name, None)
    start = time.perf_counter()
    pdf_module.render_pdf(sample_report(lang, audience))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    load_at_start = os.getloadavg()
    render(sample_report(), "pdf")  # warm-up: registry, occupation table, fonts
    render_html(sample_report())
    print(f"{'variant':24} {'format':6} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'bytes':>9}  goal < {GOAL_SECONDS:.0f} s")
    worst = 0.0
    medians: dict[str, list[float]] = {"json": [], "html": [], "pdf": []}
    samples: dict[str, list[float]] = {}
    for lang, audience in VARIANTS:
        for fmt in ("json", "html", "pdf"):
            sizes = []

            def one(fmt=fmt, lang=lang, audience=audience, sizes=sizes):
                sizes.append(len(render(sample_report(lang, audience), fmt).body))

            times = sorted(timed(one, args.repeats))
            medians[fmt].append(statistics.median(times))
            samples[f"{lang} {audience} {fmt}"] = times
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            worst = max(worst, times[-1])
            print(f"{lang + ' ' + audience:24} {fmt:6} {1000 * statistics.median(times):10.1f} {1000 * p95:8.1f} "
                  f"{1000 * times[-1]:8.1f} {sizes[-1]:9,d}")
    warm = statistics.median(timed(lambda: render(sample_report("zh-CN", "counsellor"), "pdf"), args.repeats))
    cold = statistics.median(cold_pdf("zh-CN", "counsellor") for _ in range(max(3, args.repeats // 4)))
    print(f"\nbaseline: cold PDF (fonts parsed per render) zh-CN counsellor median {1000 * cold:.1f} ms; "
          f"warm {1000 * warm:.1f} ms; cold/warm = {cold / warm:.2f}x")
    print(f"slowest single render {1000 * worst:.1f} ms = {worst / GOAL_SECONDS:.2f} of the 1 s goal: "
          f"{'met' if worst < GOAL_SECONDS else 'NOT met'}")
    figures = ", ".join(f"{fmt.upper()} median {1000 * min(m):.1f}–{1000 * max(m):.1f} ms" for fmt, m in medians.items())
    rows = [Row(f"`bench_report.py`: build + render one report ({len(VARIANTS)} variants × {args.repeats} runs)",
                f"{figures}; slowest {1000 * worst:.0f} ms",
                f"PDF with fonts parsed per render: median {1000 * cold:.1f} ms",
                f"{cold / warm:.2f}× (medians, zh-CN counsellor PDF)")]
    samples["cold_pdf_median"] = [cold]
    write_record("report", rows, samples, started_load=load_at_start)


if __name__ == "__main__":
    main()
