"""API keys. An admin manages its own organisation's keys; a platform admin any organisation's. The secret
is returned once, at creation. Platform-admin keys are made only on the server (``pathfit keys create``)."""
from typing import Annotated

from fastapi import APIRouter, Query, Request

from api import audit
from api.deps import AdminKey, SessionDep, may_administer
from api.errors import Problem, not_found
from api.tenancy import create_api_key, list_api_keys, revoke_api_key
from models.enums import Role
from models.organisation import ApiKeyCreate, ApiKeyCreated, ApiKeyOut
from models.tables import ApiKey

router = APIRouter(prefix="/v1/keys", tags=["keys"])


@router.post("", status_code=201, response_model=ApiKeyCreated, summary="Create a key; the secret is shown once")
def create(body: ApiKeyCreate, request: Request, session: SessionDep, principal: AdminKey) -> ApiKeyCreated:
    if body.role is Role.platform_admin:
        raise Problem(422, "Role not available here",
                      "Platform-admin keys are created only on the server: 'pathfit keys create --role platform_admin'.",
                      [{"field": "role", "message": "platform_admin keys are made with the command line only"}])
    organisation_id = body.organisation_id or principal.organisation_id
    unknown = Problem(422, "Unknown organisation", f"organisation_id: no organisation {organisation_id!r} that "
                                                   "your key administers; leave it out to use your own.",
                      [{"field": "organisation_id", "message": "no such organisation"}])
    if not may_administer(principal, organisation_id):
        raise unknown  # another organisation looks exactly like a missing one
    try:
        key, plaintext = create_api_key(session, organisation_id, body.role, body.label)
    except ValueError as exc:
        raise unknown from exc
    audit.record(session, request, principal, "api_key", "create", key.id, key.organisation_id)
    session.commit()
    return ApiKeyCreated.model_validate({**ApiKeyOut.model_validate(key).model_dump(), "key": plaintext})


@router.get("", response_model=list[ApiKeyOut], summary="Keys of your organisation (a platform admin: any)")
def list_keys(session: SessionDep, principal: AdminKey,
              organisation_id: Annotated[str | None, Query(max_length=40)] = None) -> list[ApiKey]:
    if organisation_id is not None and not may_administer(principal, organisation_id):
        raise not_found("organisation", organisation_id)
    if organisation_id is None and principal.role is not Role.platform_admin:
        organisation_id = principal.organisation_id
    return list_api_keys(session, organisation_id)


@router.delete("/{key_id}", response_model=ApiKeyOut, summary="Revoke a key")
def revoke(key_id: str, request: Request, session: SessionDep, principal: AdminKey) -> ApiKey:
    key = session.get(ApiKey, key_id)
    if key is None or not may_administer(principal, key.organisation_id) \
            or (key.role == Role.platform_admin and principal.role is not Role.platform_admin):
        raise not_found("API key", key_id)
    revoke_api_key(session, key_id)
    audit.record(session, request, principal, "api_key", "revoke", key.id, key.organisation_id)
    session.commit()
    return key
