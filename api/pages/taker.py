"""The test taker's screen, ``/t/{token}``: one HTML shell; the items come from the JSON API
(``GET /v1/take/{token}``, ``POST /v1/take/{token}/answers``), which serves only public types, so
neither the page nor its traffic carries a key or an item parameter. No account and no API key."""
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep
from api.pages.i18n import DEFAULT_LANG, TAKE
from api.pages.web import SECURITY_HEADERS, TEMPLATES
from api.services.assessments import find_by_token

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/t/{token}", response_class=HTMLResponse)
def take(token: str, request: Request, db: SessionDep,
         lang: Annotated[Literal["zh-CN", "en"] | None, Query()] = None) -> HTMLResponse:
    row = find_by_token(db, token)
    chosen = lang or (row.lang if row is not None else DEFAULT_LANG)
    context = {"lang": chosen, "s": TAKE[chosen], "strings": TAKE,
               "known": row is not None}
    response = TEMPLATES.TemplateResponse(request, "take.html", context, status_code=200 if row else 404)
    response.headers.update(SECURITY_HEADERS)
    return response
