"""The README's benchmark table is exactly what the recorded runs in bench/results/ say."""
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_table_module():
    spec = importlib.util.spec_from_file_location("readme_table", ROOT / "bench" / "readme_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_benchmark_table_is_generated_from_recorded_runs():
    module = _readme_table_module()
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert module.rendered_readme(text) == text, "run .venv/bin/python bench/readme_table.py"


def test_every_recorded_run_names_its_commit_and_machine():
    for path in sorted((ROOT / "bench" / "results").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        assert len(record["commit"]) == 40, path.name
        assert record["machine"]["cores"] >= 1, path.name
        assert record["rows"], path.name


def test_table_changes_when_a_record_changes(tmp_path):
    module = _readme_table_module()
    record = {"commit": "a" * 40, "recorded_at": "2026-12-02T00:00:00+00:00", "machine": {"cores": 2},
              "rows": [{"benchmark": "x", "pathfit": "1.00 s", "baseline": "y 2.00 s", "ratio": "2.0×"}]}
    (tmp_path / "x.json").write_text(json.dumps(record), encoding="utf-8")
    text = f"intro\n{module.START}\nold\n{module.END}\noutro\n"
    rendered = module.rendered_readme(text, tmp_path)
    assert "| x | 1.00 s | y 2.00 s | 2.0× |" in rendered and "old" not in rendered
    assert rendered.startswith("intro\n") and rendered.endswith("outro\n")
