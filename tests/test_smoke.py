def test_rep_sees_their_ramp(make_rep, login):
    rep = make_rep(day_of_ramp=12)
    client = login(rep)
    page = client.get("/ramp")
    assert page.status_code == 200
    assert "Day 12" in page.text
