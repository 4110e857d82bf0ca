"""The JSON API, version 1: read a rep's ramp as the pages show it, and push CRM activity.

Each view finds the person, asks the feature's own service (which applies that feature's
rule on who may see what, as the token's owner) and returns one of ``app.api.schemas``.
SpecTree checks the input against those models before the view runs and the output after,
and builds the OpenAPI 3.1 document from the same decorators (``app.api.views.spec``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flask import Blueprint, current_app, g, jsonify, render_template, request, url_for
from pydantic import BaseModel
from spectree import Response as Responses
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.accounts.access import require_view_person
from app.accounts.models import User
from app.agreements import service as agreements
from app.api import schemas
from app.api import service as api
from app.api.views.problems import ApiProblem, register_problems
from app.api.views.spec import openapi_document, spec
from app.api.views.tokens_auth import authenticate_request, rate_limit_key
from app.certification import service as certification
from app.coaching import service as coaching
from app.extensions import csrf, limiter
from app.limits import accepts_upload
from app.lookup import get_or_not_found
from app.metrics import service as metrics
from app.metrics.catalogue import BY_KEY, Period, RepMatch
from app.metrics.models import ActivitySource
from app.metrics.parsing import RawRow
from app.pagination import Page, PageRequest, paginate_rows
from app.plans import service as plans

PREFIX = "/api/v1"
bp = Blueprint("api", __name__, url_prefix=PREFIX)
csrf.exempt(bp)  # no cookies: a bearer token in a header cannot be sent by another site's page
limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_limit_key)(bp)
register_problems(bp, PREFIX + "/")
bp.before_request(authenticate_request)


@bp.after_request
def _api_headers(response: Response) -> Response:
    """Personal data is never cached; Flask's own answer to OPTIONS is 204, not an empty page."""
    response.headers.setdefault("Cache-Control", "no-store")
    if request.method == "OPTIONS" and response.status_code == 200 and not response.data:
        response.status_code = 204
        response.headers.pop("Content-Type", None)
    return response


def _errors(*codes: int) -> dict[str, Any]:
    return {f"HTTP_{code}": schemas.Problem for code in codes}


PERSON = {"rep_id": "A person's id, as `id` in /people."}


def operation(**options: Any) -> Callable[[Callable[..., BaseModel]], Callable[..., Response]]:
    """``spec.validate``, naming the operation after its view (``operationId``: ``plan``).

    The view returns a model; SpecTree checks it against the document and makes the response.
    """

    def decorate(view: Callable[..., BaseModel]) -> Callable[..., Response]:
        validated: Callable[..., Response] = spec.validate(operation_id=view.__name__, **options)(
            view
        )
        return validated

    return decorate


def actor() -> User:
    user: User = g.api_token.user
    return user


def person(rep_id: int) -> User:
    """The person with this id, if the token's owner may see them (else 404 or 403)."""
    found = get_or_not_found(User, rep_id, "There is no such person.")
    require_view_person(actor(), found)
    return found


@bp.get("/me")
@operation(resp=Responses(HTTP_200=schemas.Person), tags=["people"])
def me() -> schemas.Person:
    """The token's owner"""
    return schemas.Person.of(actor())


@bp.get("/people")
@operation(query=schemas.PageQuery, resp=Responses(HTTP_200=schemas.PeoplePage), tags=["people"])
def people() -> schemas.PeoplePage:
    """People the token's owner may see

    Themselves; a coach also the reps they coach; HR and admins everyone (the deactivated
    too), by name.
    """
    query: schemas.PageQuery = request.context.query  # type: ignore[attr-defined]
    page = api.people_page(actor(), PageRequest(number=query.page, per_page=query.per_page))
    return schemas.PeoplePage(
        items=[schemas.Person.of(user) for user in page.items], **_paging(page)
    )


@bp.get("/people/<int:rep_id>")
@operation(
    resp=Responses(HTTP_200=schemas.Person, **_errors(403, 404)),
    tags=["people"],
    path_parameter_descriptions=PERSON,
)
def get_person(rep_id: int) -> schemas.Person:
    """One person"""
    return schemas.Person.of(person(rep_id))


@bp.get("/people/<int:rep_id>/plan")
@operation(
    resp=Responses(HTTP_200=schemas.PlanOut, **_errors(403, 404)),
    tags=["plans"],
    path_parameter_descriptions=PERSON,
)
def plan(rep_id: int) -> schemas.PlanOut:
    """A rep's current plan and progress

    Every milestone with its due date and state (done, awaiting verification, overdue, due
    this week, upcoming), each phase's progress, and the rep's status, as on their ramp page.
    """
    return schemas.PlanOut.of(plans.ramp_of(actor(), person(rep_id)))


@bp.get("/people/<int:rep_id>/certifications")
@operation(
    resp=Responses(HTTP_200=schemas.Certifications, **_errors(403, 404)),
    tags=["certifications"],
    path_parameter_descriptions=PERSON,
)
def certifications(rep_id: int) -> schemas.Certifications:
    """A rep's certifications

    Each stage in the rep's plan or attempted: its status, expiry, and every attempt with
    its result once decided.
    """
    rep = person(rep_id)
    found = certification.certifications_of(actor(), rep, accounts.local_today(rep))
    items = [schemas.CertificationOut.of(c) for c in found]
    return schemas.Certifications(rep_id=rep.id, items=items)


@bp.get("/people/<int:rep_id>/commitments")
@operation(
    query=schemas.PageQuery,
    resp=Responses(HTTP_200=schemas.CommitmentsPage, **_errors(403, 404)),
    tags=["coaching"],
    path_parameter_descriptions=PERSON,
)
def commitments(rep_id: int) -> schemas.CommitmentsPage:
    """A rep's commitments from their debriefs, by due date"""
    query: schemas.PageQuery = request.context.query  # type: ignore[attr-defined]
    rep = person(rep_id)
    page_request = PageRequest(number=query.page, per_page=query.per_page)
    page = paginate_rows(coaching.commitments_of(actor(), rep), page_request, {})
    return schemas.CommitmentsPage(
        rep_id=rep.id,
        items=[schemas.CommitmentOut.model_validate(c) for c in page.items],
        **_paging(page, rep_id=rep.id),
    )


@bp.get("/people/<int:rep_id>/activity")
@operation(
    query=schemas.ActivityQuery,
    resp=Responses(HTTP_200=schemas.Activity, **_errors(403, 404)),
    tags=["activity"],
    path_parameter_descriptions=PERSON,
)
def activity(rep_id: int) -> schemas.Activity:
    """A rep's activity, week by week

    Imported (CRM) and logged (by the rep) figures apart, as the activity pages show them.
    """
    query: schemas.ActivityQuery = request.context.query  # type: ignore[attr-defined]
    rep = person(rep_id)
    weeks = metrics.weeks_of(actor(), rep, accounts.local_today(rep), query.weeks)
    return schemas.Activity(rep_id=rep.id, weeks=[schemas.WeekOut.of(w) for w in weeks])


@bp.get("/people/<int:rep_id>/agreements")
@operation(
    resp=Responses(HTTP_200=schemas.Agreements, **_errors(403, 404)),
    tags=["agreements"],
    path_parameter_descriptions=PERSON,
)
def agreements_of(rep_id: int) -> schemas.Agreements:
    """A rep's agreements: status and dates, not the documents"""
    rep = person(rep_id)
    items = [schemas.AgreementOut.of(a) for a in agreements.agreements_of(actor(), rep)]
    return schemas.Agreements(rep_id=rep.id, items=items)


@bp.post("/activity")
@accepts_upload  # up to 10,000 rows: more than the 1 MiB a form may send
@operation(
    json=schemas.ActivityPush,
    resp=Responses(HTTP_200=schemas.ImportResult, **_errors(403, 409, 413)),
    tags=["activity"],
)
def push_activity() -> schemas.ImportResult:
    """Import a CRM's activity (HR and admins)

    All rows or none: each bad row is named in `errors` ("Row 3: unknown rep ..."), counted
    from 1 in the order sent. Sending the same rows again changes nothing; rows for a period
    already imported from the source replace it, and a rep's row the source had for a period
    sent that is not in the rows is removed, as a corrected CSV file does. A source is
    mapped for the API the first time it is used (reps by email, one row a `period`).
    """
    body: schemas.ActivityPush | None = request.context.json  # type: ignore[attr-defined]
    if body is None:
        raise ApiProblem(422, "Send the rows as JSON, with Content-Type: application/json.")
    source = metrics.ensure_source(actor(), body.source)
    _map_for_the_api(source, Period(body.period))
    rows = [
        RawRow(index, row.rep_email, row.date, row.model_dump(include=set(BY_KEY)))
        for index, row in enumerate(body.rows, start=1)
    ]
    changes = metrics.import_rows(actor(), source, rows, accounts.local_today(actor()))
    return schemas.ImportResult(
        source=source.name,
        period=body.period,
        rows=len(rows),
        added=len(changes.inserts),
        replaced=len(changes.updates),
        removed=len(changes.deletes),
        unchanged=changes.unchanged,
    )


API_COLUMNS = metrics.MappingChoice(
    rep_match=RepMatch.EMAIL,
    rep_column="rep_email",
    date_column="date",
    period=Period.DAY,
    date_format="%Y-%m-%d",
    columns={key: key for key in BY_KEY},
)


def _map_for_the_api(source: ActivitySource, period: Period) -> None:
    """A new source is mapped as the API sends rows; an existing one must read them so."""
    if not source.mapped:
        metrics.save_mapping(actor(), source, _with_period(period))
        return
    if source.rep_match is not RepMatch.EMAIL:
        raise ApiProblem(
            409,
            f"The source {source.name} names reps by full name (its CSV mapping); the API "
            "names them by email: push under another source name.",
        )
    if source.period is not period:
        raise ApiProblem(
            409, f"The source {source.name} holds one row a {source.period.value}: send that."
        )


def _with_period(period: Period) -> metrics.MappingChoice:
    return replace(API_COLUMNS, period=period)


def _paging(page: Page[Any], **values: Any) -> dict[str, Any]:
    """The page's place in the list, and links to its neighbours with the same size."""
    endpoint = request.endpoint or ""
    per_page = page.request.per_page

    def link(number: int) -> str:
        return url_for(endpoint, **values, page=number, per_page=per_page)

    return {
        "total": page.total,
        "page": page.number,
        "per_page": per_page,
        "pages": page.pages,
        "links": schemas.Links(
            self=link(page.number),
            first=link(1),
            last=link(page.pages),
            next=link(page.number + 1) if page.has_next else None,
            prev=link(page.number - 1) if page.has_previous else None,
        ),
    }


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document (public: it describes, it opens nothing)."""
    return jsonify(openapi_document())


@bp.get("/docs")
def docs() -> str:
    """The API reference: Swagger UI from the app's own static files, no CDN."""
    return render_template("api/docs.html")
