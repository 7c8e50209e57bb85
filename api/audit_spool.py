"""Keeping reads working while the database cannot write (``PATHFIT_READS_WHEN_READ_ONLY=spool``).

Every read of a person's data writes an audit row, so a read-only or full database would refuse reads
too. By default it does (fail closed: nothing is shown that is not audited). With ``spool`` a request
whose only pending writes are audit rows is served anyway, and those rows are appended to a JSON-lines
file in the data directory (flushed to disk before the answer leaves); the first commit that succeeds
afterwards moves them into the audit log with their original times, in order, and empties the file.
A request that changes anything else still fails with 503: only the audit trail is deferred.
"""
from __future__ import annotations

import json
import os
import threading
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from api.errors import cannot_write
from models.tables import AuditLog

_COLUMNS = ("key_id", "organisation_id", "resource", "resource_id", "action", "client_ip", "request_id", "detail")


class AuditSpool:
    """The file of audit rows waiting for the database; one lock per process guards it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, rows: list[AuditLog]) -> None:
        """Write ``rows`` (not yet stored) to the end of the file and fsync it."""
        now = datetime.now(timezone.utc).isoformat()
        lines = "".join(json.dumps({**{c: getattr(r, c) for c in _COLUMNS}, "at": (r.at.isoformat() if r.at else now)},
                                   ensure_ascii=False) + "\n" for r in rows)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(lines)
                handle.flush()
                os.fsync(handle.fileno())

    def drain(self, session: Session) -> int:
        """Store every spooled row in one transaction of its own and empty the file; the number stored.
        Rows stay in the file when the database still cannot write."""
        with self._lock:
            if not self.path.exists() or self.path.stat().st_size == 0:
                return 0
            rows = [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
            for row in rows:
                session.add(AuditLog(**{c: row.get(c) for c in _COLUMNS}, at=datetime.fromisoformat(row["at"])))
            try:
                Session.commit(session)
            except SQLAlchemyError:
                session.rollback()
                return 0
            self.path.write_text("", encoding="utf-8")
            return len(rows)


class SpoolingSession(Session):
    """A session whose commit defers audit-only writes to ``spool`` when the database cannot write."""

    def __init__(self, *args, spool: AuditSpool | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.spool = spool

    def commit(self) -> None:
        audit_only = (self.spool is not None and bool(self.new) and not self.dirty and not self.deleted
                      and all(isinstance(o, AuditLog) for o in self.new))
        pending = list(self.new) if audit_only else []
        try:
            super().commit()
        except SQLAlchemyError as exc:
            if not audit_only or cannot_write(exc) is None:
                raise
            self.rollback()
            self.spool.append(pending)
            return
        if self.spool is not None:
            self.spool.drain(self)
