"""The one-way import flow of docs/DESIGN.md §2: the cores never reach the API, the web framework or the database."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {"api", "fastapi", "sqlalchemy", "starlette", "uvicorn", "alembic", "psycopg"}
# The database tables and their migrations are the one part of models that speaks SQLAlchemy; the API
# edge alone imports them (docs/DESIGN.md §2 puts the tables in models/).
DATABASE_MODULES = {*(ROOT / "models").glob("tables*.py"), ROOT / "models" / "migrations"}
ALLOWED_PROJECT_IMPORTS = {
    "models": set(),
    "matching": {"models"},
    "assessment": {"models", "instruments"},
    "instruments": {"models"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _sources(package: str) -> list[Path]:
    return [p for p in (ROOT / package).rglob("*.py")
            if not any(p == d or d in p.parents for d in DATABASE_MODULES)]


@pytest.mark.parametrize("package", sorted(ALLOWED_PROJECT_IMPORTS))
def test_core_package_imports_no_edge_library(package):
    offenders = {str(p.relative_to(ROOT)): sorted(_imports(p) & FORBIDDEN) for p in _sources(package)}
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("package", sorted(ALLOWED_PROJECT_IMPORTS))
def test_imports_point_one_way(package):
    project = set(ALLOWED_PROJECT_IMPORTS) | {"api"}
    allowed = ALLOWED_PROJECT_IMPORTS[package] | {package}
    offenders = {str(p.relative_to(ROOT)): sorted((_imports(p) & project) - allowed) for p in _sources(package)}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_cores_loads_no_web_or_database_stack():
    code = ("import sys, importlib, pkgutil\n"
            "for top in ('models', 'assessment', 'matching', 'instruments'):\n"
            "    pkg = importlib.import_module(top)\n"
            "    for m in pkgutil.walk_packages(pkg.__path__, top + '.'):\n"
            "        if not (m.name.startswith('models.tables') or m.name.startswith('models.migrations')):\n"
            "            importlib.import_module(m.name)\n"
            f"print(sorted({{n.split('.')[0] for n in sys.modules}} & set({sorted(FORBIDDEN)!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
