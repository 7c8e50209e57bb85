"""Run from any directory, the CLI finds the installation's database (or the configured one) and,
when that database is missing or not migrated, says so in one line instead of a traceback."""
import os
import subprocess
import sys
from pathlib import Path

from api.settings import INSTALL_VAR, Settings

REPO = Path(__file__).resolve().parents[2]


def _pathfit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PATHFIT_")}
    return subprocess.run([str(Path(sys.executable).parent / "pathfit"), *args], cwd=cwd, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_the_default_database_lives_in_the_installation_not_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PATHFIT_DATABASE_URL", raising=False)
    monkeypatch.delenv("PATHFIT_DATA_DIR", raising=False)
    assert Settings().database_url == f"sqlite:///{INSTALL_VAR.resolve() / 'pathfit.db'}"
    assert INSTALL_VAR.parent == REPO


def test_a_configured_data_directory_holds_the_default_database(tmp_path):
    assert Settings(data_dir=tmp_path).database_url == f"sqlite:///{tmp_path.resolve() / 'pathfit.db'}"


def test_a_command_on_a_missing_database_prints_one_line_and_creates_nothing(tmp_path):
    data = tmp_path / "data"
    result = _pathfit("orgs", "list", cwd=tmp_path, env={"PATHFIT_DATA_DIR": str(data)})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: no database at {data.resolve() / 'pathfit.db'}: run `pathfit db upgrade` (then `pathfit db seed`), "
        "or set PATHFIT_DATABASE_URL"]
    assert not (tmp_path / "var").exists() and not data.exists()


def test_a_command_on_an_unmigrated_database_prints_one_line(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    result = _pathfit("orgs", "list", cwd=tmp_path, env={"PATHFIT_DATABASE_URL": f"sqlite:///{empty}"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "is not migrated: run `pathfit db upgrade`" in lines[0]
    assert "Traceback" not in result.stderr
