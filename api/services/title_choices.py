"""The clarifying step of title coding: vacancies whose code needs a person's choice, and the choice.

A vacancy coded from its title with a calibrated confidence below ``PATHFIT_TITLE_CHOICE_THRESHOLD``
(default 0.5) *needs a choice*: the API and the import report show its top 3 candidates. When a
person picks one (``POST /v1/vacancies/{id}/occupation-choice``), the vacancy gets that code with
confidence 1, the choice is stored with the API key that made it, and the title becomes an alias
for the organisation (``organisation_title_aliases``, audit-logged): the next vacancy with the same
title, after normalisation, is coded from it without asking.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.security import new_id
from api.services.catalogue import TitleCoder, known_occupation_codes
from matching.title_coder import normalise_title
from models.tables import Occupation, OrganisationTitleAlias, Vacancy


def organisation_aliases(session: Session, organisation_id: str) -> dict[str, str]:
    """Normalised title → chosen code for one organisation."""
    rows = session.execute(select(OrganisationTitleAlias.title_normalised, OrganisationTitleAlias.occupation_code)
                           .where(OrganisationTitleAlias.organisation_id == organisation_id))
    return dict(rows.all())


def with_organisation_aliases(session: Session, organisation_id: str, coder: TitleCoder | None) -> TitleCoder | None:
    """``coder`` answering first from the organisation's aliases (confidence 1), then the model."""
    if coder is None:
        return None
    aliases = organisation_aliases(session, organisation_id)
    if not aliases:
        return coder

    def coded(titles: list[str]) -> list[tuple[str, float, list[dict]]]:
        known = [aliases.get(normalise_title(t)) for t in titles]
        rest = [t for t, code in zip(titles, known) if code is None]
        from_model = iter(coder(rest) if rest else [])
        names = occupation_names(session, [c for c in known if c])
        out = []
        for code in known:
            if code is None:
                out.append(next(from_model))
            else:
                out.append((code, 1.0, [{"code": code, "name_zh": names.get(code, ""), "name_en": "",
                                         "confidence": 1.0}]))
        return out

    return coded


def occupation_names(session: Session, codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    return dict(session.execute(select(Occupation.code, Occupation.name_zh).where(Occupation.code.in_(codes))).all())


def needs_choice(row: Vacancy, threshold: float) -> bool:
    """A title-coded vacancy whose confidence is below the threshold (and that nobody has chosen for)."""
    return (row.occupation_code_confidence is not None and row.occupation_code_confidence < threshold
            and bool(row.occupation_candidates))


def choice_entry(row: Vacancy) -> dict:
    """What the report and the page show for a vacancy that needs a choice."""
    return {"vacancy_id": row.id, "external_id": row.external_id, "title": row.title, "employer": row.employer,
            "occupation_code": row.occupation_code, "confidence": row.occupation_code_confidence,
            "needs_choice": True, "candidates": list(row.occupation_candidates)}


def vacancies_needing_choice(session: Session, organisation_id: str, threshold: float,
                             ids: list[str] | None = None) -> list[Vacancy]:
    """The organisation's vacancies that need a choice (optionally only among ``ids``), oldest first."""
    query = select(Vacancy).where(Vacancy.organisation_id == organisation_id,
                                  Vacancy.occupation_code_confidence < threshold)
    if ids is not None:
        query = query.where(Vacancy.id.in_(ids))
    return [r for r in session.scalars(query.order_by(Vacancy.created_at, Vacancy.id)) if needs_choice(r, threshold)]


def choose(session: Session, row: Vacancy, code: str, key_id: str) -> OrganisationTitleAlias:
    """Give ``row`` the chosen ``code`` and make its title an alias for the organisation.

    Raises ``ValueError`` (naming the field) for a code that is not a detailed occupation of the
    classification. The caller writes the audit row and commits.
    """
    if code not in known_occupation_codes():
        raise ValueError(f"occupation_code: {code} is not an occupation code of the 2022 classification")
    normalised = normalise_title(row.title) or row.title.strip()
    alias = session.scalar(select(OrganisationTitleAlias).where(
        OrganisationTitleAlias.organisation_id == row.organisation_id,
        OrganisationTitleAlias.title_normalised == normalised))
    if alias is None:
        alias = OrganisationTitleAlias(id=new_id("ta"), organisation_id=row.organisation_id,
                                       title_normalised=normalised)
        session.add(alias)
    alias.title, alias.occupation_code, alias.vacancy_id = row.title, code, row.id
    alias.chosen_by_key_id, alias.chosen_at = key_id, datetime.now(timezone.utc)
    alias.model_code, alias.model_confidence = row.occupation_code, row.occupation_code_confidence
    row.occupation_code, row.occupation_code_confidence = code, 1.0
    row.updated_at = datetime.now(timezone.utc)
    session.flush()
    return alias
