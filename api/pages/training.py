"""The case file's training part (``c_training_part.html``): a person's training, internships, directed
training and entrepreneurship track, for the pathway case-file page to include.

The including page loads the person for the signed-in counsellor's organisation and audits its read of
the case file; :func:`training_part` reads the same person's records through the services.
"""
from sqlalchemy.orm import Session

from api.pages.i18n import pick
from api.services.enrolments import person_enrolments
from api.services.entrepreneurship import track
from models.training_path import LABELS, EnrolmentKind

TEXTS = {
    "training_title": ("培训、见习与创业", "Training, internships and entrepreneurship"),
    "no_training": ("还没有培训、见习或创业记录。", "No training, internship or entrepreneurship recorded yet."),
    "kind": ("类别", "Kind"),
    "place": ("项目或岗位", "Programme or place"),
    "started_on": ("开始日期", "Started"),
    "certificates": ("取得证书", "Certificates"),
    "entrepreneurship": ("创业扶持", "Entrepreneurship support"),
    "passed": ("考核合格", "Passed"),
    "failed": ("考核未通过", "Failed"),
    "status": ("状态", "Status"),
}


def texts(lang: str) -> dict[str, str]:
    return {key: pick(pair, lang) for key, pair in TEXTS.items()}


def _label(table: str, code: str | None, lang: str) -> str:
    return "" if code is None else LABELS[table].get(code, {}).get(lang, code)


def training_part(db: Session, organisation_id: str, person_id: str, lang: str) -> dict:
    """The context ``c_training_part.html`` needs, as ``{"training": …}``: the person's effective
    enrolments on training, internships and directed training, the entrepreneurship track, and the texts
    and labels in ``lang``. Include it with ``{% include "c_training_part.html" %}`` after merging this
    into the page's context."""
    enrolments = person_enrolments(db, organisation_id, person_id,
                                   [k for k in EnrolmentKind if k is not EnrolmentKind.entrepreneurship_training])
    return {"training": {"enrolments": enrolments, "entrepreneurship": track(db, organisation_id, person_id),
                         "h": texts(lang), "hlabel": lambda table, code: _label(table, code, lang)}}
