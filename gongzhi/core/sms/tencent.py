"""Tencent Cloud SMS (API 2021-01-11) through its official SDK.

Settings (``GONGZHI_SMS``): ``ACCESS_KEY_ID`` and ``ACCESS_KEY_SECRET`` (a CAM SecretId
and SecretKey allowed ``sms:SendSms``), ``APP_ID`` (the SMS application's SdkAppId,
``1400…``), ``SIGN_NAME`` (the approved signature, 签名, without the 【】), ``TEMPLATES``
(template key -> approved template id, digits), ``REGION`` (default ``ap-guangzhou``)
and ``TIMEOUT`` (seconds). ``ENDPOINT`` is only for the tests' fake (default
``sms.tencentcloudapi.com``); the SDK speaks plain http only to a loopback address.

The order of the template's parameters. Tencent's templates number their parameters
(``您的验证码为{1}，{2}分钟内有效``) and ``TemplateParamSet`` is a list, so the order
matters. It is:

- ``GONGZHI_SMS["TEMPLATE_PARAMS"][template key]`` when the deployment gives it: the
  names of the parameters in the template's order, e.g. ``{"code": ["code", "minutes"]}``
  (every name must be among the message's parameters);
- otherwise the parameters' names in alphabetical order (for ``code``: code, then
  minutes). Not the order the caller wrote them in: a notification's parameters are
  stored in a JSON column, and PostgreSQL's jsonb does not keep the keys' order.

What goes over the wire (``tencentcloud-sdk-python`` 3.x): ``POST /`` with the JSON body
``{"PhoneNumberSet": ["+86…"], "SmsSdkAppId": …, "SignName": …, "TemplateId": …,
"TemplateParamSet": […]}``, headers ``X-TC-Action: SendSms``, ``X-TC-Version: 2021-01-11``,
``X-TC-Timestamp``, ``X-TC-Region``, signed with ``TC3-HMAC-SHA256`` over
``content-type;host``. Answers: HTTP 200 with ``Response.SendStatusSet`` (one status per
number; ``Code`` ``"Ok"`` when accepted, else the refusal's code, e.g.
``LimitExceeded.PhoneNumberDailyLimit``) or with ``Response.Error`` (a refusal of the
whole request: ``AuthFailure.SignatureFailure``, ``FailedOperation.TemplateIncorrectOrUnapproved``,
…), which the SDK raises as ``TencentCloudSDKException``; a network failure or timeout as
``ClientNetworkError``, an HTTP status other than 200 as ``ServerNetworkError``.

Delivery reports: Tencent posts status callbacks (configured per SMS application in the
console) as a JSON array; the receiving view answers ``RECEIPT_ACK`` as JSON.
"""

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models as sms_models
from tencentcloud.sms.v20210111.sms_client import SmsClient

from .base import Receipt, Sent, SmsBackend, SmsError
from .providers import beijing_time, is_loopback, json_array, quiet_sdk_logs, scrub

quiet_sdk_logs()

DEFAULT_ENDPOINT = "sms.tencentcloudapi.com"
DEFAULT_REGION = "ap-guangzhou"
# What the receipt view answers Tencent when it took a batch of reports.
RECEIPT_ACK = {"result": 0, "errmsg": "OK"}

# Tencent's side failing or busy, or a rate limit: sending again later may succeed.
RETRYABLE_PREFIXES = ("LimitExceeded.", "InternalError", "RequestLimitExceeded")
RETRYABLE_CODES = frozenset({"ServiceUnavailable", "ResourceUnavailable"})
# ... except these, which will not change by waiting.
NOT_RETRYABLE_CODES = frozenset(
    {
        "LimitExceeded.PhoneNumberCountLimit",  # more than 200 numbers in one request
        "LimitExceeded.AppCountryOrRegionInBlacklist",
        "InternalError.SigFieldMissing",  # our request's signature
        "InternalError.SigVerificationFail",
        "InternalError.RestApiInterfaceNotExist",
    }
)
# The SDK's own codes for a failure on the way.
TRANSPORT_CODES = {
    "ClientNetworkError": "unreachable",  # or "timeout", from the message
    "ServerNetworkError": "http_error",  # an HTTP status other than 200
    "JSONDecodeError": "bad_response",
    "KeyError": "bad_response",
}


def is_retryable(code: str) -> bool:
    """Whether Tencent's ``code`` may pass later. Everything not retryable is final: an
    invalid number (InvalidParameterValue.IncorrectPhoneNumber), a template or
    signature not approved (FailedOperation.TemplateIncorrectOrUnapproved,
    FailedOperation.SignatureIncorrectOrUnapproved), no credit
    (FailedOperation.InsufficientBalanceInSmsPackage,
    UnauthorizedOperation.ServiceSuspendDueToArrears), wrong credentials or SdkAppId
    (AuthFailure.*, UnauthorizedOperation.SmsSdkAppIdVerifyFail), a blacklisted number…"""
    if code in NOT_RETRYABLE_CODES:
        return False
    return code in RETRYABLE_CODES or code.startswith(RETRYABLE_PREFIXES)


class TencentBackend(SmsBackend):
    name = "tencent"

    def __init__(self, options: dict):
        super().__init__(options)
        self._client = None

    def client(self) -> SmsClient:
        if self._client is None:
            endpoint = self.options.get("ENDPOINT") or DEFAULT_ENDPOINT
            http = HttpProfile(
                endpoint=endpoint,
                protocol="http" if is_loopback(endpoint) else "https",
                reqTimeout=float(self.options.get("TIMEOUT") or 5),
            )
            # Messages in English: they are for the log and staff, next to the code.
            profile = ClientProfile(httpProfile=http, language="en-US")
            profile.disable_region_breaker = True
            cred = credential.Credential(
                self.options.get("ACCESS_KEY_ID", ""), self.options.get("ACCESS_KEY_SECRET", "")
            )
            self._client = SmsClient(cred, self.options.get("REGION") or DEFAULT_REGION, profile)
        return self._client

    def template_params(self, template: str, params: dict) -> list[str]:
        """The parameters in the template's order (see the module docstring)."""
        names = self.options.get("TEMPLATE_PARAMS", {}).get(template)
        if names is None:
            return [str(params[name]) for name in sorted(params)]
        missing = [name for name in names if name not in params]
        if missing:
            raise SmsError(
                "template_params_mismatch",
                f"{template!r} needs {', '.join(missing)} (GONGZHI_SMS['TEMPLATE_PARAMS'])",
                retryable=False,
            )
        return [str(params[name]) for name in names]

    def send(self, *, phone, template, params, text) -> Sent:
        template_id = self.template_id(template)
        needed = ("SIGN_NAME", "APP_ID", "ACCESS_KEY_ID", "ACCESS_KEY_SECRET")
        if not all(self.options.get(key) for key in needed):
            raise SmsError(
                "not_configured",
                "GONGZHI_SMS needs SIGN_NAME, APP_ID, ACCESS_KEY_ID and ACCESS_KEY_SECRET"
                " for Tencent",
                retryable=False,
            )
        request = sms_models.SendSmsRequest()
        request.PhoneNumberSet = [phone if phone.startswith("+") else f"+86{phone}"]
        request.SmsSdkAppId = str(self.options["APP_ID"])
        request.SignName = self.options["SIGN_NAME"]
        request.TemplateId = str(template_id)
        request.TemplateParamSet = self.template_params(template, params)
        secrets = [*(str(v) for v in params.values()), self.options.get("ACCESS_KEY_SECRET")]
        try:
            response = self.client().SendSms(request)
        except TencentCloudSDKException as error:
            raise _sdk_error(error, secrets) from None
        statuses = response.SendStatusSet or []
        if not statuses:
            raise SmsError(
                "bad_response",
                f"Tencent answered without SendStatusSet (RequestId {response.RequestId})",
                retryable=True,
            )
        status = statuses[0]
        if status.Code != "Ok":
            code = status.Code or "unknown"
            raise SmsError(
                code,
                scrub(f"{status.Message or ''} (RequestId {response.RequestId})", secrets),
                retryable=is_retryable(code),
            )
        if not status.SerialNo:
            raise SmsError("bad_response", "Tencent accepted without a SerialNo", retryable=True)
        return Sent(provider_id=status.SerialNo, cost_units=int(status.Fee or 1))

    def parse_receipts(self, body: bytes) -> list[Receipt]:
        """Tencent's status callback: a JSON array of objects with ``user_receive_time``
        (Beijing time), ``nationcode``, ``mobile``, ``report_status`` (``SUCCESS`` or
        ``FAIL``), ``errmsg`` (the carrier's code: ``DELIVRD``, ``MK:0001``…),
        ``description`` and ``sid`` (the SerialNo)."""
        receipts = []
        for report in json_array(body):
            if not isinstance(report, dict):
                raise ValueError("a report is not an object")
            sid, mobile = report.get("sid"), report.get("mobile")
            status = report.get("report_status")
            if not isinstance(sid, str) or not sid:
                raise ValueError("a report without sid")
            if not isinstance(mobile, str) or not mobile:
                raise ValueError("a report without mobile")
            if status not in ("SUCCESS", "FAIL"):
                raise ValueError("a report whose report_status is not SUCCESS or FAIL")
            errmsg = report.get("errmsg") or ""
            if not isinstance(errmsg, str):
                raise ValueError("a report whose errmsg is not a string")
            nationcode = str(report.get("nationcode") or "86")
            receipts.append(
                Receipt(
                    provider_id=sid,
                    phone=mobile if nationcode == "86" else f"+{nationcode}{mobile}",
                    delivered=status == "SUCCESS",
                    error_code=errmsg,
                    reported_at=beijing_time(report.get("user_receive_time"), "user_receive_time"),
                )
            )
        return receipts


def _sdk_error(error: TencentCloudSDKException, secrets) -> SmsError:
    code = error.get_code() or "unknown"
    message = error.get_message() or ""
    if isinstance(message, bytes):  # ServerNetworkError: the body of the HTTP error
        message = message.decode("utf-8", "replace")
    message = str(message)
    if code in TRANSPORT_CODES:
        ours = TRANSPORT_CODES[code]
        if code == "ClientNetworkError" and "timed out" in message.lower():
            ours = "timeout"
        return SmsError(ours, scrub(message, secrets), retryable=True)
    request_id = error.get_request_id()
    if request_id:
        message = f"{message} (RequestId {request_id})"
    return SmsError(code, scrub(message, secrets), retryable=is_retryable(code))
