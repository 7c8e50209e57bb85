"""Organisations (districts or centres). A platform admin creates and sees them all; every other key sees
only its own (another organisation is a 404, as if it did not exist)."""
from fastapi import APIRouter, Request

from api import audit
from api.deps import CurrentKey, PlatformAdminKey, SessionDep, may_administer
from api.errors import not_found
from api.tenancy import create_organisation, list_organisations
from models.enums import Role
from models.organisation import OrganisationCreate, OrganisationOut
from models.tables import Organisation

router = APIRouter(prefix="/v1/organisations", tags=["organisations"])


@router.post("", status_code=201, response_model=OrganisationOut, summary="Create an organisation (platform admin)")
def create(body: OrganisationCreate, request: Request, session: SessionDep,
           principal: PlatformAdminKey) -> Organisation:
    organisation = create_organisation(session, body.name, body.district)
    audit.record(session, request, principal, "organisation", "create", organisation.id, organisation.id)
    session.commit()
    return organisation


@router.get("", response_model=list[OrganisationOut], summary="All organisations (platform admin) or your own")
def list_all(session: SessionDep, principal: CurrentKey) -> list[Organisation]:
    if principal.role is Role.platform_admin:
        return list_organisations(session)
    return [session.get(Organisation, principal.organisation_id)]


@router.get("/{organisation_id}", response_model=OrganisationOut, summary="One organisation")
def read(organisation_id: str, session: SessionDep, principal: CurrentKey) -> Organisation:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or not may_administer(principal, organisation_id):
        raise not_found("organisation", organisation_id)
    return organisation
