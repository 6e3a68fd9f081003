import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gongzhi.core.errors import AlreadySubmitted, DomainError
from gongzhi.core.models import Submission
from gongzhi.core.services import SUBMISSION_FIELD, submission_key


class RequestSizeLimitMiddleware:
    """Answer an oversized request with a clear 413 page before any of it is read.

    Django alone would raise RequestDataTooBig deep in form parsing and show a bare
    400; residents uploading phone photos deserve to know what went wrong.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.GONGZHI_MAX_REQUEST_BYTES
        if length > limit:
            response = render(
                request,
                "errors/error.html",
                {
                    "status": 413,
                    "title": _("Upload too large"),
                    "message": _(
                        "What you sent is %(size)d MB; the limit is %(limit)d MB. "
                        "Please send smaller files or fewer at once."
                    )
                    % {"size": length // (1024 * 1024), "limit": limit // (1024 * 1024)},
                },
                status=413,
            )
            # Nothing of the body was read, so the connection cannot be reused.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class SubmissionMiddleware:
    """Lead a form sent twice to where its first sending led.

    With a double click the browser shows the answer to the LAST request, which is
    the duplicate; the service refused it (AlreadySubmitted), so the answer must not
    be an error page. The first request's answer is noted on its submission row;
    the duplicate is sent to the same page with a calm note.
    """

    # The duplicate learns of the first request at its commit, a moment before the
    # first answer is noted; how long it waits for that note at most.
    WAIT_SECONDS = 3.0

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self._key(request) if request.method == "POST" else None
        if key is not None and Submission.objects.filter(token=key).exists():
            # Sent again after the first sending was stored: the page's form may no
            # longer even validate (what it chose is used up), so do not run it.
            return self._lead_to_first(request, key)
        response = self.get_response(request)
        if key is None:
            return response
        if response.status_code < 400:
            led_to = response.get("Location") or request.get_full_path()
            Submission.objects.filter(token=key, next_url="").update(next_url=led_to[:500])
        elif Submission.objects.filter(token=key).exists():
            # Refused because an identical request, committed meanwhile, changed
            # what the form may choose (its claim was not reached): the same case.
            return self._lead_to_first(request, key)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, AlreadySubmitted):
            return None
        return self._lead_to_first(request, exception.token)

    def _lead_to_first(self, request, key):
        deadline = time.monotonic() + self.WAIT_SECONDS
        while True:
            first = Submission.objects.filter(token=key).first()
            if (first and first.next_url) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        if first and first.next_url and first.user_id == request.user.pk:
            led_to = first.next_url
        else:
            led_to = request.get_full_path()
        messages.info(request, _("This was already sent; there is no need to send it again."))
        return redirect(led_to)

    @staticmethod
    def _key(request):
        if request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return None
        try:
            return submission_key(request.POST.get(SUBMISSION_FIELD))
        except DomainError:
            return None
