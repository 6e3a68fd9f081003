"""长辈版 (older residents' mode): which way a request's pages are shown, and where a
person's choice is kept.

The choice is kept twice: in a cookie, for everyone including visitors who are not
logged in, and on the signed-in person's account (``User.elder_mode``), so that it
follows them to every device. A choice on the account wins; an account that never
chose (None) goes by the cookie, so a mode chosen before logging in carries on.
Anything else in the cookie (a stale or hand-made value) means the standard mode.

The account belongs to ``accounts``, an app below core (DESIGN.md: imports run one
way), so the account writes through the function that app registers here from its
``ready()``: ``register_account_keeper(set_elder_mode)``.
"""

from collections.abc import Callable

MODE_COOKIE = "gongzhi_mode"
MODE_COOKIE_AGE = 365 * 24 * 60 * 60
ELDER, STANDARD = "elder", "standard"
MODES = (ELDER, STANDARD)

# (user=..., on=...) -> None: keeps the choice on the account; registered by accounts.
_account_keeper: Callable[..., object] | None = None


def register_account_keeper(keeper: Callable[..., object]) -> None:
    global _account_keeper
    _account_keeper = keeper


def keep_on_account(*, user, on: bool) -> None:
    """Keep a signed-in person's choice on their account, through the registered
    service (accounts.services.set_elder_mode)."""
    if _account_keeper is None:
        raise RuntimeError("no account keeper registered: is gongzhi.accounts installed?")
    _account_keeper(user=user, on=on)


def elder_mode_on(request) -> bool:
    """Whether this request's pages are shown in 长辈版. Reads no database: the user
    row is the one authentication already loaded."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        chosen = getattr(user, "elder_mode", None)
        if chosen is not None:
            return bool(chosen)
    return request.COOKIES.get(MODE_COOKIE) == ELDER
