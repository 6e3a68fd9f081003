"""Fixtures shared by the planning tests."""

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Evidence files (photos, drafts) go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
