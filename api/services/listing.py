"""One page of a query's rows and the total, for every paginated list (API and pages alike)."""
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


def page_of(db: Session, query: Select, order_by: tuple, limit: int, offset: int) -> tuple[list[Any], int]:
    """``(rows, total)``: at most ``limit`` rows of ``query`` after ``offset`` in ``order_by`` order, and
    how many rows the query has in all."""
    total = db.scalar(select(func.count()).select_from(query.subquery()))
    return list(db.scalars(query.order_by(*order_by).limit(limit).offset(offset))), total
