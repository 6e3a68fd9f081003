from django.utils.translation import gettext as _


class DomainError(Exception):
    """An action not allowed in the current state. Views show ``message`` to the user
    (form error or HTTP 409); it is never a 500."""

    status = 409

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def checked_text(value: str, *, label: str, limit: int, required: bool = True) -> str:
    """``value`` stripped, or a DomainError naming the field when it is empty (and
    required) or longer than ``limit`` characters. Services use it for text typed by
    people, so that the message says which text and by how much."""
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("%(field)s cannot be empty.") % {"field": label})
    if len(value) > limit:
        raise DomainError(
            _("%(field)s is too long: at most %(limit)d characters, this has %(length)d.")
            % {"field": label, "limit": limit, "length": len(value)}
        )
    return value


class AlreadySubmitted(Exception):
    """This form's one-time token was used by an earlier request, which did the work.

    Deliberately not a DomainError: views turn those into error messages, but a
    double click is not the user's mistake. It passes through the views to
    ``core.middleware.SubmissionMiddleware``, which leads the user where the first
    request did."""

    def __init__(self, token):
        super().__init__(f"form {token} was already submitted")
        self.token = token
