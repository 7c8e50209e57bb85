"""Item generators are deterministic, reproduce the committed files, and build correct items."""
from __future__ import annotations

import math
import re
import pytest

from instruments.generators import clerical, form_perception, numerical, spatial
from instruments.generators.common import INSTRUMENTS, render_yaml
from instruments.registry import load_all

GENERATORS = {"numerical": numerical, "spatial": spatial, "form_perception": form_perception,
              "clerical": clerical}
FOLDERS = {"numerical": "aptitude-n", "spatial": "aptitude-s", "form_perception": "aptitude-p",
           "clerical": "aptitude-q"}


def _generate(module):
    out = module.generate()
    return out if isinstance(out, tuple) else (out, {})


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_generator_output_is_identical_on_every_run(name):
    assert _generate(GENERATORS[name]) == _generate(GENERATORS[name])


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_generator_reproduces_the_committed_item_file_byte_for_byte(name):
    module = GENERATORS[name]
    data, _ = _generate(module)
    committed = INSTRUMENTS / FOLDERS[name] / "items.yaml"
    assert render_yaml(data, module.HEADER) == committed.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["spatial", "form_perception"])
def test_generator_reproduces_the_committed_drawings(name):
    _, svgs = _generate(GENERATORS[name])
    folder = INSTRUMENTS / FOLDERS[name] / "svg"
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.svg")}
    assert on_disk == svgs


def test_a_different_seed_gives_a_different_bank():
    assert numerical.generate(seed=1)["items"] != numerical.generate()["items"]


# --- spatial: the key is the stem turned, every distractor is not --------------------------------

_RECT = re.compile(r'<rect x="([\d.]+)" y="([\d.]+)" width="16" height="16"/>')


def _shape(svg: str) -> spatial.Shape:
    cells = {(round(float(x) / spatial.CELL), round(float(y) / spatial.CELL))
             for x, y in _RECT.findall(svg)}
    return spatial.normalise(cells)


def _hole(svg: str) -> spatial.Shape:
    cells = {(round(float(x) / spatial.CELL), round(float(y) / spatial.CELL))
             for x, y in _RECT.findall(svg)}
    outline = re.search(r'<rect x="([\d.]+)" y="([\d.]+)" width="(\d+)" height="(\d+)" fill="none"', svg)
    x0, y0 = round(float(outline[1]) / spatial.CELL), round(float(outline[2]) / spatial.CELL)
    w, h = int(outline[3]) // spatial.CELL, int(outline[4]) // spatial.CELL
    return spatial.normalise({(x0 + i, y0 + j) for i in range(w) for j in range(h)} - cells)


def test_spatial_key_is_the_stem_turned_and_no_distractor_is():
    for item in load_all()["aptitude-s"].items:
        target = _hole(item.stimulus_svg) if item.features["model"] == "fit" else _shape(item.stimulus_svg)
        for option in item.options:
            turned = spatial.same_by_turning(target, _shape(option.svg))
            assert turned == (option.id == item.key), (item.id, option.id)


def test_mirror_distractors_are_the_flipped_stem():
    for item in load_all()["aptitude-s"].items:
        if item.features["model"] != "rotation":
            continue
        stem = _shape(item.stimulus_svg)
        mirrors = sum(spatial.same_by_turning(spatial.mirror(stem), _shape(o.svg)) for o in item.options)
        assert mirrors == item.features["n_mirror"], item.id


def test_random_shapes_are_chiral_so_a_mirror_is_always_wrong():
    import random
    rng = random.Random(0)
    assert all(spatial.is_chiral(spatial.random_shape(rng, n)) for n in (4, 5, 6, 7) for _ in range(20))


# --- form perception: exactly one option repeats the target --------------------------------------

def test_form_perception_key_is_the_only_exact_copy():
    points = re.compile(r'points="([^"]+)"')
    for item in load_all()["aptitude-p"].items:
        target = points.search(item.stimulus_svg)[1]
        copies = [o.id for o in item.options if points.search(o.svg)[1] == target]
        assert copies == [item.key], item.id


# --- clerical: "same" pairs are identical, "different" pairs differ in both languages ------------

def test_clerical_keys_match_the_pairs():
    for item in load_all()["aptitude-q"].items:
        left, right = item.pair
        for lang in ("zh-CN", "en"):
            assert (left.get(lang) == right.get(lang)) == (item.key == "same"), (item.id, lang)


# --- numerical: options are distinct and the key is the arithmetic answer -------------------------

def test_numerical_options_are_four_distinct_values():
    for item in load_all()["aptitude-n"].items:
        texts = [o.text.get("zh-CN") for o in item.options]
        assert len(set(texts)) == 4, item.id


def test_numerical_series_key_continues_the_rule():
    checks = {"add": lambda t: t[-1] + (t[1] - t[0]), "subtract": lambda t: t[-1] + (t[1] - t[0]),
              "multiply": lambda t: t[-1] * (t[1] // t[0]),
              "sum_of_previous_two": lambda t: t[-1] + t[-2]}
    for item in load_all()["aptitude-n"].items:
        rule = item.features.get("rule")
        if rule not in checks:
            continue
        terms = [int(x) for x in item.text.get("en").splitlines()[1].rstrip(", ?").split(", ")]
        key_text = next(o.text.get("en") for o in item.options if o.id == item.key)
        assert int(key_text) == checks[rule](terms), item.id


def test_word_problem_keys_match_a_recomputation():
    hourly = re.compile(r"pays (\d+) yuan an hour\. Xiao Liu worked (\d+) hours")
    for item in load_all()["aptitude-n"].items:
        m = hourly.search(item.text.get("en"))
        if m:
            key_text = next(o.text.get("en") for o in item.options if o.id == item.key)
            assert key_text == f"{int(m[1]) * int(m[2])} yuan", item.id


def _corners_after_transform(svg: str):
    rotate = re.search(r'rotate\(([-\d.]+) ([\d.]+) ([\d.]+)\)', svg)
    angle, cx, cy = (float(rotate[1]), float(rotate[2]), float(rotate[3])) if rotate else (0, 0, 0)
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    for x, y in _RECT.findall(svg):
        for dx, dy in ((0, 0), (16, 0), (0, 16), (16, 16)):
            px, py = float(x) + dx - cx, float(y) + dy - cy
            yield cx + px * cos - py * sin, cy + px * sin + py * cos


@pytest.mark.parametrize("instrument_id", ["aptitude-s"])
def test_every_drawing_stays_inside_its_canvas(instrument_id):
    for item in load_all()[instrument_id].items:
        for svg in [item.stimulus_svg] + [o.svg for o in item.options]:
            size = float(re.search(r'width="(\d+)"', svg)[1])
            assert all(0 <= x <= size and 0 <= y <= size for x, y in _corners_after_transform(svg)), item.id


def test_form_perception_outlines_stay_inside_their_canvas():
    for item in load_all()["aptitude-p"].items:
        for svg in [item.stimulus_svg] + [o.svg for o in item.options]:
            coords = [float(v) for pair in re.search(r'points="([^"]+)"', svg)[1].split()
                      for v in pair.split(",")]
            assert all(0 <= v <= 100 for v in coords), item.id
