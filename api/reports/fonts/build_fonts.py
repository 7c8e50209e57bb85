"""Rebuild the CJK fonts the PDF renderer embeds (run by hand; not imported at run time).

The PDF must show Chinese without relying on any font installed on the machine, so the package
ships its own: static Regular (400) and Bold (700) instances of **Noto Sans SC** (SIL Open Font
License 1.1, see ``OFL.txt`` beside this file), cut from Google's variable font
``NotoSansSC[wght].ttf`` and subset to the characters a report can contain:

- ASCII, Latin-1, general punctuation, arrows, maths symbols, Greek (θ, α, ω), box shapes;
- CJK symbols and punctuation, full-width forms;
- all 6,763 hanzi of GB 2312 (which covers about 99.99 % of modern running text);
- every other character found in the project's texts: instrument YAML, the CSCO 2022 occupation
  names and the report builder's own phrases.

Why a subset: the full variable font is 17.7 MB and must be instanced (variable TrueType cannot be
embedded by ReportLab); two static subsets are ~4 MB together and parse in milliseconds. A
character outside the subset (a rare hanzi in a person's name) is drawn as a blank box in the PDF
only; the JSON and HTML formats carry the text unchanged.

Usage::

    pip download --no-deps justmytype-intl-cjk==0.1.0 -d /tmp/f && unzip /tmp/f/*.whl -d /tmp/f
    python -m api.reports.fonts.build_fonts "/tmp/f/justmytype_intl_cjk/fonts/ofl/notosanssc/NotoSansSC[wght].ttf"
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
WEIGHTS = {"NotoSansSC-Regular.ttf": 400, "NotoSansSC-Bold.ttf": 700}
RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x370, 0x3FF), (0x2000, 0x206F), (0x2100, 0x214F), (0x2190, 0x21FF),
          (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x25FF), (0x2600, 0x26FF), (0x3000, 0x303F),
          (0xFF00, 0xFFEF)]
TEXT_SOURCES = ["instruments/**/*.yaml", "matching/data/csco22_occupations.csv", "assessment/report/*.py",
                "api/reports/templates/*", "api/reports/*.py", "matching/reasons.py", "assessment/profiles.py"]


def gb2312_hanzi() -> set[str]:
    """The hanzi of GB 2312 (rows 16–87), decoded from their two-byte codes."""
    chars = set()
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def project_characters() -> set[str]:
    chars: set[str] = set()
    for pattern in TEXT_SOURCES:
        for path in REPO.glob(pattern):
            chars |= set(path.read_text(encoding="utf-8", errors="ignore"))
    return {c for c in chars if ord(c) >= 0x20}


def wanted_codepoints() -> set[int]:
    points = {cp for lo, hi in RANGES for cp in range(lo, hi + 1)}
    points |= {ord(c) for c in gb2312_hanzi() | project_characters()}
    return points


def build(variable_font: Path, out_dir: Path = HERE) -> None:
    codepoints = wanted_codepoints()
    for name, weight in WEIGHTS.items():
        font = instancer.instantiateVariableFont(TTFont(variable_font), {"wght": weight})
        options = subset.Options()
        options.layout_features = ["kern", "liga", "vert", "vrt2", "locl"]
        options.name_IDs = ["*"]  # keep the copyright and licence records
        options.notdef_outline = True
        options.hinting = False  # hinting is useless in PDF and doubles the size
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        font.save(out_dir / name)
        print(f"{name}: {len(font.getGlyphOrder())} glyphs, {(out_dir / name).stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build(Path(sys.argv[1]))
