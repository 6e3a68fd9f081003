"""What the provider backends (Alibaba, Tencent) share; first of all, keeping the
providers' SDKs from writing codes or secrets to the log.

Only the console backend ever logs a code. The provider SDKs would, at DEBUG:

- Tencent's (logger ``tencentcloud_sdk_common``) dumps every request ("SendRequest"),
  body included, so the template parameters, and every response;
- Alibaba's (``darabonba-core``, and ``alibabacloud-tea`` of the older core) dumps
  requests and responses when the environment has ``DEBUG=sdk``; its logger has its
  own stderr handler besides propagating to ours;
- urllib3 (under both) logs each request line, and Alibaba's SDK sends the message's
  parameters (``TemplateParam``, so the code) in the query string.

``quiet_sdk_logs()`` (called when a provider backend is imported) puts a filter on
those loggers: the SDKs' dumps are dropped whatever the level anyone sets, and
urllib3's lines keep their path but lose their query string. A filter on a logger
stays when a test or an operator lowers its level, unlike a level of our own. And
an SmsError's message goes through ``scrub()``; the SDK's exception is not chained to
it (its text may hold the request's URL, so the code).
"""

import json
import logging
import re
from datetime import datetime
from zoneinfo import ZoneInfo

# The SDKs' own loggers: everything they write at DEBUG is a dump of a request or a
# response. Their warnings and errors (none today) are kept.
SDK_DUMP_LOGGERS = ("tencentcloud_sdk_common", "darabonba-core", "alibabacloud-tea")
# urllib3's modules that log URLs (a filter on a logger does not apply to its children,
# so each is named).
URL_LOGGERS = (
    "urllib3",
    "urllib3.connectionpool",
    "urllib3.connection",
    "urllib3.poolmanager",
    "urllib3.response",
    "urllib3.util.retry",
)

_QUERY = re.compile(r"\?[^\s\"'<>)]*")


class DropSdkDumps(logging.Filter):
    def filter(self, record):
        return record.levelno > logging.DEBUG


class RedactQueryStrings(logging.Filter):
    """The record's message with every URL's query string replaced by ``?…``."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: let logging report it as it would
            return True
        redacted = _QUERY.sub("?…", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_installed = False


def quiet_sdk_logs() -> None:
    """Install the filters (once per process)."""
    global _installed
    if _installed:
        return
    for name in SDK_DUMP_LOGGERS:
        logging.getLogger(name).addFilter(DropSdkDumps())
    for name in URL_LOGGERS:
        logging.getLogger(name).addFilter(RedactQueryStrings())
    _installed = True


# -- the rest of what both backends use --------------------------------------------

CHINA = ZoneInfo("Asia/Shanghai")


def scrub(text: str, secrets) -> str:
    """``text`` without any of ``secrets`` (template parameters, the key secret) and
    without URL query strings (where an SDK may put the parameters), shortened: for an
    SmsError's message, which the pipeline may log."""
    for secret in secrets:
        if secret and len(secret) >= 3:
            text = text.replace(secret, "***")
    return _QUERY.sub("?…", text)[:300]


def is_loopback(endpoint: str) -> bool:
    """Whether ``endpoint`` ("host[:port]") is this machine: the tests' fake provider,
    the only one an SDK may speak plain http to."""
    host = endpoint.split("://")[-1].rsplit(":", 1)[0].strip("[]")
    return host in ("127.0.0.1", "localhost", "::1")


def json_array(body: bytes) -> list:
    """A delivery-report body: a JSON array, else ValueError."""
    try:
        data = json.loads(body)
    except (TypeError, ValueError, UnicodeDecodeError):
        raise ValueError("the body is not JSON") from None
    if not isinstance(data, list):
        raise ValueError("the body is not a JSON array of reports")
    return data


def beijing_time(value, field: str) -> datetime | None:
    """'2017-02-02 22:23:24' (Beijing time) as an aware datetime; None when absent."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"{field} is not a string")
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA)
    except ValueError:
        raise ValueError(f"{field} is not a time like 2017-02-02 22:23:24") from None
