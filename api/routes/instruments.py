"""The instrument bank as a test form needs it. Answer keys and item parameters never leave the server:
every response here is built from the public types in ``models.instrument``, which cannot hold them."""
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import CurrentKey
from api.errors import Problem
from instruments.registry import load_all, load_batteries
from instruments.registry_public import public_view, summary
from models.instrument import Battery, InstrumentPublic, InstrumentSummary

router = APIRouter(prefix="/v1", tags=["instruments"])
LangQuery = Annotated[Literal["zh-CN", "en"], Query(description="Language of the texts.")]


@router.get("/instruments", response_model=list[InstrumentSummary], summary="The instruments")
def list_instruments(principal: CurrentKey) -> list[InstrumentSummary]:
    return [summary(instrument) for instrument in load_all().values()]


@router.get("/instruments/{instrument_id}", response_model=InstrumentPublic,
            summary="One instrument's texts, options, stimuli and time limits (no keys, no parameters)")
def read_instrument(instrument_id: str, principal: CurrentKey, lang: LangQuery = "zh-CN",
                    form: Annotated[str | None, Query(description="Only this fixed form's items.")] = None,
                    ) -> InstrumentPublic:
    instrument = load_all().get(instrument_id)
    if instrument is None:
        raise Problem(404, "Not found", f"No instrument {instrument_id!r}; GET /v1/instruments lists them.")
    if form is not None and form not in {f.id for f in instrument.forms}:
        raise Problem(422, "Unknown form", f"{instrument_id} has no form {form!r}.",
                      [{"field": "query.form", "message": f"use one of {[f.id for f in instrument.forms]}"}])
    return public_view(instrument, lang, form)


@router.get("/batteries", response_model=list[Battery], summary="Batteries: which instruments, in which mode")
def list_batteries(principal: CurrentKey) -> list[Battery]:
    return list(load_batteries().values())
