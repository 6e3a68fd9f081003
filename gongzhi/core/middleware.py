from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _


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
