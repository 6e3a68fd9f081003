"""Fixtures of the paper tests: a plan at each step a resident can answer on paper."""

import pytest

from gongzhi.paper.tests.builders import plan_at_notice


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Uploaded files (drafts, photos of paper forms) go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def plan(town, area_a, people):
    """A plan of area A whose public notice runs (step 11), on its first draft."""
    return plan_at_notice(town=town, area=area_a, people=people)
