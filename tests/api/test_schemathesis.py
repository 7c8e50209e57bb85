"""The whole OpenAPI document fuzzed with schemathesis, with a valid key: no answer is a 5xx and every
documented answer conforms to its schema. A bounded number of examples per operation keeps it within CI
time; ``PATHFIT_FUZZ_EXAMPLES`` raises it for a longer run."""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.app import create_app
from api.settings import Settings
from models.enums import Role
from tests.conftest import new_tenant

EXAMPLES = int(os.environ.get("PATHFIT_FUZZ_EXAMPLES", "12"))
# Content types are not checked: errors are served as application/problem+json while FastAPI's document
# lists its default application/json validation error.
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture(scope="module")
def fuzzed(database_url, tmp_path_factory):
    """An app with its own data directory (batch jobs the fuzzer starts write there) and an admin key."""
    application = create_app(Settings(database_url=database_url, log_level="ERROR", auth_failures_per_minute=10**9,
                                      secret_key="fuzz-secret-0123456789abcdef",
                                      data_dir=tmp_path_factory.mktemp("fuzz-data")))
    tenant = new_tenant(application.state.engine, "模糊测试中心")
    yield application, tenant
    application.state.engine.dispose()


def _operations(application):
    schema = schemathesis.openapi.from_asgi("/openapi.json", application)
    return [result.ok() for result in schema.get_all_operations()]


def test_no_operation_answers_5xx_or_breaks_its_schema(fuzzed):
    application, tenant = fuzzed
    failures: list[str] = []
    for operation in _operations(application):
        role = Role.analyst if operation.path.startswith("/v1/batch-jobs") else Role.admin

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                  derandomize=True, database=None)
        def run(case):
            case.call_and_validate(headers=tenant.headers(role), checks=CHECKS)

        try:
            run()
        except Exception as failure:  # noqa: BLE001 - collected, so one run reports every operation
            failures.append(f"{operation.method.upper()} {operation.path}: {failure}"[:2000])
    assert not failures, "\n\n".join(failures)
