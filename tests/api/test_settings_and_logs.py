"""Configuration comes from PATHFIT_* variables; logs are JSON lines with the request id."""
import json
import logging

from api.logs import JsonFormatter, request_id_var
from api.settings import Settings


def test_settings_read_prefixed_environment(monkeypatch):
    monkeypatch.setenv("PATHFIT_DATABASE_URL", "sqlite:///./elsewhere.db")
    monkeypatch.setenv("PATHFIT_CORS_ORIGINS", "http://a.example, http://b.example")
    monkeypatch.setenv("PATHFIT_LOG_LEVEL", "DEBUG")
    settings = Settings()
    assert settings.database_url == "sqlite:///./elsewhere.db"
    assert settings.cors_origins == ["http://a.example", "http://b.example"]
    assert settings.log_level == "DEBUG"


def test_default_database_is_a_sqlite_file_under_the_installations_var(monkeypatch):
    monkeypatch.delenv("PATHFIT_DATABASE_URL", raising=False)
    monkeypatch.delenv("PATHFIT_DATA_DIR", raising=False)
    from api.settings import INSTALL_VAR

    assert Settings(_env_file=None).database_url == f"sqlite:///{INSTALL_VAR.resolve() / 'pathfit.db'}"


def test_log_line_is_json_with_request_id_and_extras():
    token = request_id_var.set("req-42")
    try:
        record = logging.LogRecord("pathfit.access", logging.INFO, __file__, 1, "GET /x 200", None, None)
        record.status = 200
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["request_id"] == "req-42"
    assert line["status"] == 200
    assert line["msg"] == "GET /x 200"
