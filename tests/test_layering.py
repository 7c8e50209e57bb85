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


# ------------------------------------------------------------------------------------------------
# The application layer (docs/architecture.md): routes, pages and CLI are thin adapters over api/services.
# ------------------------------------------------------------------------------------------------

ADAPTER_PACKAGES = ("routes", "pages", "cli")
# What an adapter may still take from SQLAlchemy: the Session type for its signatures and the exceptions
# it answers. Anything else (select, func, delete, text, engine URLs) builds or runs a query: a service's job.
ADAPTER_SQLALCHEMY_ALLOWED = {"sqlalchemy.orm": {"Session"}, "sqlalchemy.exc": None}
# Modules that still build queries, each with why. The test fails when a module not listed here starts
# to, and when a listed one no longer does (so the list only shrinks).
ADAPTERS_STILL_QUERYING: dict[str, str] = {}
# Modules that still compute with numpy or scipy, each with why (none now; same rule as above).
ADAPTERS_STILL_COMPUTING: dict[str, str] = {}


def _imported_names(path: Path) -> list[tuple[str, str | None]]:
    """(module, name) for every absolute import; name None for ``import module``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out += [(node.module, alias.name) for alias in node.names]
    return out


def _adapter_sources() -> list[Path]:
    return sorted(p for package in ADAPTER_PACKAGES for p in (ROOT / "api" / package).glob("*.py"))


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_no_route_module_imports_another_route_module():
    offenders = {_rel(p): sorted(m for m, _ in _imported_names(p) if m.startswith("api.routes"))
                 for p in (ROOT / "api" / "routes").glob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def _builds_queries(path: Path) -> bool:
    for module, name in _imported_names(path):
        if module.split(".")[0] != "sqlalchemy":
            continue
        allowed = ADAPTER_SQLALCHEMY_ALLOWED.get(module, set())
        if allowed is not None and name not in allowed:
            return True
    return False


def test_routes_pages_and_cli_build_no_queries():
    querying = {_rel(p) for p in _adapter_sources() if _builds_queries(p)}
    assert querying - set(ADAPTERS_STILL_QUERYING) == set(), "move the query into an api/services module"
    assert set(ADAPTERS_STILL_QUERYING) - querying == set(), "no longer queries: remove it from the list"


def test_routes_pages_and_cli_do_no_numerical_computation():
    computing = {_rel(p) for p in _adapter_sources()
                 if any(m.split(".")[0] in {"numpy", "scipy"} for m, _ in _imported_names(p))}
    assert computing - set(ADAPTERS_STILL_COMPUTING) == set(), "move the computation into assessment/ or matching/"
    assert set(ADAPTERS_STILL_COMPUTING) - computing == set(), "no longer computes: remove it from the list"


def test_services_import_no_route_page_or_cli_module():
    offenders = {_rel(p): sorted(m for m, _ in _imported_names(p)
                                 if m.startswith(tuple(f"api.{package}" for package in ADAPTER_PACKAGES)))
                 for p in (ROOT / "api" / "services").rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_services_import_no_web_framework():
    offenders = {_rel(p): sorted(m for m, _ in _imported_names(p) if m.split(".")[0] in {"fastapi", "starlette"})
                 for p in (ROOT / "api" / "services").rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}
