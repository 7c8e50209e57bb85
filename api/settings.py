"""Settings, read once from the environment (prefix ``PATHFIT_``) or a ``.env`` file."""
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEV_SECRET = "pathfit-development-secret-change-me"  # the old published default: refused as a secret
# The installation's own folder for data (where `make run` puts the database), so a command run from
# any directory finds the same database instead of creating an empty one where it happens to be.
INSTALL_VAR = Path(__file__).resolve().parent.parent / "var"


class Settings(BaseSettings):
    """Runtime configuration.

    ``PATHFIT_DATABASE_URL``: SQLAlchemy URL; by default the SQLite file ``pathfit.db`` in ``PATHFIT_DATA_DIR``
    when that is set, else ``var/pathfit.db`` in the installation (never the current directory), or e.g.
    ``postgresql+psycopg://user@host:5432/db``. ``PATHFIT_SECRET_KEY`` signs the counsellor pages' session
    cookie (pages refuse to serve without it unless ``PATHFIT_DEV`` is on; ``pathfit serve`` keeps a random one
    in the data directory when it is unset). ``PATHFIT_COOKIE_SECURE`` forces the cookie's Secure flag on or
    off (unset: on over HTTPS). ``PATHFIT_CORS_ORIGINS`` is a comma-separated list of allowed origins. ``PATHFIT_DATA_DIR``
    (default ``var/data`` in the installation) holds batch-job inputs, checkpoints and results. ``PATHFIT_TIMEZONE`` (default
    ``Asia/Shanghai``) is the zone pages and reports show times in; storage stays UTC. ``PATHFIT_LINK_EXPIRY_DAYS``
    (default 14) is how long a test-taker link works after it is issued (a counsellor can reissue it).
    """

    model_config = SettingsConfigDict(env_prefix="PATHFIT_", env_file=".env", extra="ignore")

    database_url: str = Field("", description="SQLAlchemy URL; empty: the default SQLite file (see above).")
    secret_key: SecretStr | None = Field(None, description="Signs the counsellor pages' session cookie; "
                                                           "'pathfit serve' stores a random one when unset.")
    dev: bool = Field(False, description="Development mode: serve the pages without PATHFIT_SECRET_KEY.")
    cookie_secure: bool | None = Field(None, description="Secure flag of the session cookie; unset: on for "
                                                         "requests that came over HTTPS.")
    auth_failures_per_minute: int = Field(30, ge=1, description="Failed sign-ins, unknown keys and unknown "
                                                                "test links one client may cause per minute "
                                                                "before it gets 429.")
    log_level: str = Field("INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL)$")
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_body_bytes: int = Field(1_048_576, ge=1024, description="Largest request body accepted, bytes.")
    max_import_bytes: int = Field(20_971_520, ge=1024, description="Largest file sent to an /import endpoint.")
    data_dir: Path = Field(INSTALL_VAR / "data", description="Where batch jobs keep inputs, checkpoints and results.")
    link_expiry_days: int = Field(14, ge=1, le=365, description="Days a test-taker link stays valid after it "
                                                                "is issued; a counsellor can reissue it.")
    timezone: str = Field("Asia/Shanghai", description="The centre's IANA time zone; times are stored in UTC "
                                                       "and shown in this zone.")
    title_choice_threshold: float = Field(0.5, ge=0, le=1, description="Calibrated confidence below which a "
                                                                       "title-coded vacancy asks a person to "
                                                                       "choose among the top 3 codes.")
    reads_when_read_only: Literal["fail", "spool"] = Field(
        "fail", description="When the database cannot write: 'fail' answers reads 503 too (nothing unaudited is "
                            "shown); 'spool' serves reads and keeps their audit rows in <data_dir>/audit-spool.jsonl "
                            "until the database can write again (api/audit_spool.py).")

    working_age_min: int = Field(16, ge=14, le=20, description="Statutory working age, lowest age in years "
                                                              "(法定劳动年龄): used ONLY to tell whether a household "
                                                              "is a zero-employment family.")
    working_age_max: int = Field(60, ge=50, le=70, description="Statutory working age ends at this age in years "
                                                              "(exclusive; the retirement age the province "
                                                              "applies): used ONLY for the zero-employment "
                                                              "family definition, one range for everyone.")
    pathway_province: str | None = Field(None, description="Province whose pathway rule file "
                                                           "(matching/data/pathway_rules/<province>.yaml) overrides "
                                                           "the default next-module rules; empty: the default rules.")
    outcome_training_every_days: int | None = Field(None, ge=1, le=366, description="Retrain the outcome model "
                                                     "when the latest version is this many days old (`pathfit "
                                                     "outcomes train --if-due`, run daily); empty: only on demand.")
    stable_employment_months: int = Field(3, ge=1, le=12, description="A placement counts as stable employment "
                                                                     "(稳定就业) when the person is still in work "
                                                                     "this many months after starting.")
    exploration_share: float = Field(0.10, description="Share of a person's vacancy list (0–0.5) filled by "
                                                        "randomised exploration among reasonably fitting "
                                                        "vacancies, with the propensity logged, so the next "
                                                        "outcome model can be evaluated off-policy; 0 turns it off.")
    no_response_days: int = Field(30, ge=7, le=180, description="A referral with no recorded outcome after this "
                                                                "many days counts as a failed application (no "
                                                                "response from the employer).")

    @model_validator(mode="after")
    def _default_database(self) -> "Settings":
        if not self.database_url:
            folder = self.data_dir if "data_dir" in self.model_fields_set else INSTALL_VAR
            self.database_url = f"sqlite:///{Path(folder).resolve() / 'pathfit.db'}"
        return self

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"PATHFIT_TIMEZONE={value!r} is not an IANA time zone; use e.g. Asia/Shanghai") from None
        return value

    @field_validator("exploration_share")
    @classmethod
    def _exploration_share(cls, value: float) -> float:
        if not 0.0 <= value <= 0.5:
            raise ValueError(f"PATHFIT_EXPLORATION_SHARE={value} is outside 0–0.5; use e.g. 0.10 (10 % of list "
                             "positions explored) or 0 to turn exploration off")
        return value

    @field_validator("pathway_province")
    @classmethod
    def _valid_pathway_rules(cls, value: str | None) -> str | None:
        from api.services.pathway_rules import load_rule_set  # parsing the files at start-up shows a broken one
        from matching.pathway.rules import RuleSetError

        value = value or None
        try:
            load_rule_set(value)
        except RuleSetError as exc:
            raise ValueError(f"pathway rules: {exc}") from None
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
