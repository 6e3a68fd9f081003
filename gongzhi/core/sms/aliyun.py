"""Alibaba Cloud SMS (Dysmsapi 2017-05-25) through its official SDK.

Settings (``GONGZHI_SMS``): ``ACCESS_KEY_ID`` and ``ACCESS_KEY_SECRET`` (a RAM user's
AccessKey allowed ``dysms:SendSms``), ``SIGN_NAME`` (the approved signature, 签名, without
the 【】), ``TEMPLATES`` (template key -> approved template code, ``SMS_…``) and
``TIMEOUT`` (seconds, for connecting and for the answer). ``ENDPOINT`` is only for the
tests' fake (default ``dysmsapi.aliyuncs.com``); the SDK speaks plain http only to a
loopback address, https to anything else.

What goes over the wire (``alibabacloud_dysmsapi20170525`` 4.x on ``alibabacloud_tea_openapi``
0.4): ``POST /?PhoneNumbers=…&SignName=…&TemplateCode=…&TemplateParam=…`` with an empty
body, RPC style, signed with the V3 algorithm ``ACS3-HMAC-SHA256`` in the
``Authorization`` header over ``host`` and the ``x-acs-*`` headers (``x-acs-action:
SendSms``, ``x-acs-version: 2017-05-25``, ``x-acs-date``, ``x-acs-signature-nonce``,
``x-acs-content-sha256``). The template's parameters go as a JSON object in
``TemplateParam`` (names as in the approved template, ``${code}``).

Answers: HTTP 200 with ``{"Code": "OK", "BizId": …}`` when accepted; business refusals
also come with HTTP 200 and their ``Code`` (``isv.…``, ``isp.…``); authentication and
gateway errors with HTTP 4xx/5xx (``SignatureDoesNotMatch``, ``InvalidAccessKeyId.NotFound``,
``Throttling.User``, ``ServiceUnavailable``, …), raised by the SDK as
``ClientException``/``ServerException``/``ThrottlingException``; a network failure or a
timeout as ``UnretryableException`` wrapping a ``RetryError`` (the SDK does not retry
unless told to; the sending pipeline decides).

Delivery reports: Alibaba pushes ``SmsReport`` batches (HTTP batch push, configured in
the console) as a JSON array; the receiving view answers ``RECEIPT_ACK`` as JSON, or
Alibaba pushes the batch again.
"""

import json

from alibabacloud_dysmsapi20170525 import models as dysms_models
from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_tea_openapi import exceptions as openapi_exceptions
from alibabacloud_tea_openapi import utils_models as openapi_models
from darabonba.exceptions import RetryError, UnretryableException
from darabonba.runtime import RuntimeOptions

from .base import Receipt, Sent, SmsBackend, SmsError, segments
from .providers import beijing_time, is_loopback, json_array, quiet_sdk_logs, scrub

quiet_sdk_logs()

DEFAULT_ENDPOINT = "dysmsapi.aliyuncs.com"
# What the receipt view answers Alibaba when it took a batch of reports.
RECEIPT_ACK = {"code": 0, "msg": "成功"}

# Codes for which sending again later may succeed: Alibaba's side failing or busy,
# flow control (per number per minute/hour/day, per account), a nonce collision.
RETRYABLE_CODES = frozenset(
    {
        "isp.SYSTEM_ERROR",
        "isp.GATEWAY_ERROR",
        "isv.BUSINESS_LIMIT_CONTROL",
        "isv.DAY_LIMIT_CONTROL",
        "isv.SMS_OVER_LIMIT",
        "Throttling",
        "Throttling.User",
        "Throttling.Api",
        "Throttling.Resource",
        "ServiceUnavailable",
        "InternalError",
        "SignatureNonceUsed",
    }
)
# isp.* is Alibaba's own failure, retryable, except a permission the account lacks.
NOT_RETRYABLE_ISP = frozenset({"isp.RAM_PERMISSION_DENY"})


def is_retryable(code: str, status: int | None = None) -> bool:
    """Whether Alibaba's ``code`` (with the HTTP status, when known) may pass later.

    Everything not listed is final: an invalid number (isv.MOBILE_NUMBER_ILLEGAL), a
    template or signature not approved (isv.SMS_TEMPLATE_ILLEGAL,
    isv.SMS_SIGNATURE_ILLEGAL), missing or malformed parameters (isv.INVALID_PARAMETERS,
    isv.TEMPLATE_MISSING_PARAMETERS, isv.INVALID_JSON_PARAM), no credit
    (isv.AMOUNT_NOT_ENOUGH, isv.OUT_OF_SERVICE), wrong credentials
    (SignatureDoesNotMatch, InvalidAccessKeyId.*), a blacklisted number…"""
    if code in RETRYABLE_CODES or code.startswith("Throttling"):
        return True
    if code.startswith("isp.") and code not in NOT_RETRYABLE_ISP:
        return True
    return status is not None and status >= 500


class AliyunBackend(SmsBackend):
    name = "aliyun"

    def __init__(self, options: dict):
        super().__init__(options)
        self._client = None

    # -- the SDK client -------------------------------------------------------------

    def client(self) -> Client:
        if self._client is None:
            endpoint = self.options.get("ENDPOINT") or DEFAULT_ENDPOINT
            timeout_ms = max(1, int(float(self.options.get("TIMEOUT") or 5) * 1000))
            config = openapi_models.Config(
                access_key_id=self.options.get("ACCESS_KEY_ID", ""),
                access_key_secret=self.options.get("ACCESS_KEY_SECRET", ""),
                endpoint=endpoint,
                protocol="http" if is_loopback(endpoint) else "https",
                read_timeout=timeout_ms,
                connect_timeout=timeout_ms,
            )
            self._client = Client(config)
        return self._client

    # -- sending --------------------------------------------------------------------

    def send(self, *, phone, template, params, text) -> Sent:
        template_code = self.template_id(template)
        sign = self.options.get("SIGN_NAME", "")
        if not (
            sign and self.options.get("ACCESS_KEY_ID") and self.options.get("ACCESS_KEY_SECRET")
        ):
            raise SmsError(
                "not_configured",
                "GONGZHI_SMS needs SIGN_NAME, ACCESS_KEY_ID and ACCESS_KEY_SECRET for Alibaba",
                retryable=False,
            )
        request = dysms_models.SendSmsRequest(
            phone_numbers=phone,
            sign_name=sign,
            template_code=template_code,
            template_param=json.dumps(
                {key: str(value) for key, value in params.items()},
                ensure_ascii=False,
                separators=(",", ":"),
            ),
        )
        secrets = [*(str(v) for v in params.values()), self.options.get("ACCESS_KEY_SECRET")]
        try:
            response = self.client().send_sms_with_options(request, RuntimeOptions())
        except openapi_exceptions.AlibabaCloudException as error:
            code = error.code or "unknown"
            status = getattr(error, "status_code", None)
            detail = _error_message(error)
            raise SmsError(
                code,
                scrub(f"HTTP {status}: {detail}", secrets),
                retryable=is_retryable(code, status),
            ) from None
        except UnretryableException as error:
            raise _transport_error(error.inner_exception, secrets) from None
        body = response.body
        if body is None or body.code is None:
            raise SmsError("bad_response", "Alibaba answered without a Code", retryable=True)
        if body.code != "OK":
            raise SmsError(
                body.code,
                scrub(f"{body.message or ''} (RequestId {body.request_id})", secrets),
                retryable=is_retryable(body.code),
            )
        if not body.biz_id:
            raise SmsError("bad_response", "Alibaba accepted without a BizId", retryable=True)
        full = f"【{sign}】{text}"
        return Sent(provider_id=body.biz_id, cost_units=segments(full))

    # -- delivery reports -----------------------------------------------------------

    def parse_receipts(self, body: bytes) -> list[Receipt]:
        """Alibaba's SmsReport push: a JSON array of objects with ``phone_number``,
        ``send_time``, ``report_time``, ``success``, ``err_code``, ``err_msg``,
        ``sms_size``, ``biz_id`` and ``out_id`` (times in Beijing time)."""
        reports = json_array(body)
        receipts = []
        for report in reports:
            if not isinstance(report, dict):
                raise ValueError("a report is not an object")
            biz_id = report.get("biz_id")
            phone = report.get("phone_number")
            success = report.get("success")
            if not isinstance(biz_id, str) or not biz_id:
                raise ValueError("a report without biz_id")
            if not isinstance(phone, str) or not phone:
                raise ValueError("a report without phone_number")
            if isinstance(success, str) and success.lower() in ("true", "false"):
                success = success.lower() == "true"
            if not isinstance(success, bool):
                raise ValueError("a report whose success is not a boolean")
            err_code = report.get("err_code") or ""
            if not isinstance(err_code, str):
                raise ValueError("a report whose err_code is not a string")
            receipts.append(
                Receipt(
                    provider_id=biz_id,
                    phone=phone,
                    delivered=success,
                    error_code=err_code,
                    reported_at=beijing_time(report.get("report_time"), "report_time"),
                )
            )
        return receipts


def _error_message(error) -> str:
    """The provider's own Message of an SDK exception (not its whole data dump)."""
    data = error.data if isinstance(getattr(error, "data", None), dict) else {}
    message = data.get("Message") or data.get("message") or ""
    request_id = getattr(error, "request_id", None) or data.get("RequestId")
    return f"{message} (RequestId {request_id})" if request_id else message


def _transport_error(inner, secrets) -> SmsError:
    """Alibaba could not be reached or answered something that is not its JSON."""
    text = str(getattr(inner, "message", None) or inner)
    if isinstance(inner, RetryError):
        code = "timeout" if "timed out" in text.lower() else "unreachable"
        return SmsError(code, scrub(text, secrets), retryable=True)
    if isinstance(inner, RuntimeError) and text.startswith("Failed to parse"):
        # A 5xx page of a proxy or gateway, not Alibaba's JSON.
        return SmsError("bad_response", "the answer was not JSON", retryable=True)
    return SmsError("sdk_error", scrub(f"{type(inner).__name__}: {text}", secrets), retryable=False)
