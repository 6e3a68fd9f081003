"""The demo year's reported figures (PROGRAMME.md "Results reported for 2023"),
as GET /api/v1/stats returns them."""

import re
from pathlib import Path

URL = "/api/v1/stats"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ROOT = Path(__file__).resolve().parents[3]

# The seed is deterministic, so every figure is pinned. The first seven are the
# programme's reported figures, stated in README.md and docs/reports.md.
DOCUMENTED = {
    "areas_served": 32,
    "partners": 93,
    "activities": 17,
    "projects": 7,
    "person_times": 6195,
    "proposals": 44,
    "meetings": 96,
}
OTHERS = {
    "party_members": 20,
    "people": 1740,
    "projects_by_status": 7,
    "processes": 18,
    "volunteer_hours": 222.1,
    "venue_hours": 119.5,
    "articles": 7,
    "satisfaction": 4.4,
    "gain": 4.3,
}


def test_the_demo_year_shows_the_reported_figures(town, client):
    response = client.get(URL, {"year": 2023, "town": "gaojing"}, **EN)
    assert response.status_code == 200
    figures = {key: f["value"] for key, f in response.json()["figures"].items()}
    assert figures == DOCUMENTED | OTHERS


def test_the_docs_state_the_pinned_figures():
    """README.md and docs/reports.md say the same seven figures the test above pins."""
    words = {
        "areas_served": "areas served",
        "partners": "partners",
        "activities": "activities",
        "projects": "projects",
        "person_times": "person-times",
        "proposals": "proposals",
        "meetings": "meetings",
    }
    sentence = ", ".join(f"{DOCUMENTED[key]:,} {word}" for key, word in words.items())
    for doc in ("README.md", "docs/reports.md"):
        text = re.sub(r"\s+", " ", (ROOT / doc).read_text())
        assert sentence in text, doc


def test_the_demo_year_for_the_named_area(town, client):
    data = client.get(URL, {"year": 2023, "town": "gaojing", "area": "01"}).json()
    assert data["area"]["name"] == "逸景佳苑"
    assert data["figures"]["areas_served"]["value"] == 1
    town = client.get(URL, {"year": 2023, "town": "gaojing"}).json()
    row = next(r for r in town["areas"] if r["area"]["code"] == "01")
    for key in ("partners", "activities", "proposals", "meetings", "projects"):
        assert row[key] == data["figures"][key]["value"], key
