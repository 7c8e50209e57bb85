"""Write the committed sample report: ``python -m api.reports.sample docs``.

The sample person (``assessment.report.sample.SAMPLE_PERSON``: practical and orderly interests, good
spatial ability, names transport and skills as barriers) takes the full battery; the real matcher
(the Matcher, on population-referenced scores) ranks occupation families for them (no organisation, so no programmes); the client report in zh-CN is
written as ``sample-report.pdf`` and its first page as ``sample-report-page1.png`` (pdftoppm, 100 dpi).
"""
import shutil
import subprocess
import sys
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path

from api.reports.pdf import render_pdf
from api.services.matching import fitted_matcher, population_norms
from api.services.reports import occupation_names_en, report_context
from assessment.matching_profile import matching_scores
from assessment.report import build_report, direction_from_rankings
from assessment.report.sample import SAMPLE_PERSON, simulate_result
from instruments.registry import load_all, load_bands, load_batteries, load_composites, load_norm_groups
from models.profile import Profile
from models.report import ReportFacts

SCORED_AT = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)


@lru_cache(maxsize=1)
def sample_inputs():
    """The sample person's scored document, header facts and job-direction input (simulated once)."""
    document = simulate_result(load_batteries()["full"], load_all(), load_composites(), load_norm_groups(),
                               load_bands(), person=SAMPLE_PERSON, scored_at=SCORED_AT)
    # As the report service does: population-referenced scores, the Matcher's family entries.
    profile = Profile(education=SAMPLE_PERSON.education, **matching_scores(document, population_norms()))
    direction = direction_from_rankings(fitted_matcher(None, None, None).rank(profile, "occupations", 5), None,
                                        names_en=occupation_names_en())
    facts = ReportFacts(result_id="r_sample", person_ref="DEMO-002", centre="演示就业服务中心 (pathfit demo)",
                        counsellor="职业指导师 A", report_date=date(2026, 3, 3))
    return document, facts, direction


def sample_report(lang: str = "zh-CN", audience: str = "client"):
    """The sample report in ``lang`` for ``audience`` (built afresh each call; inputs cached)."""
    document, facts, direction = sample_inputs()
    return build_report(document, facts, direction, report_context(), lang=lang, audience=audience,
                        generated_at=SCORED_AT)


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / "sample-report.pdf"
    pdf.write_bytes(render_pdf(sample_report()))
    print(f"{pdf} ({pdf.stat().st_size:,} bytes)")
    if shutil.which("pdftoppm"):
        stem = out_dir / "sample-report-page1"
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                       check=True)
        print(f"{stem}.png")
    else:
        print("pdftoppm not found: page-1 PNG not written", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
