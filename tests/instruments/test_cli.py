"""``pathfit instruments check`` validates the bank and prints its summary."""
from __future__ import annotations

import shutil

from typer.testing import CliRunner

from api.cli.instruments import app
from instruments.registry import ROOT

runner = CliRunner()


def test_check_passes_on_the_shipped_bank_and_lists_every_instrument():
    result = runner.invoke(app, ["check"], env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    for instrument_id in ("aptitude-v", "traits-big5", "interest-riasec", "motivation"):
        assert instrument_id in result.output
    assert "50% reversed" in result.output
    assert "instruments valid" in result.output


def test_check_fails_and_names_file_and_item_for_a_broken_bank(tmp_path):
    root = tmp_path / "bank"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns("*.py", "__pycache__", "svg"))
    for name in ("aptitude-s", "aptitude-p"):  # drop the SVG banks: they need their drawings
        shutil.rmtree(root / name)
    items = root / "aptitude-v" / "items.yaml"
    items.write_text(items.read_text(encoding="utf-8").replace("    key: A\n", "    key: Z\n", 1),
                     encoding="utf-8")
    result = runner.invoke(app, ["check", "--root", str(root)], env={"COLUMNS": "240"})
    assert result.exit_code == 1
    assert "items.yaml" in result.output and "[V001]" in result.output
    assert "key 'Z' is not among the options" in result.output


def test_check_fails_when_a_norm_table_is_stale(tmp_path):
    root = tmp_path / "bank"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    items = root / "traits-big5" / "items.yaml"
    items.write_text(items.read_text(encoding="utf-8").replace("我平时话不多", "我平常话不多"),
                     encoding="utf-8")
    result = runner.invoke(app, ["check", "--root", str(root)], env={"COLUMNS": "240"})
    assert result.exit_code == 1
    assert "STALE" in result.output and "traits-big5" in result.output


def test_check_runs_as_a_sub_command_once_registered_on_the_main_app():
    import typer

    main = typer.Typer()
    main.add_typer(app, name="instruments")

    @main.command()
    def other() -> None:  # a second command keeps typer from collapsing the group
        pass

    result = runner.invoke(main, ["instruments", "check"], env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
