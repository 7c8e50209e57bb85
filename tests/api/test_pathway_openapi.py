"""The OpenAPI document lists the pathway's resources (issue 16, "done when")."""
import pytest

PATHWAY_PATHS = ["/v1/referrals", "/v1/outcomes", "/v1/persons/{person_id}/pathway", "/v1/persons/{person_id}/plan",
                 "/v1/households", "/v1/kpis"]


@pytest.fixture(scope="module")
def paths(app) -> dict:
    return app.openapi()["paths"]


@pytest.mark.parametrize("path", PATHWAY_PATHS)
def test_the_openapi_document_lists_the_pathway_resource(paths, path):
    assert path in paths


def test_the_kpi_operation_documents_its_period_and_district_parameters(paths):
    names = {p["name"] for p in paths["/v1/kpis"]["get"]["parameters"]}
    assert {"from", "to", "district"} <= names

