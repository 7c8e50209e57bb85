"""Rebuild the CJK fonts the PDF renderer embeds (run by hand; not imported at run time).

The PDF must show every character a Chinese name can contain without relying on any font installed
on the machine, so the package ships its own: static Regular (400) and Bold (700) instances of
**Noto Sans CJK SC** (SIL Open Font License 1.1, see ``OFL.txt`` beside this file), cut from the
variable OpenType collection ``NotoSansCJK-VF.otf.ttc`` that the PyPI package ``manimgx-fonts-cjk``
ships, and kept to the characters a report can contain:

- ASCII, Latin-1, general punctuation, arrows, maths symbols, Greek (θ, α, ω), box shapes;
- CJK symbols and punctuation, full-width forms;
- every hanzi of GB 18030's CJK Unified Ideographs: the basic block U+4E00–U+9FA5 (20,902) and
  Extension A U+3400–U+4DB5 (6,582), plus the later basic-block additions up to U+9FFF the font has;
- every ideograph the font has in Extensions B–G (the characters of the 通用规范汉字表 outside the
  BMP, e.g. 𫖮, and name characters such as 𠮷);
- every other character found in the project's texts (instrument YAML, the occupation names, the
  report builder's own phrases).

ReportLab embeds static TrueType outlines only, so the variable CFF2 outlines are drawn at each
weight and converted to quadratic TrueType curves (fontTools ``cu2qu``, error ≤ 1 unit of 1000). ReportLab then embeds, in each PDF,
only the glyphs that document uses, so a report stays around 100–200 kB.

Usage::

    pip download --no-deps manimgx-fonts-cjk==2026.9.26.post1 -d /tmp/f && unzip /tmp/f/*.whl -d /tmp/f
    python -m api.reports.fonts.build_fonts /tmp/f/manimgx_fonts_cjk/NotoSansCJK-VF.otf.ttc
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
WEIGHTS = {"NotoSansCJKsc-Regular.ttf": 400, "NotoSansCJKsc-Bold.ttf": 700}
SC_FACE = "Noto Sans CJK SC"
RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x370, 0x3FF), (0x2000, 0x206F), (0x2100, 0x214F), (0x2190, 0x21FF),
          (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x25FF), (0x2600, 0x26FF), (0x3000, 0x303F),
          (0xFF00, 0xFFEF),
          (0x3400, 0x4DBF), (0x4E00, 0x9FFF),  # Extension A, the basic block (GB 18030 and later additions)
          (0x20000, 0x3134F)]  # Extensions B–G: whatever the font has (通用规范汉字表, name characters)
TEXT_SOURCES = ["instruments/**/*.yaml", "matching/data/csco22_occupations.csv", "assessment/report/*.py",
                "api/reports/templates/*", "api/reports/*.py", "matching/reasons.py", "assessment/profiles.py"]
DROP = ["GSUB", "GPOS", "VORG", "vhea", "vmtx", "BASE", "DSIG"]  # not used by ReportLab; vertical metrics
VARIATION_TABLES = ["fvar", "avar", "STAT", "HVAR", "MVAR", "VVAR"]


def project_characters() -> set[str]:
    chars: set[str] = set()
    for pattern in TEXT_SOURCES:
        for path in REPO.glob(pattern):
            chars |= set(path.read_text(encoding="utf-8", errors="ignore"))
    return {c for c in chars if ord(c) >= 0x20}


def wanted_codepoints() -> set[int]:
    points = {cp for lo, hi in RANGES for cp in range(lo, hi + 1)}
    return points | {ord(c) for c in project_characters()}


def sc_face(collection: Path) -> TTFont:
    """The Simplified Chinese face of the collection (its glyph forms follow the mainland standard)."""
    for font in TTCollection(str(collection)).fonts:
        if SC_FACE in (font["name"].getDebugName(1), font["name"].getDebugName(4), font["name"].getDebugName(16)):
            return font
    raise SystemExit(f"{collection}: no {SC_FACE} face")


def to_truetype(font: TTFont, weight: int) -> None:
    """Replace the variable CFF2 outlines by quadratic TrueType glyphs drawn at ``weight``, in place,
    and drop the variation tables (the result is a static font)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet(location={"wght": weight})
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    for table in ("CFF ", "CFF2", *VARIATION_TABLES):
        if table in font:
            del font[table]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():  # widths at this weight; TrueType side bearings are the xMin
        hmtx[name] = (round(glyph_set[name].width), getattr(glyph, "xMin", 0))
    font["OS/2"].usWeightClass = weight
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 3.0, [], {}  # no glyph names: CID fonts have none
    font.sfntVersion = "\000\001\000\000"


def build(collection: Path, out_dir: Path = HERE) -> None:
    codepoints = wanted_codepoints()
    for name, weight in WEIGHTS.items():
        font = sc_face(collection)
        options = subset.Options()
        options.layout_features = []
        options.name_IDs = ["*"]  # keep the copyright and licence records
        options.notdef_outline = True
        options.hinting = False  # hinting is useless in PDF
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        for table in DROP:
            if table in font:
                del font[table]
        to_truetype(font, weight)
        font.save(out_dir / name)
        font = TTFont(out_dir / name)
        cmap = font.getBestCmap()
        print(f"{name}: {len(font.getGlyphOrder())} glyphs, {len(cmap)} characters, "
              f"{(out_dir / name).stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build(Path(sys.argv[1]))
