"""Fakes of Alibaba Cloud SMS and Tencent Cloud SMS on 127.0.0.1, for tests.

Each fake is an HTTP server in a thread (port 0: any free port) that speaks the
provider's SendSms API as the official SDK calls it, with the provider's own answers::

    with FakeAliyun() as fake:                      # or the fixtures fake_aliyun,
        settings.GONGZHI_SMS = fake.options()       # fake_tencent of core's tests
        backend = get_backend()
        fake.answer_error("isv.BUSINESS_LIMIT_CONTROL")   # the next answer; then success
        ...
        fake.requests[-1].params["TemplateCode"]

What a fake checks, as the provider does, before any scripted answer:

- the request's signature, recomputed here from the request as received and the
  secret the fake knows, after the provider's documented algorithm (Alibaba: V3,
  ``ACS3-HMAC-SHA256``; Tencent: ``TC3-HMAC-SHA256``), written here independently of
  the SDKs' signing code; a mismatch gets the provider's signature error
  (``SignatureDoesNotMatch``, ``AuthFailure.SignatureFailure``), an unknown key id,
  a stale timestamp or a reused nonce theirs;
- the action and version, and the required parameters (phone numbers, signature name,
  template id, SdkAppId), their form, that the signature name and template are among
  the "approved" ones and that the template's parameters are all given.

Then the scripted answers are used in order, one per request, and success once they
run out: ``answer_ok(...)``, ``answer_error(code)`` (each documented error code, in the
form the provider gives it), ``answer_http(status, body)``, ``answer_slow(seconds)``
(the next answer only after ``seconds``, beyond the backend's timeout).

``fake.requests`` holds every request received (``ReceivedRequest``: headers, parsed
parameters, whether the signature was right, what was answered, the message as the
approved template renders it).
"""

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

from .base import segments


@dataclass
class ReceivedRequest:
    method: str
    path: str
    # Header names in lower case.
    headers: dict[str, str]
    body: bytes
    # The API's parameters: Alibaba's from the query string (and form body), Tencent's
    # from the JSON body.
    params: dict = field(default_factory=dict)
    signature_ok: bool = False
    # The code answered ("OK", "Ok", an error code, "HTTP 500") and the body answered
    # (parsed JSON, or bytes).
    answered: str = ""
    answer: dict | bytes | None = None
    # The message the approved template gives with these parameters, signature first.
    text: str = ""


@dataclass
class _Answer:
    kind: str  # "ok", "error", "http"
    code: str = ""
    message: str = ""
    status: int = 500
    body: bytes | None = None
    content_type: str = "application/json"
    delay: float = 0.0
    extra: dict = field(default_factory=dict)


class _Reply(Exception):
    """Raised inside the handling of a request: answer this at once."""

    def __init__(self, status: int, payload, answered: str, content_type="application/json"):
        self.status = status
        self.payload = payload
        self.answered = answered
        self.content_type = content_type


class FakeProvider:
    """What both fakes share: the server, the recorded requests, the scripted answers."""

    backend = ""

    def __init__(self):
        self.requests: list[ReceivedRequest] = []
        self._answers: deque[_Answer] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = None
        self._thread = None

    # -- the server -----------------------------------------------------------------

    def start(self):
        fake = self
        self._stopping.clear()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                fake._handle(self)

            do_GET = do_POST

            def log_message(self, format, *args):
                # Not to stderr: the request line holds Alibaba's TemplateParam.
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()  # a slow answer stops waiting
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=2)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def endpoint(self) -> str:
        """Where the fake listens, "127.0.0.1:<port>" (GONGZHI_SMS["ENDPOINT"])."""
        return f"127.0.0.1:{self._server.server_address[1]}"

    # -- scripting the next answers -------------------------------------------------

    def answer_ok(self, **extra):
        """Accept the next message (fields of the answer may be given, e.g. Fee=2)."""
        self._script(_Answer("ok", extra=extra))

    def answer_error(self, code: str, message: str = "", **extra):
        """Refuse the next message with the provider's error ``code``, in the form the
        provider gives that code."""
        self._script(_Answer("error", code=code, message=message, extra=extra))

    def answer_http(self, status: int = 500, body: bytes | None = None, content_type=None):
        """Answer the next request with this HTTP status (and body: by default what the
        provider's gateway sends with it)."""
        self._script(_Answer("http", status=status, body=body, content_type=content_type or ""))

    def answer_slow(self, seconds: float = 2.0):
        """Answer the next request only after ``seconds`` (a success, or the scripted
        answer after this one)."""
        self._script(_Answer("slow", delay=seconds))

    def _script(self, answer):
        with self._lock:
            self._answers.append(answer)

    def _next_answer(self) -> _Answer:
        delay = 0.0
        with self._lock:
            while self._answers and self._answers[0].kind == "slow":
                delay += self._answers.popleft().delay
            answer = self._answers.popleft() if self._answers else _Answer("ok")
        answer.delay += delay
        return answer

    # -- handling one request -------------------------------------------------------

    def _handle(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        headers = {}
        for name in {key.lower() for key in handler.headers}:
            headers[name] = ",".join(v.strip() for v in handler.headers.get_all(name))
        received = ReceivedRequest(handler.command, handler.path, headers, body)
        with self._lock:
            self.requests.append(received)
        try:
            self._check(received)
            answer = self._next_answer()
            if answer.delay and self._stopping.wait(answer.delay):
                return
            status, payload, answered, content_type = self._answer(received, answer)
        except _Reply as reply:
            status, payload = reply.status, reply.payload
            answered, content_type = reply.answered, reply.content_type
        received.answered, received.answer = answered, payload
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:
            pass  # the client gave up (a timeout)

    def _check(self, received: ReceivedRequest):
        raise NotImplementedError

    def _answer(self, received: ReceivedRequest, answer: _Answer):
        raise NotImplementedError


def _request_id() -> str:
    return str(uuid.uuid4()).upper()


# -- Alibaba Cloud ----------------------------------------------------------------------

# Alibaba's documented errors that its API gateway answers with an HTTP error status
# (the others, isv.* and isp.*, come in an HTTP 200 body with their Code).
ALIYUN_HTTP_ERRORS = {
    "SignatureDoesNotMatch": (400, "Specified signature does not match our calculation."),
    "IncompleteSignature": (400, "The request signature does not conform to Aliyun standards."),
    "InvalidAccessKeyId.NotFound": (404, "Specified access key is not found."),
    "InvalidAccessKeyId.Inactive": (400, "Specified access key is disabled."),
    "InvalidTimeStamp.Expired": (400, "Specified time stamp or date value is expired."),
    "SignatureNonceUsed": (400, "Specified signature nonce was used already."),
    "InvalidAction.NotFound": (404, "Specified api is not found, please check your url."),
    "InvalidVersion": (400, "Specified parameter Version is not valid."),
    "MissingPhoneNumbers": (400, "PhoneNumbers is mandatory for this action."),
    "MissingSignName": (400, "SignName is mandatory for this action."),
    "MissingTemplateCode": (400, "TemplateCode is mandatory for this action."),
    "Throttling.User": (400, "Request was denied due to user flow control."),
    "Throttling.Api": (400, "Request was denied due to api flow control."),
    "Forbidden.RAM": (403, "User not authorized to operate on the specified resource."),
    "InternalError": (500, "The request processing has failed due to some unknown error."),
    "ServiceUnavailable": (503, "The request has failed due to a temporary failure."),
}
# The documented SendSms codes (in an HTTP 200 body) and their messages.
ALIYUN_BODY_ERRORS = {
    "isv.BUSINESS_LIMIT_CONTROL": "business limit control (per number flow control)",
    "isv.DAY_LIMIT_CONTROL": "daily sending limit reached",
    "isv.MOBILE_NUMBER_ILLEGAL": "illegal mobile number",
    "isv.MOBILE_COUNT_OVER_LIMIT": "too many mobile numbers",
    "isv.SMS_TEMPLATE_ILLEGAL": "the template does not exist or is not approved",
    "isv.SMS_SIGNATURE_ILLEGAL": "the signature does not exist or is not approved",
    "isv.TEMPLATE_MISSING_PARAMETERS": "template parameters missing",
    "isv.TEMPLATE_PARAMS_ILLEGAL": "illegal template parameter",
    "isv.INVALID_JSON_PARAM": "TemplateParam is not valid JSON",
    "isv.INVALID_PARAMETERS": "invalid parameters",
    "isv.PARAM_LENGTH_LIMIT": "a parameter is too long",
    "isv.PARAM_NOT_SUPPORT_URL": "parameters may not hold links",
    "isv.AMOUNT_NOT_ENOUGH": "the account's balance is not enough",
    "isv.OUT_OF_SERVICE": "service stopped (arrears)",
    "isv.PRODUCT_UN_SUBSCRIPT": "the product is not subscribed",
    "isv.ACCOUNT_NOT_EXISTS": "the account does not exist",
    "isv.ACCOUNT_ABNORMAL": "the account is abnormal",
    "isv.BLACK_KEY_CONTROL_LIMIT": "blacklisted keyword",
    "isv.DENY_IP_RANGE": "the source IP address is denied",
    "isp.RAM_PERMISSION_DENY": "RAM permission denied",
    "isp.SYSTEM_ERROR": "system error",
}


class FakeAliyun(FakeProvider):
    """Alibaba Cloud SMS (Dysmsapi 2017-05-25 SendSms), V3 signature.

    ``templates``: the approved template codes, each with its text (parameters as
    ``${name}``); ``sign_names``: the approved signatures."""

    backend = "gongzhi.core.sms.aliyun.AliyunBackend"
    ACCESS_KEY_ID = "LTAI5tFakeKeyForTests"
    ACCESS_KEY_SECRET = "fake-aliyun-secret-K7q2Zp9w"
    SIGN_NAME = "共治平台"
    TEMPLATES = {
        "SMS_460001": "您的验证码为${code}，${minutes}分钟内有效，请勿泄露于他人。",
        "SMS_460002": "您关注的${title}有了新进展，请登录共治平台查看。",
    }
    # The template keys of GONGZHI_SMS["TEMPLATES"] in options().
    TEMPLATE_KEYS = {"code": "SMS_460001", "notice": "SMS_460002"}

    def __init__(
        self, *, access_key_id=None, access_key_secret=None, sign_names=None, templates=None
    ):
        super().__init__()
        self.access_key_id = access_key_id or self.ACCESS_KEY_ID
        self.access_key_secret = access_key_secret or self.ACCESS_KEY_SECRET
        self.sign_names = set(sign_names or {self.SIGN_NAME})
        self.templates = dict(templates or self.TEMPLATES)
        self._nonces = set()

    def options(self, **overrides) -> dict:
        """GONGZHI_SMS for the Alibaba backend pointed at this fake."""
        return {
            "BACKEND": self.backend,
            "SIGN_NAME": self.SIGN_NAME,
            "ACCESS_KEY_ID": self.access_key_id,
            "ACCESS_KEY_SECRET": self.access_key_secret,
            "APP_ID": "",
            "REGION": "",
            "ENDPOINT": self.endpoint,
            "TEMPLATES": dict(self.TEMPLATE_KEYS),
            "RECEIPT_TOKEN": "",
            # Generous: a loaded 2-core machine once took over 0.5 s to answer; the
            # timeout tests set their own short one.
            "TIMEOUT": 3,
            **overrides,
        }

    # -- the checks -----------------------------------------------------------------

    def _check(self, received):
        url = urlsplit(received.path)
        query = parse_qsl(url.query, keep_blank_values=True)
        form = []
        if received.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            form = parse_qsl(received.body.decode(), keep_blank_values=True)
        received.params = dict(query + form)
        self._check_signature(received, url.path or "/", query)
        received.signature_ok = True
        headers, params = received.headers, received.params
        if headers.get("x-acs-action") != "SendSms":
            raise self._error("InvalidAction.NotFound")
        if headers.get("x-acs-version") != "2017-05-25":
            raise self._error("InvalidVersion")
        for name in ("PhoneNumbers", "SignName", "TemplateCode"):
            if not params.get(name):
                raise self._error(f"Missing{name}")
        phones = params["PhoneNumbers"].split(",")
        if len(phones) > 1000:
            raise self._error("isv.MOBILE_COUNT_OVER_LIMIT")
        if not all(re.fullmatch(r"(\+?86)?1\d{10}", phone) for phone in phones):
            raise self._error("isv.MOBILE_NUMBER_ILLEGAL")
        if params["SignName"] not in self.sign_names:
            raise self._error("isv.SMS_SIGNATURE_ILLEGAL")
        template = self.templates.get(params["TemplateCode"])
        if template is None:
            raise self._error("isv.SMS_TEMPLATE_ILLEGAL")
        try:
            values = json.loads(params.get("TemplateParam") or "{}")
        except ValueError:
            raise self._error("isv.INVALID_JSON_PARAM") from None
        if not isinstance(values, dict):
            raise self._error("isv.INVALID_JSON_PARAM")
        names = re.findall(r"\$\{(\w+)\}", template)
        if any(name not in values for name in names):
            raise self._error("isv.TEMPLATE_MISSING_PARAMETERS")
        text = re.sub(r"\$\{(\w+)\}", lambda m: str(values[m.group(1)]), template)
        received.text = f"【{params['SignName']}】{text}"

    def _check_signature(self, received, path, query):
        """Alibaba's V3 signature (ACS3-HMAC-SHA256), as documented:

        CanonicalRequest = Method \\n CanonicalURI \\n CanonicalQueryString \\n
            CanonicalHeaders \\n SignedHeaders \\n HashedRequestPayload
        StringToSign = "ACS3-HMAC-SHA256" \\n hex(sha256(CanonicalRequest))
        Signature = hex(hmac_sha256(AccessKeySecret, StringToSign))
        Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,
            SignedHeaders=<names;…>,Signature=<hex>

        Parameters and values are percent-encoded after RFC 3986 (space %20, only
        A-Z a-z 0-9 - _ . ~ left as they are) and sorted by name; the canonical headers
        are ``name:value`` in lower case and sorted, and must include host and every
        x-acs-* header (content-type too when there is one); x-acs-content-sha256 is the
        hex SHA-256 of the body."""
        headers = received.headers
        match = re.fullmatch(
            r"ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})",
            headers.get("authorization", ""),
        )
        if not match:
            raise self._error("IncompleteSignature")
        key_id, signed, signature = match.groups()
        if key_id != self.access_key_id:
            raise self._error("InvalidAccessKeyId.NotFound")
        signed_names = signed.split(";")
        must_sign = {"host"} | {name for name in headers if name.startswith("x-acs-")}
        if "content-type" in headers:
            must_sign.add("content-type")
        if not must_sign <= set(signed_names) or signed_names != sorted(signed_names):
            raise self._error("IncompleteSignature")
        payload_hash = hashlib.sha256(received.body).hexdigest()
        if headers.get("x-acs-content-sha256") != payload_hash:
            raise self._error("SignatureDoesNotMatch")
        try:
            sent_at = datetime.strptime(headers.get("x-acs-date", ""), "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            raise self._error("InvalidTimeStamp.Expired") from None
        if abs(datetime.now(UTC).replace(tzinfo=None) - sent_at).total_seconds() > 15 * 60:
            raise self._error("InvalidTimeStamp.Expired")

        def encode(text):
            return quote(text, safe="-_.~", encoding="utf-8")

        canonical_query = "&".join(
            f"{name}={value}" for name, value in sorted((encode(k), encode(v)) for k, v in query)
        )
        canonical_headers = "".join(
            f"{name}:{headers.get(name, '').strip()}\n" for name in signed_names
        )
        canonical_request = "\n".join(
            [
                received.method,
                quote(path, safe="/-_.~"),
                canonical_query,
                canonical_headers,
                signed,
                payload_hash,
            ]
        )
        string_to_sign = (
            "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical_request.encode()).hexdigest()
        )
        expected = hmac.new(
            self.access_key_secret.encode(), string_to_sign.encode(), hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(expected, signature):
            raise self._error("SignatureDoesNotMatch")
        nonce = headers.get("x-acs-signature-nonce", "")
        with self._lock:
            if not nonce or nonce in self._nonces:
                raise self._error("SignatureNonceUsed")
            self._nonces.add(nonce)

    # -- the answers ----------------------------------------------------------------

    def _error(self, code, message="") -> _Reply:
        request_id = _request_id()
        if code in ALIYUN_HTTP_ERRORS:
            status, default = ALIYUN_HTTP_ERRORS[code]
            payload = {
                "RequestId": request_id,
                "HostId": "dysmsapi.aliyuncs.com",
                "Code": code,
                "Message": message or default,
                "Recommend": f"https://api.aliyun.com/troubleshoot?q={code}&product=Dysmsapi",
            }
            return _Reply(status, payload, code)
        message = message or ALIYUN_BODY_ERRORS.get(code, code)
        return _Reply(200, {"RequestId": request_id, "Code": code, "Message": message}, code)

    def _answer(self, received, answer):
        if answer.kind == "error":
            reply = self._error(answer.code, answer.message)
            return reply.status, reply.payload, reply.answered, reply.content_type
        if answer.kind == "http":
            if answer.body is None:
                code = "ServiceUnavailable" if answer.status == 503 else "InternalError"
                reply = self._error(code)
                return answer.status, reply.payload, f"HTTP {answer.status}", "application/json"
            content_type = answer.content_type or "text/html"
            return answer.status, answer.body, f"HTTP {answer.status}", content_type
        biz_id = f"{secrets.randbelow(10**18):018d}^0"
        payload = {"RequestId": _request_id(), "Code": "OK", "Message": "OK", "BizId": biz_id}
        payload.update(answer.extra)
        return 200, payload, "OK", "application/json"


# -- Tencent Cloud ----------------------------------------------------------------------

# Tencent's documented SendSms codes that concern one number: they come as that
# number's SendStatus.Code (the request itself succeeds); the others as Response.Error.
TENCENT_PER_NUMBER = frozenset(
    {
        "InvalidParameterValue.IncorrectPhoneNumber",
        "FailedOperation.PhoneNumberInBlacklist",
        "FailedOperation.PhoneNumberParseFail",
        "LimitExceeded.PhoneNumberDailyLimit",
        "LimitExceeded.PhoneNumberOneHourLimit",
        "LimitExceeded.PhoneNumberThirtySecondLimit",
        "LimitExceeded.PhoneNumberSameContentDailyLimit",
        "LimitExceeded.DeliveryFrequencyLimit",
        "UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone",
        "UnsupportedOperation.GlobalTemplateToChineseMainlandPhone",
    }
)
TENCENT_MESSAGES = {
    "AuthFailure.SignatureFailure": "The provided credentials could not be validated. "
    "Please check your signature is correct.",
    "AuthFailure.SignatureExpire": "Signature expired. Timestamp and server time cannot "
    "differ by more than 5 minutes.",
    "AuthFailure.SecretIdNotFound": "The SecretId is not found, please ensure that your "
    "SecretId is correct.",
    "AuthFailure.InvalidAuthorization": "The Authorization in the request header is invalid.",
    "InvalidAction": "The requested action does not exist.",
    "NoSuchVersion": "The requested version does not exist.",
    "MissingParameter": "A required parameter is missing.",
    "MissingParameter.EmptyPhoneNumberSet": "The phone number set is empty.",
    "RequestLimitExceeded": "Your current request times exceeds limit.",
    "InternalError": "An internal error has occurred.",
    "InternalError.Timeout": "Request timed out.",
    "InvalidParameterValue.IncorrectPhoneNumber": "invalid number",
    "InvalidParameterValue.SdkAppIdNotExist": "SdkAppId does not exist.",
    "FailedOperation.TemplateIncorrectOrUnapproved": "template is not approved or request "
    "content does not match the approved template content",
    "FailedOperation.SignatureIncorrectOrUnapproved": "signature format is incorrect or "
    "signature is not approved",
    "FailedOperation.TemplateParamSetNotMatchApprovedTemplate": "the number of template "
    "parameters does not match the template",
    "FailedOperation.InsufficientBalanceInSmsPackage": "insufficient balance in SMS package",
    "LimitExceeded.PhoneNumberDailyLimit": "the number of SMS messages sent from a single "
    "mobile number every day exceeds the upper limit",
}


class FakeTencent(FakeProvider):
    """Tencent Cloud SMS (2021-01-11 SendSms), TC3-HMAC-SHA256 signature.

    ``templates``: the approved template ids, each with its text (parameters as {1},
    {2}…); ``sign_names``: the approved signatures; ``app_id``: the SdkAppId."""

    backend = "gongzhi.core.sms.tencent.TencentBackend"
    SECRET_ID = "AKIDfakeSecretIdForTests0000000000"
    SECRET_KEY = "fake-tencent-secret-Hn4mW8xq"
    APP_ID = "1400000001"
    SIGN_NAME = "共治平台"
    TEMPLATES = {
        "1900001": "您的验证码为{1}，{2}分钟内有效，请勿泄露于他人。",
        "1900002": "您关注的{1}有了新进展，请登录共治平台查看。",
    }
    TEMPLATE_KEYS = {"code": "1900001", "notice": "1900002"}

    def __init__(
        self, *, secret_id=None, secret_key=None, app_id=None, sign_names=None, templates=None
    ):
        super().__init__()
        self.secret_id = secret_id or self.SECRET_ID
        self.secret_key = secret_key or self.SECRET_KEY
        self.app_id = app_id or self.APP_ID
        self.sign_names = set(sign_names or {self.SIGN_NAME})
        self.templates = dict(templates or self.TEMPLATES)

    def options(self, **overrides) -> dict:
        """GONGZHI_SMS for the Tencent backend pointed at this fake."""
        return {
            "BACKEND": self.backend,
            "SIGN_NAME": self.SIGN_NAME,
            "ACCESS_KEY_ID": self.secret_id,
            "ACCESS_KEY_SECRET": self.secret_key,
            "APP_ID": self.app_id,
            "REGION": "ap-guangzhou",
            "ENDPOINT": self.endpoint,
            "TEMPLATES": dict(self.TEMPLATE_KEYS),
            "RECEIPT_TOKEN": "",
            # Generous: a loaded 2-core machine once took over 0.5 s to answer; the
            # timeout tests set their own short one.
            "TIMEOUT": 3,
            **overrides,
        }

    # -- the checks -----------------------------------------------------------------

    def _check(self, received):
        if received.method != "POST":
            raise self._error("UnsupportedProtocol")
        try:
            received.params = json.loads(received.body or b"{}")
        except ValueError:
            raise self._error("FailedOperation.JsonParseFail") from None
        if not isinstance(received.params, dict):
            raise self._error("FailedOperation.JsonParseFail")
        self._check_signature(received)
        received.signature_ok = True
        headers, params = received.headers, received.params
        if headers.get("x-tc-action") != "SendSms":
            raise self._error("InvalidAction")
        if headers.get("x-tc-version") != "2021-01-11":
            raise self._error("NoSuchVersion")
        if not headers.get("x-tc-region"):
            raise self._error(
                "MissingParameter", "The request is missing a required parameter `Region`."
            )
        phones = params.get("PhoneNumberSet") or []
        if not phones:
            raise self._error("MissingParameter.EmptyPhoneNumberSet")
        for name in ("SmsSdkAppId", "TemplateId", "SignName"):
            if not params.get(name):
                raise self._error(
                    "MissingParameter", f"The request is missing a required parameter `{name}`."
                )
        if params["SmsSdkAppId"] != self.app_id:
            raise self._error("InvalidParameterValue.SdkAppIdNotExist")
        if params["SignName"] not in self.sign_names:
            raise self._error("FailedOperation.SignatureIncorrectOrUnapproved")
        template = self.templates.get(params["TemplateId"])
        if template is None:
            raise self._error("FailedOperation.TemplateIncorrectOrUnapproved")
        values = params.get("TemplateParamSet") or []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise self._error("InvalidParameterValue.TemplateParameterFormatError")
        numbers = {int(n) for n in re.findall(r"\{(\d+)\}", template)}
        if numbers != set(range(1, len(values) + 1)):
            raise self._error("FailedOperation.TemplateParamSetNotMatchApprovedTemplate")
        for phone in phones:
            if not re.fullmatch(r"\+861\d{10}", phone):
                raise self._error("InvalidParameterValue.IncorrectPhoneNumber", phone=phone)
        text = re.sub(r"\{(\d+)\}", lambda m: values[int(m.group(1)) - 1], template)
        received.text = f"【{params['SignName']}】{text}"

    def _check_signature(self, received):
        """Tencent's TC3-HMAC-SHA256, as documented:

        CanonicalRequest = Method \\n CanonicalURI \\n CanonicalQueryString \\n
            CanonicalHeaders \\n SignedHeaders \\n hex(sha256(payload))
        (CanonicalHeaders: ``name:value\\n`` for each signed header, both in lower case
        and trimmed; content-type and host at least; POST: empty query string)
        StringToSign = "TC3-HMAC-SHA256" \\n X-TC-Timestamp \\n <date>/<service>/tc3_request
            \\n hex(sha256(CanonicalRequest))
        SecretDate = hmac_sha256("TC3" + SecretKey, date), SecretService = hmac_sha256(
            SecretDate, service), SecretSigning = hmac_sha256(SecretService, "tc3_request")
        Signature = hex(hmac_sha256(SecretSigning, StringToSign))
        Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<date>/<service>/tc3_request,
            SignedHeaders=content-type;host, Signature=<hex>
        ``date`` is the UTC date of X-TC-Timestamp, which must be within 5 minutes of now."""
        headers = received.headers
        match = re.fullmatch(
            r"TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2})/([a-z]+)/tc3_request, "
            r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})",
            headers.get("authorization", ""),
        )
        if not match:
            raise self._error("AuthFailure.InvalidAuthorization")
        secret_id, date, service, signed, signature = match.groups()
        if secret_id != self.secret_id:
            raise self._error("AuthFailure.SecretIdNotFound")
        try:
            timestamp = int(headers.get("x-tc-timestamp", ""))
        except ValueError:
            raise self._error("AuthFailure.InvalidAuthorization") from None
        if abs(time.time() - timestamp) > 300:
            raise self._error("AuthFailure.SignatureExpire")
        signed_names = signed.split(";")
        if not {"content-type", "host"} <= set(signed_names):
            raise self._error("AuthFailure.InvalidAuthorization")
        if service != "sms" or date != datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d"):
            raise self._error("AuthFailure.SignatureFailure")
        url = urlsplit(received.path)
        canonical_headers = "".join(
            f"{name}:{headers.get(name, '').strip().lower()}\n" for name in signed_names
        )
        canonical_request = "\n".join(
            [
                received.method,
                url.path or "/",
                url.query,
                canonical_headers,
                signed,
                hashlib.sha256(received.body).hexdigest(),
            ]
        )
        scope = f"{date}/{service}/tc3_request"
        string_to_sign = "\n".join(
            [
                "TC3-HMAC-SHA256",
                str(timestamp),
                scope,
                hashlib.sha256(canonical_request.encode()).hexdigest(),
            ]
        )

        def sign(key: bytes, message: str) -> bytes:
            return hmac.new(key, message.encode(), hashlib.sha256).digest()

        secret_date = sign(("TC3" + self.secret_key).encode(), date)
        secret_signing = sign(sign(secret_date, service), "tc3_request")
        expected = hmac.new(secret_signing, string_to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            raise self._error("AuthFailure.SignatureFailure")

    # -- the answers ----------------------------------------------------------------

    def _error(self, code, message="", *, per_number=None, phone=None) -> _Reply:
        message = message or TENCENT_MESSAGES.get(code, code)
        if per_number is None:
            per_number = code in TENCENT_PER_NUMBER
        if per_number:
            status = {
                "SerialNo": "",
                "PhoneNumber": phone or "",
                "Fee": 0,
                "SessionContext": "",
                "Code": code,
                "Message": message,
                "IsoCode": "CN",
            }
            payload = {"Response": {"SendStatusSet": [status], "RequestId": str(uuid.uuid4())}}
        else:
            payload = {
                "Response": {
                    "Error": {"Code": code, "Message": message},
                    "RequestId": str(uuid.uuid4()),
                }
            }
        # Exactly this content type: the SDK looks for Response.Error only under it.
        return _Reply(200, payload, code)

    def _phone(self, received) -> str:
        phones = received.params.get("PhoneNumberSet") or [""]
        return phones[0]

    def _answer(self, received, answer):
        if answer.kind == "error":
            reply = self._error(
                answer.code,
                answer.message,
                per_number=answer.extra.get("per_number"),
                phone=self._phone(received),
            )
            return reply.status, reply.payload, reply.answered, reply.content_type
        if answer.kind == "http":
            body = (
                answer.body
                if answer.body is not None
                else b"<html><body>500 Internal Server Error</body></html>"
            )
            content_type = answer.content_type or "text/html"
            return answer.status, body, f"HTTP {answer.status}", content_type
        status = {
            "SerialNo": f"2433:{secrets.randbelow(10**27):027d}",
            "PhoneNumber": self._phone(received),
            "Fee": segments(received.text),
            "SessionContext": "",
            "Code": "Ok",
            "Message": "send success",
            "IsoCode": "CN",
        }
        status.update(answer.extra)
        payload = {"Response": {"SendStatusSet": [status], "RequestId": str(uuid.uuid4())}}
        return 200, payload, "Ok", "application/json"
