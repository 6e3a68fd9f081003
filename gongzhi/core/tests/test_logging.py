"""Refused requests (403, 404, 409) are logged as one INFO line; a real error (500)
keeps its ERROR level and traceback."""

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import include, path

from config.urls import handler403, handler404, handler500  # noqa: F401 - this urlconf's too
from gongzhi.core.views import error_page


def _forbidden(request):
    raise PermissionDenied


def _missing(request):
    raise Http404


def _conflict(request):
    return error_page(request, 409, "Not possible", "Not in this state.")


def _broken(request):
    raise RuntimeError("a real fault")


urlpatterns = [
    path("forbidden/", _forbidden),
    path("missing/", _missing),
    path("conflict/", _conflict),
    path("broken/", _broken),
    path("", include("config.urls")),  # the pages' templates link to the real URLs
]


@pytest.fixture
def request_log(settings, caplog):
    settings.ROOT_URLCONF = __name__
    caplog.set_level(logging.INFO)

    def records(url, status):
        caplog.clear()
        response = Client(raise_request_exception=False).get(url)
        assert response.status_code == status
        return [r for r in caplog.records if r.name == "django.request"]

    return records


@pytest.mark.parametrize(
    ("url", "status"),
    [("/forbidden/", 403), ("/missing/", 404), ("/no-such-page/", 404), ("/conflict/", 409)],
)
def test_a_refused_request_is_one_info_line_without_a_traceback(request_log, url, status):
    (record,) = request_log(url, status)
    assert record.levelno == logging.INFO and record.levelname == "INFO"
    assert record.exc_info is None and record.exc_text is None
    line = logging.Formatter("%(levelname)s %(name)s %(message)s").format(record)
    assert "\n" not in line and url in line


def test_a_real_error_keeps_its_level_and_traceback(request_log):
    (record,) = request_log("/broken/", 500)
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
    assert "Traceback" in logging.Formatter().format(record)


def test_below_info_the_refusals_are_not_written(request_log, caplog):
    logging.getLogger("django.request").setLevel(logging.WARNING)
    try:
        assert request_log("/forbidden/", 403) == []
    finally:
        logging.getLogger("django.request").setLevel(logging.NOTSET)
