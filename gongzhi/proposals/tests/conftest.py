"""Fixtures shared by the proposals tests."""

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded photos go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _proposal_settings(request):
    """The town's proposal settings exist, as after its first page: they are made with
    the defaults on first use, which would otherwise count as a refused action's
    write."""
    if "town" in request.fixturenames:
        from gongzhi.proposals.services import settings_for

        settings_for(request.getfixturevalue("town"))
