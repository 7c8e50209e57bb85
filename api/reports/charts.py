"""The report's charts, drawn once as a small vector scene and output as SVG (HTML) or ReportLab
drawings (PDF), so both formats show exactly the same picture.

Charts:

- ``score_bars``: one row per scale against the five T-score bands (very low < 35 ≤ low < 45 ≤
  average < 55 ≤ high < 65 ≤ very high); the dot is the score and the line its 95 % interval. The
  counsellor version prints the T axis and each T; the client version prints band names only.
- ``riasec_hexagon``: Holland's hexagon R–I–A–S–E–C (Holland 1997) with the six scale means (1–5) as
  a polygon; the three letters of the code are bold.

Coordinates are SVG's (origin top left, y down); ``to_drawing`` flips them for ReportLab.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from models.report import ScoreLine

T_MIN, T_MAX = 20.0, 80.0
BANDS = (("very_low", 20, 35, "#fbe3d6"), ("low", 35, 45, "#fdf0e0"), ("average", 45, 55, "#f4f4f4"),
         ("high", 55, 65, "#e3f0e6"), ("very_high", 65, 80, "#cfe6d6"))
INK, MUTED, ACCENT, GRID = "#222222", "#666666", "#1f5f8b", "#bbbbbb"
FONT_SIZE = 9.0


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None = None


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = INK
    width: float = 1.0


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str
    stroke: str | None = None


@dataclass(frozen=True)
class Polygon:
    points: tuple[tuple[float, float], ...]
    fill: str | None
    stroke: str
    opacity: float = 1.0
    width: float = 1.0


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    size: float = FONT_SIZE
    anchor: str = "start"  # start | middle | end
    bold: bool = False
    fill: str = INK


Shape = Rect | Line | Circle | Polygon | Text


@dataclass(frozen=True)
class Scene:
    width: float
    height: float
    shapes: tuple[Shape, ...]
    title: str = ""


# --------------------------------------------------------------------------------------------- charts
def _x(t: float, left: float, width: float) -> float:
    return left + (min(max(t, T_MIN), T_MAX) - T_MIN) / (T_MAX - T_MIN) * width


def score_bars(lines: list[ScoreLine], labels: dict[str, str], *, counsellor: bool, title: str = "",
               withheld_text: str = "—") -> Scene:
    """Scales against the norm bands, one row each (see the module docstring)."""
    row, top, label_w, right_w, width = 22.0, 30.0, 118.0, 64.0, 500.0
    plot_w = width - label_w - right_w
    height = top + row * len(lines) + (22.0 if counsellor else 8.0)
    shapes: list[Shape] = []
    body_h = row * len(lines)
    for band, lo, hi, colour in BANDS:
        x0, x1 = _x(lo, label_w, plot_w), _x(hi, label_w, plot_w)
        shapes.append(Rect(x0, top, x1 - x0, body_h, colour))
        shapes.append(Text((x0 + x1) / 2, top - 8, labels.get(f"band_{band}", band), 8.0, "middle", fill=MUTED))
    shapes.append(Line(_x(50, label_w, plot_w), top, _x(50, label_w, plot_w), top + body_h, GRID, 0.6))
    for k, s in enumerate(lines):
        y = top + row * k + row / 2
        shapes.append(Text(label_w - 6, y + 3, s.name, FONT_SIZE, "end", bold=s.strength))
        if k:
            shapes.append(Line(label_w, top + row * k, label_w + plot_w, top + row * k, "#ffffff", 1.0))
        if not s.scored or s.chart is None:
            shapes.append(Text(label_w + plot_w / 2, y + 3, s.text if not s.scored and s.text and len(s.text) < 30
                               else withheld_text, 8.0, "middle", fill=MUTED))
            continue
        t, lo, hi = s.chart
        shapes.append(Line(_x(lo, label_w, plot_w), y, _x(hi, label_w, plot_w), y, ACCENT, 2.0))
        for end in (lo, hi):
            shapes.append(Line(_x(end, label_w, plot_w), y - 4, _x(end, label_w, plot_w), y + 4, ACCENT, 1.2))
        shapes.append(Circle(_x(t, label_w, plot_w), y, 4.5, ACCENT, "#ffffff"))
        right = f"{t:.0f}" if counsellor else (s.band_label or "")
        shapes.append(Text(label_w + plot_w + 8, y + 3, right, FONT_SIZE, bold=s.strength))
    if counsellor:
        axis_y = top + body_h
        for tick in range(int(T_MIN), int(T_MAX) + 1, 10):
            x = _x(tick, label_w, plot_w)
            shapes.append(Line(x, axis_y, x, axis_y + 3, MUTED, 0.6))
            shapes.append(Text(x, axis_y + 13, str(tick), 7.5, "middle", fill=MUTED))
        shapes.append(Text(label_w + plot_w + 8, axis_y + 13, "T", 7.5, fill=MUTED))
    return Scene(width, height, tuple(shapes), title)


def riasec_hexagon(scores: dict[str, float], names: dict[str, str], code: str, *, counsellor: bool,
                   title: str = "") -> Scene:
    """Holland's hexagon with the six means (1–5) as a polygon; the code's letters in bold."""
    width, height, radius = 320.0, 250.0, 88.0
    cx, cy = width / 2, height / 2 + 4
    order = "RIASEC"

    def point(i: int, r: float) -> tuple[float, float]:
        angle = -math.pi / 2 + i * math.pi / 3  # R at the top, then clockwise
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    shapes: list[Shape] = []
    for level in (2, 3, 4, 5):
        ring = tuple(point(i, radius * (level - 1) / 4) for i in range(6))
        shapes.append(Polygon(ring, None, GRID if level < 5 else MUTED, 1.0, 0.6 if level < 5 else 1.0))
    for i in range(6):
        x, y = point(i, radius)
        shapes.append(Line(cx, cy, x, y, GRID, 0.5))
    poly = tuple(point(i, radius * (min(max(scores.get(c, 1.0), 1.0), 5.0) - 1) / 4) for i, c in enumerate(order))
    shapes.append(Polygon(poly, ACCENT, ACCENT, 0.25, 1.6))
    for x, y in poly:
        shapes.append(Circle(x, y, 2.6, ACCENT))
    for i, c in enumerate(order):
        x, y = point(i, radius + 16)
        anchor = "middle" if i in (0, 3) else ("start" if i in (1, 2) else "end")
        label = f"{c} {names.get(c, '')}".strip()
        if counsellor and c in scores:
            label += f" {scores[c]:.1f}"
        dy = -2 if i == 0 else (10 if i == 3 else 3)
        shapes.append(Text(x, y + dy, label, FONT_SIZE, anchor, bold=c in code, fill=INK if c in code else MUTED))
    return Scene(width, height, tuple(shapes), title)


# --------------------------------------------------------------------------------------------- output
def to_svg(scene: Scene, font_family: str) -> str:
    """Inline SVG markup (no external references) with a ``<title>`` for screen readers."""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {scene.width:.0f} {scene.height:.0f}" '
           f'width="{scene.width:.0f}" height="{scene.height:.0f}" role="img" '
           f'font-family="{escape(font_family)}">']
    if scene.title:
        out.append(f"<title>{escape(scene.title)}</title>")
    for s in scene.shapes:
        if isinstance(s, Rect):
            stroke = f' stroke="{s.stroke}"' if s.stroke else ""
            out.append(f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.w:.1f}" height="{s.h:.1f}" fill="{s.fill}"{stroke}/>')
        elif isinstance(s, Line):
            out.append(f'<line x1="{s.x1:.1f}" y1="{s.y1:.1f}" x2="{s.x2:.1f}" y2="{s.y2:.1f}" '
                       f'stroke="{s.stroke}" stroke-width="{s.width}"/>')
        elif isinstance(s, Circle):
            stroke = f' stroke="{s.stroke}"' if s.stroke else ""
            out.append(f'<circle cx="{s.cx:.1f}" cy="{s.cy:.1f}" r="{s.r}" fill="{s.fill}"{stroke}/>')
        elif isinstance(s, Polygon):
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in s.points)
            fill = f'fill="{s.fill}" fill-opacity="{s.opacity}"' if s.fill else 'fill="none"'
            out.append(f'<polygon points="{pts}" {fill} stroke="{s.stroke}" stroke-width="{s.width}"/>')
        elif isinstance(s, Text):
            weight = ' font-weight="bold"' if s.bold else ""
            out.append(f'<text x="{s.x:.1f}" y="{s.y:.1f}" font-size="{s.size}" text-anchor="{s.anchor}" '
                       f'fill="{s.fill}"{weight}>{escape(s.text)}</text>')
    out.append("</svg>")
    return "".join(out)


def to_drawing(scene: Scene, font: str, bold_font: str, scale: float = 1.0):
    """A ReportLab ``Drawing`` of the scene (y flipped), ``scale`` times its size in points."""
    from reportlab.graphics.shapes import Circle as RCircle
    from reportlab.graphics.shapes import Drawing, Group, PolyLine
    from reportlab.graphics.shapes import Line as RLine
    from reportlab.graphics.shapes import Polygon as RPolygon
    from reportlab.graphics.shapes import Rect as RRect
    from reportlab.graphics.shapes import String
    from reportlab.lib.colors import HexColor

    h = scene.height
    group = Group()
    for s in scene.shapes:
        if isinstance(s, Rect):
            group.add(RRect(s.x, h - s.y - s.h, s.w, s.h, fillColor=HexColor(s.fill),
                            strokeColor=HexColor(s.stroke) if s.stroke else None, strokeWidth=0.5 if s.stroke else 0))
        elif isinstance(s, Line):
            group.add(RLine(s.x1, h - s.y1, s.x2, h - s.y2, strokeColor=HexColor(s.stroke), strokeWidth=s.width))
        elif isinstance(s, Circle):
            group.add(RCircle(s.cx, h - s.cy, s.r, fillColor=HexColor(s.fill),
                              strokeColor=HexColor(s.stroke) if s.stroke else None, strokeWidth=0.8 if s.stroke else 0))
        elif isinstance(s, Polygon):
            flat = [v for x, y in s.points for v in (x, h - y)]
            if s.fill:
                fill = HexColor(s.fill)
                fill.alpha = s.opacity
                group.add(RPolygon(flat, fillColor=fill, strokeColor=HexColor(s.stroke), strokeWidth=s.width))
            else:
                group.add(PolyLine(flat + flat[:2], strokeColor=HexColor(s.stroke), strokeWidth=s.width))
        elif isinstance(s, Text):
            group.add(String(s.x, h - s.y, s.text, fontName=bold_font if s.bold else font, fontSize=s.size,
                             textAnchor=s.anchor, fillColor=HexColor(s.fill)))
    group.scale(scale, scale)
    drawing = Drawing(scene.width * scale, scene.height * scale)
    drawing.add(group)
    return drawing
