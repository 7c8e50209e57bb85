"""Batch-matching jobs of the caller's organisation: start, follow, download."""
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse

from api import audit
from api.batch.jobs import RESULT_TABLES, batch_runner, result_file
from api.deps import Principal, SessionDep, require_roles
from api.errors import Problem, not_found
from api.security import new_id
from api.services.learning import active_version
from api.tenancy import owned
from models.batch import BatchJobCreate, BatchJobOut
from models.enums import Role
from models.tables import BatchJob

router = APIRouter(prefix="/v1/batch-jobs", tags=["batch matching"])
Analyst = Annotated[Principal, Depends(require_roles(Role.analyst, Role.admin))]
MEDIA = {"parquet": "application/vnd.apache.parquet", "csv": "text/csv; charset=utf-8"}


def _load(db, principal: Principal, job_id: str) -> BatchJob:
    job = owned(db, principal.organisation_id, BatchJob, job_id)
    if job is None:
        raise not_found("batch job", job_id)
    return job


@router.post("", response_model=BatchJobOut, status_code=202,
             summary="Match the organisation's persons against its vacancies in the background")
def create_job(body: BatchJobCreate, request: Request, db: SessionDep, principal: Analyst) -> BatchJobOut:
    params = body.model_dump(mode="json")
    # The model is fixed when the job is created, so a job resumed after a retraining gives the same result.
    version = (active_version(db, principal.organisation_id)
               if body.allocate and body.ranking == "expected_benefit" else None)
    params["outcome_model_version"] = version.id if version is not None else None
    job = BatchJob(id=new_id("bj"), organisation_id=principal.organisation_id, created_by=principal.key_id,
                   status="queued", params=params, progress={}, attempts=0)
    db.add(job)
    audit.record(db, request, principal, "batch_job", "create", job.id)
    db.commit()
    batch_runner(request.app).start(job.id)
    return BatchJobOut.model_validate(job)


@router.get("/{job_id}", response_model=BatchJobOut, summary="Status, progress and summary of a batch job")
def get_job(job_id: str, db: SessionDep, principal: Analyst) -> BatchJobOut:
    return BatchJobOut.model_validate(_load(db, principal, job_id))


@router.get("/{job_id}/results", summary="Download a result table of a finished batch job",
            response_class=FileResponse)
def get_results(job_id: str, request: Request, db: SessionDep, principal: Analyst,
                format: Annotated[Literal["parquet", "csv"], Query(description="parquet or csv")] = "parquet",
                table: Annotated[str, Query(description="recommendations, referrals, allocation or seeker_stats")]
                = "recommendations") -> FileResponse:
    job = _load(db, principal, job_id)
    if table not in RESULT_TABLES:
        raise Problem(422, "Unknown table", f"table must be one of {', '.join(RESULT_TABLES)}",
                      [{"field": "query.table", "message": f"{table!r} is not a result table"}])
    if job.status != "succeeded":
        raise Problem(409, "Not finished", f"The job is {job.status}; results can be downloaded once it succeeded.")
    path = result_file(batch_runner(request.app).data_dir, job.id, table, format)
    if not path.exists():
        raise Problem(404, "No such table", f"This job has no {table} table (allocation needs allocate=true).")
    return FileResponse(path, media_type=MEDIA[format], filename=f"{job.id}-{table}.{format}")
