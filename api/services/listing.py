"""One page of a query's rows and the total, for every paginated list (API and pages alike)."""
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


def page_of(db: Session, query: Select, order_by: tuple, limit: int, offset: int) -> tuple[list[Any], int]:
    """``(rows, total)``: at most ``limit`` rows of ``query`` after ``offset`` in ``order_by`` order, and
    how many rows the query has in all."""
    total = db.scalar(select(func.count()).select_from(query.subquery()))
    return list(db.scalars(query.order_by(*order_by).limit(limit).offset(offset))), total


def clamped_page(db: Session, query: Select, order_by: tuple, page: int,
                 page_size: int) -> tuple[list[Any], int, int]:
    """``(rows, total, page)`` for the pages' numbered lists: ``page`` (1-based) is first brought within
    1 … the last page, so a stale link past the end shows the last page instead of nothing."""
    total = db.scalar(select(func.count()).select_from(query.subquery()))
    page = min(max(page, 1), max(1, -(-total // page_size)))
    rows = list(db.scalars(query.order_by(*order_by).limit(page_size).offset((page - 1) * page_size)))
    return rows, total, page
