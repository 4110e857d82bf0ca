"""The load test's people, for locust (run by ``make loadtest``, see ``benchmarks/loadtest.py``).

Against the ten-rep demo organisation (``flask demo``), a realistic mix: reps load their ramp,
open milestones and report progress, and look at their coaching, certifications and
agreements; coaches open their team, a rep's ramp, debriefs and the one-on-one page; HR lists
agreements, people and certifications, and now and then drafts and sends an agreement that the
rep then signs and HR countersigns (whose sealing the job worker does).

A request fails when it gets a 5xx, a connection error, or a status the flow does not expect.
A 409 on a report or a signature is an expected answer when two simulated people act on the
same record at once (the app refuses the second one), so it is not counted as an error.
"""

from __future__ import annotations

import os
import random
import re
from typing import Any

from locust import HttpUser, between, events, task
from locust.clients import HttpSession

PASSWORD = "demo"
DOMAIN = "demo.salesramp"
REPS = {  # the demo's reps (app/demo.py), by email and legal name
    f"rep{number}@{DOMAIN}": name
    for number, name in enumerate(
        (
            "Ava Chen",
            "Ben Okafor",
            "Chloe Martin",
            "Diego Alvarez",
            "Emma Schulz",
            "Farid Haddad",
            "Grace Kim",
            "Hiro Tanaka",
            "Isla Novak",
            "Jonas Berg",
        ),
        start=1,
    )
}
HR_EMAIL, HR_NAME = f"hr@{DOMAIN}", "Priya Shah"
COACHES = (f"coach1@{DOMAIN}", f"coach2@{DOMAIN}")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CONSENT = re.compile(r'name="consent_version"[^>]*value="([^"]+)"')
MILESTONE = re.compile(r'href="/milestones/(\d+)"')
REP_LINK = re.compile(r'href="/reps/(\d+)">([^<]+)</a>')
AGREEMENT = re.compile(r"/agreements/(\d+)$")
PIP_VALUES = {
    "v_gap_summary": "Meetings booked: 2 a week against 6.",
    "v_support_offered": "Two call reviews a week with the coach.",
    "v_improvement_targets": "6 meetings a week\n30 dials a day",
    "v_period_start": "2027-01-04",
    "v_period_end": "2027-02-26",
    "v_review_dates": "every Friday",
    "v_consequences": "Employment may end.",
}


# Every request's time, for percentiles with and without signing in (benchmarks/loadtest.py).
_TIMINGS = os.environ.get("SALESRAMP_LOADTEST_TIMINGS")
_timings = open(_TIMINGS, "a", buffering=1) if _TIMINGS else None  # noqa: SIM115


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, **kwargs: Any) -> None:
    if _timings is not None:
        _timings.write(f"{name}\t{response_time:.1f}\t{int(exception is not None)}\n")


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


def sign_in(client: HttpSession, email: str) -> None:
    token = csrf_of(client.get("/login", name="/login").text)
    client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        name="/login [POST]",
    )


def expect(client: HttpSession, method: str, url: str, name: str, ok: set[int], **kw: Any) -> Any:
    """A request whose status must be in ``ok`` (anything else, and any 5xx, is a failure)."""
    with client.request(
        method, url, name=name, catch_response=True, allow_redirects=False, **kw
    ) as response:
        if response.status_code in ok:
            response.success()
        else:
            response.failure(f"{method} {name}: {response.status_code}")
        return response


class Rep(HttpUser):
    weight = 6
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.email = random.choice(list(REPS))
        sign_in(self.client, self.email)
        self.milestones: list[str] = []

    @task(5)
    def ramp(self) -> None:
        page = self.client.get("/ramp", name="/ramp")
        self.milestones = MILESTONE.findall(page.text) or self.milestones

    @task(2)
    def report_a_milestone(self) -> None:
        if not self.milestones:
            return
        number = random.choice(self.milestones)
        page = self.client.get(f"/milestones/{number}", name="/milestones/[id]")
        if f'action="/milestones/{number}/progress"' not in page.text:
            return  # done already, or waiting for the coach
        data = {"csrf_token": csrf_of(page.text), "value": "1", "note": "load test"}
        url = f"/milestones/{number}/progress"
        expect(self.client, "POST", url, "/milestones/[id]/progress", {302, 409}, data=data)

    @task(1)
    def own_pages(self) -> None:
        for url in ("/coaching/mine", "/certifications/mine", "/agreements/mine"):
            self.client.get(url, name=url)
        self.client.get("/coaching/notifications", name="/coaching/notifications")


class Coach(HttpUser):
    weight = 3
    wait_time = between(1, 3)

    def on_start(self) -> None:
        sign_in(self.client, random.choice(COACHES))
        self.reps: list[str] = []

    @task(3)
    def team(self) -> None:
        page = self.client.get("/team", name="/team")
        self.reps = [number for number, _ in REP_LINK.findall(page.text)] or self.reps

    @task(4)
    def a_rep(self) -> None:
        if not self.reps:
            return
        number = random.choice(self.reps)
        self.client.get(f"/reps/{number}", name="/reps/[id]")
        self.client.get(f"/coaching/reps/{number}", name="/coaching/reps/[id]")

    @task(1)
    def one_on_one(self) -> None:
        if self.reps:
            number = random.choice(self.reps)
            url = f"/coaching/reps/{number}/one-on-one"
            self.client.get(url, name="/coaching/reps/[id]/one-on-one")

    @task(1)
    def certifications(self) -> None:
        self.client.get("/certifications/team", name="/certifications/team")


class HR(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        sign_in(self.client, HR_EMAIL)
        self.reps: dict[str, str] = {}  # rep id -> legal name

    @task(3)
    def lists(self) -> None:
        self.client.get("/agreements", name="/agreements")
        page = self.client.get("/team", name="/team")
        self.reps = {number: name for number, name in REP_LINK.findall(page.text)} or self.reps

    @task(1)
    def certifications(self) -> None:
        self.client.get("/certifications/team", name="/certifications/team")

    @task(1)
    def draft_send_and_sign(self) -> None:
        """HR drafts and sends; the rep reads and signs; HR countersigns (sealed by the job)."""
        if not self.reps:
            return
        number, name = random.choice(list(self.reps.items()))
        email = next((mail for mail, legal in REPS.items() if legal == name), None)
        if email is None:
            return
        new = f"/agreements/new?rep_id={number}&template=performance-improvement"
        form = self.client.get(new, name="/agreements/new")
        data = {"csrf_token": csrf_of(form.text), **PIP_VALUES}
        saved = expect(self.client, "POST", new, "/agreements/new [POST]", {302}, data=data)
        found = AGREEMENT.search(saved.headers.get("Location", ""))
        if not found:
            return
        agreement = found.group(1)
        detail = self.client.get(f"/agreements/{agreement}", name="/agreements/[id]")
        send = f"/agreements/{agreement}/send"
        expect(self.client, "POST", send, "/agreements/[id]/send", {302}, data=_token(detail))

        rep = HttpSession(self.host, self.environment.events.request, user=self)
        sign_in(rep, email)
        self._sign(rep, agreement, name)
        self._sign(self.client, agreement, HR_NAME)

    def _sign(self, client: HttpSession, agreement: str, legal_name: str) -> None:
        page = client.get(f"/agreements/{agreement}/sign", name="/agreements/[id]/sign")
        token = _token(page)
        client.post(
            f"/agreements/{agreement}/read", data=token, name="/agreements/[id]/read [POST]"
        )
        consent = CONSENT.search(page.text)
        data = {**token, "consent": "y", "typed_name": legal_name}
        if consent:
            data["consent_version"] = consent.group(1)
        if 'name="password"' in page.text:
            data["password"] = PASSWORD
        url = f"/agreements/{agreement}/sign"
        expect(client, "POST", url, "/agreements/[id]/sign [POST]", {302, 409}, data=data)


def _token(page: Any) -> dict[str, str]:
    return {"csrf_token": csrf_of(page.text)}
