"""The FastAPI application: ``create_app()`` wires settings, database, middleware and routers; the
lifespan handler starts the background work when the server starts serving."""
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.audit_spool import AuditSpool
from api.batch.jobs import resume_batch_jobs
from api.db import make_engine, make_sessionmaker
from api.errors import install_error_handlers
from api.logs import configure_logging
from api.middleware import IdempotencyMiddleware, RequestContextMiddleware
from api.pages import install_pages
from api.ratelimit import AuthFailureLimitMiddleware
from api.routes import (
    assessments,
    audit,
    batch_jobs,
    catalogue,
    enrolments,
    health,
    households,
    instruments,
    keys,
    kpis,
    matches,
    organisations,
    persons,
    persons_import,
    public_welfare,
    reports,
    results,
    take,
)
from api.routes import followups, outcomes, referrals  # P1
from api.routes import pathway, plans  # the pathway case file and the 一人一策 plan (P3)
from api.services.matching import PoolCache
from api.services.reference import code_titles
from api.settings import Settings, get_settings

VERSION = "0.1.0"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start-up: batch jobs that were queued or running when the server stopped go on from their
    checkpoints. Building the app (tests, ``pathfit`` commands) starts nothing."""
    resume_batch_jobs(app)
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. Tests pass their own ``Settings``; ``pathfit serve`` reads the environment."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    app = FastAPI(
        title="pathfit",
        version=VERSION,
        summary="Vocational assessment and job matching for public employment services (职业素质测评与岗位匹配)",
        docs_url="/docs",
        lifespan=lifespan,
    )
    engine = make_engine(settings.database_url)
    spool = AuditSpool(settings.data_dir / "audit-spool.jsonl") if settings.reads_when_read_only == "spool" else None
    app.state.settings, app.state.engine, app.state.sessionmaker = settings, engine, make_sessionmaker(engine, spool)

    install_error_handlers(app)
    app.state.title_coder = code_titles
    app.state.vacancy_pools = PoolCache()
    for router in (health.router, organisations.router, keys.router, persons_import.router, persons.router, audit.router,
                   instruments.router, catalogue.vacancies_router, catalogue.programmes_router, assessments.router,
                   take.router, results.router, reports.router, matches.router, batch_jobs.router):
        app.include_router(router)
    for router in (enrolments.router, households.router, public_welfare.router):  # P2: training, households, public welfare
        app.include_router(router)
    for router in (referrals.router, outcomes.router, followups.router):  # P1: referrals, outcomes, follow-ups
        app.include_router(router)
    app.include_router(kpis.router)  # P4: centre figures

    app.include_router(pathway.router)  # GET /v1/persons/{id}/pathway, POST …/pathway/decisions (P3)
    app.include_router(plans.router)  # /v1/persons/{id}/plan, /plan/versions, /plan/sign, /plan.pdf (P3)

    install_pages(app, settings)  # page routers, /static, signed session cookie (PATHFIT_SECRET_KEY)

    # Starlette runs the last-added middleware first: request context wraps everything.
    app.add_middleware(IdempotencyMiddleware)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"],
                           allow_headers=["*"], expose_headers=["X-Request-ID"])
    app.add_middleware(AuthFailureLimitMiddleware, per_minute=settings.auth_failures_per_minute)
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes,
                       max_import_bytes=settings.max_import_bytes)
    return app
