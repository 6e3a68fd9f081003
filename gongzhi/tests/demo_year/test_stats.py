"""The demo year's reported figures (PROGRAMME.md "Results reported for 2023"),
as GET /api/v1/stats returns them."""

URL = "/api/v1/stats"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_demo_year_shows_the_reported_figures(town, client):
    response = client.get(URL, {"year": 2023, "town": "gaojing"}, **EN)
    assert response.status_code == 200
    figures = {key: f["value"] for key, f in response.json()["figures"].items()}
    assert figures["areas_served"] == 32
    assert figures["partners"] == 93
    assert figures["activities"] >= 10
    assert figures["projects"] == 7
    assert figures["person_times"] >= 6000
    assert figures["proposals"] == 44
    assert figures["meetings"] == 96
    # The others are there too, counted from the same records.
    assert figures["party_members"] > 0
    assert figures["people"] > 0
    assert figures["processes"] > 0
    assert figures["volunteer_hours"] > 0
    assert 1 <= figures["satisfaction"] <= 5 and 1 <= figures["gain"] <= 5


def test_the_demo_year_for_the_named_area(town, client):
    data = client.get(URL, {"year": 2023, "town": "gaojing", "area": "01"}).json()
    assert data["area"]["name"] == "逸景佳苑"
    assert data["figures"]["areas_served"]["value"] == 1
    town = client.get(URL, {"year": 2023, "town": "gaojing"}).json()
    row = next(r for r in town["areas"] if r["area"]["code"] == "01")
    for key in ("partners", "activities", "proposals", "meetings", "projects"):
        assert row[key] == data["figures"][key]["value"], key
