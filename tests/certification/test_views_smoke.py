from app.accounts.models import Role


import pytest


# WeasyPrint leaves its sRGB profile file for the garbage collector (PDF/A output intent).
@pytest.mark.filterwarnings(
    "ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning"
)
def test_coach_assesses_and_rep_sees(make_rep, make_user, login, client, rubric, form_data):
    rep = make_rep(day_of_ramp=20)
    coach = rep.coach
    login(coach)
    for url in [
        "/certifications/",
        "/certifications/team",
        f"/certifications/reps/{rep.id}",
        f"/certifications/reps/{rep.id}/prospecting",
        f"/certifications/reps/{rep.id}/prospecting/assess",
        "/certifications/rubrics",
        "/certifications/rubrics/print",
        "/certifications/rubrics/discovery",
        "/certifications/calibration/discovery",
        "/curriculum/",
        f"/reps/{rep.id}",
    ]:
        r = client.get(url, follow_redirects=True)
        assert r.status_code == 200, (url, r.text[:3000])
    r = client.post(
        f"/certifications/reps/{rep.id}/prospecting/assess", data=form_data(rubric("prospecting"))
    )
    assert r.status_code == 302, r.text
    page = client.get(f"/certifications/reps/{rep.id}/prospecting")
    assert "Passed" in page.text
    from app.certification.models import CertificationAttempt
    from app.extensions import db

    attempt = db.session.scalars(db.select(CertificationAttempt)).one()
    for url in [
        f"/certifications/attempts/{attempt.id}",
        f"/certifications/scores/{attempt.assessments[0].scores[0].id}/correct",
    ]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.text[:3000])
    r = client.get(f"/certifications/attempts/{attempt.id}/certificate.pdf")
    assert r.status_code == 200 and r.data.startswith(b"%PDF")
    client.post("/logout")
    login(rep)
    for url in [
        "/certifications/",
        "/certifications/mine",
        f"/certifications/reps/{rep.id}/prospecting",
        f"/certifications/attempts/{attempt.id}",
        "/ramp",
        "/certifications/mine/qualification/self-assessment",
    ]:
        r = client.get(url, follow_redirects=True)
        assert r.status_code == 200, (url, r.text[:3000])
