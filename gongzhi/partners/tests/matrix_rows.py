"""Permission-matrix rows for the ledger URLs, to merge into
gongzhi/tests/test_permission_matrix.py.

Each entry is (url builder, expected status per role, note), the arguments of the
matrix's ``Case``: ``MATRIX.update({name: [Case(*row) for row in rows] for name, rows in
LEDGER_ROWS.items()})``, or paste them. Only the conftest is imported, so the matrix
may import this module without a cycle.
"""

from django.urls import reverse

from gongzhi.conftest import ROLES

OK, DENIED, LOGIN = 200, 403, "login"


def _only(allowed: set[str]) -> dict[str, object]:
    return {
        role: (LOGIN if role == "anonymous" else OK if role in allowed else DENIED)
        for role in ROLES
    }


def _town_url(name, key):
    return lambda w: reverse(name, args=[w[key]])


LEDGER_ROWS = {
    # The roster: the town's secretariat whole, area staff their own areas' partners.
    "partners:roster_export": [
        (
            _town_url("partners:roster_export", "town_slug"),
            _only({"area_staff", "secretariat", "administrator"}),
            "area staff get only their areas' rows",
        ),
        (
            _town_url("partners:roster_export", "other_town_slug"),
            _only({"other_secretariat", "administrator"}),
            "the other town's roster",
        ),
    ],
    "partners:import": [
        (
            _town_url("partners:import", "town_slug"),
            _only({"secretariat", "administrator"}),
            "",
        ),
        (
            _town_url("partners:import", "other_town_slug"),
            _only({"other_secretariat", "administrator"}),
            "the other town's import",
        ),
    ],
    # No personal data, but only for those who may import somewhere.
    "partners:import_template": [
        (
            lambda w: reverse("partners:import_template"),
            _only({"secretariat", "other_secretariat", "administrator"}),
            "",
        ),
        (
            lambda w: reverse("partners:import_template") + f"?town={w['town_slug']}",
            _only({"secretariat", "administrator"}),
            "with the town's areas",
        ),
    ],
}
