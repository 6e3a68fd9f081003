"""The Alibaba Cloud and Tencent Cloud SMS backends, each through its official SDK against
a fake of the provider's HTTP API on 127.0.0.1 (gongzhi.core.sms.fakes), which checks the
request's signature and parameters as the provider does. No test reaches a provider."""

import http.client
import json
import logging
import socket
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from gongzhi.core.sms import Receipt, SmsError
from gongzhi.core.sms.aliyun import AliyunBackend
from gongzhi.core.sms.base import segments
from gongzhi.core.sms.fakes import FakeAliyun
from gongzhi.core.sms.tencent import TencentBackend

PHONE = "13800138000"
CODE = "482913"
CODE_TEXT = f"您的验证码为{CODE}，5分钟内有效，请勿泄露于他人。"
CHINA = ZoneInfo("Asia/Shanghai")


def send_code(backend, phone=PHONE):
    return backend.send(
        phone=phone, template="code", params={"code": CODE, "minutes": "5"}, text=CODE_TEXT
    )


def refused(backend, **kwargs) -> SmsError:
    with pytest.raises(SmsError) as caught:
        send_code(backend, **kwargs)
    return caught.value


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def replay(fake, request, *, path=None, body=None):
    """Send a request the SDK made again, maybe altered, as it was signed."""
    conn = http.client.HTTPConnection(*fake.endpoint.split(":"), timeout=2)
    headers = {k: v for k, v in request.headers.items() if k not in ("content-length",)}
    conn.request(request.method, path or request.path, body=body or request.body, headers=headers)
    answer = conn.getresponse()
    return answer.status, json.loads(answer.read())


# --- Alibaba Cloud -----------------------------------------------------------------------


def test_aliyun_sends_a_signed_request_and_returns_the_biz_id(fake_aliyun, use_sms_provider):
    backend = use_sms_provider(fake_aliyun)
    assert isinstance(backend, AliyunBackend) and backend.name == "aliyun"

    sent = send_code(backend)

    (request,) = fake_aliyun.requests
    assert request.signature_ok and request.answered == "OK"
    assert request.method == "POST"
    assert request.headers["authorization"].startswith(
        f"ACS3-HMAC-SHA256 Credential={FakeAliyun.ACCESS_KEY_ID},"
    )
    assert request.headers["x-acs-action"] == "SendSms"
    assert request.headers["x-acs-version"] == "2017-05-25"
    assert request.params["PhoneNumbers"] == PHONE
    assert request.params["SignName"] == "共治平台"
    assert request.params["TemplateCode"] == "SMS_460001"
    assert json.loads(request.params["TemplateParam"]) == {"code": CODE, "minutes": "5"}
    assert request.text == f"【共治平台】{CODE_TEXT}"
    assert sent.provider_id == request.answer["BizId"]
    assert sent.cost_units == segments(f"【共治平台】{CODE_TEXT}") == 1


def test_aliyun_cost_is_the_segments_of_the_signed_text(fake_aliyun, use_sms_provider):
    backend = use_sms_provider(fake_aliyun)
    title = "逸景佳苑 A&B 1+1=2 / 50% ~ 公示" * 4  # reserved characters survive signing
    text = f"您关注的{title}有了新进展，请登录共治平台查看。"
    sent = backend.send(phone=PHONE, template="notice", params={"title": title}, text=text)
    request = fake_aliyun.requests[-1]
    assert request.signature_ok and json.loads(request.params["TemplateParam"]) == {"title": title}
    assert sent.cost_units == segments(f"【共治平台】{text}") == 2


@pytest.mark.parametrize(
    ("code", "retryable"),
    [
        ("isv.BUSINESS_LIMIT_CONTROL", True),
        ("isv.DAY_LIMIT_CONTROL", True),
        ("isp.SYSTEM_ERROR", True),
        ("Throttling.User", True),
        ("Throttling.Api", True),
        ("ServiceUnavailable", True),
        ("InternalError", True),
        ("isv.MOBILE_NUMBER_ILLEGAL", False),
        ("isv.MOBILE_COUNT_OVER_LIMIT", False),
        ("isv.SMS_TEMPLATE_ILLEGAL", False),
        ("isv.SMS_SIGNATURE_ILLEGAL", False),
        ("isv.TEMPLATE_MISSING_PARAMETERS", False),
        ("isv.INVALID_JSON_PARAM", False),
        ("isv.INVALID_PARAMETERS", False),
        ("isv.PARAM_LENGTH_LIMIT", False),
        ("isv.AMOUNT_NOT_ENOUGH", False),
        ("isv.OUT_OF_SERVICE", False),
        ("isv.BLACK_KEY_CONTROL_LIMIT", False),
        ("isp.RAM_PERMISSION_DENY", False),
        ("SignatureDoesNotMatch", False),
        ("InvalidAccessKeyId.NotFound", False),
        ("Forbidden.RAM", False),
    ],
)
def test_aliyun_documented_errors(fake_aliyun, use_sms_provider, code, retryable):
    backend = use_sms_provider(fake_aliyun)
    fake_aliyun.answer_error(code)
    error = refused(backend)
    assert (error.code, error.retryable) == (code, retryable)
    assert fake_aliyun.requests[-1].answered == code
    # The scripted answer was used once: the next message goes.
    assert send_code(backend).provider_id


@pytest.mark.parametrize(
    ("options", "phone", "code"),
    [
        ({}, "12345", "isv.MOBILE_NUMBER_ILLEGAL"),
        ({"SIGN_NAME": "未报备的签名"}, PHONE, "isv.SMS_SIGNATURE_ILLEGAL"),
        ({"TEMPLATES": {"code": "SMS_999999"}}, PHONE, "isv.SMS_TEMPLATE_ILLEGAL"),
        ({"TEMPLATES": {"code": "SMS_460002"}}, PHONE, "isv.TEMPLATE_MISSING_PARAMETERS"),
    ],
)
def test_aliyun_refusals_of_the_request_itself(fake_aliyun, use_sms_provider, options, phone, code):
    error = refused(use_sms_provider(fake_aliyun, **options), phone=phone)
    assert (error.code, error.retryable) == (code, False)


def test_aliyun_http_500_is_retryable(fake_aliyun, use_sms_provider):
    backend = use_sms_provider(fake_aliyun)
    fake_aliyun.answer_http(500)
    error = refused(backend)
    assert (error.code, error.retryable) == ("InternalError", True)
    fake_aliyun.answer_http(502, b"<html>Bad Gateway</html>", "text/html")
    error = refused(backend)
    assert (error.code, error.retryable) == ("bad_response", True)


def test_aliyun_connection_refused_is_retryable(fake_aliyun, use_sms_provider):
    error = refused(use_sms_provider(fake_aliyun, ENDPOINT=f"127.0.0.1:{closed_port()}"))
    assert (error.code, error.retryable) == ("unreachable", True)


def test_aliyun_timeout_is_retryable(fake_aliyun, use_sms_provider):
    backend = use_sms_provider(fake_aliyun, TIMEOUT=0.3)
    fake_aliyun.answer_slow(2)
    started = time.monotonic()
    error = refused(backend)
    assert (error.code, error.retryable) == ("timeout", True)
    assert time.monotonic() - started < 1.5


def test_aliyun_wrong_secret_is_refused_by_the_signature_check(fake_aliyun, use_sms_provider):
    error = refused(use_sms_provider(fake_aliyun, ACCESS_KEY_SECRET="not-the-secret"))
    assert (error.code, error.retryable) == ("SignatureDoesNotMatch", False)
    assert fake_aliyun.requests[-1].signature_ok is False
    error = refused(use_sms_provider(fake_aliyun, ACCESS_KEY_ID="LTAI5tSomeoneElse"))
    assert (error.code, error.retryable) == ("InvalidAccessKeyId.NotFound", False)


def test_the_fake_aliyun_checks_what_the_signature_covers(fake_aliyun, use_sms_provider):
    send_code(use_sms_provider(fake_aliyun))
    signed = fake_aliyun.requests[-1]
    # The same request again: its nonce was used.
    assert replay(fake_aliyun, signed)[1]["Code"] == "SignatureNonceUsed"
    # Another code in the parameters, under the same signature.
    tampered = signed.path.replace(CODE, "000000")
    status, answer = replay(fake_aliyun, signed, path=tampered)
    assert (status, answer["Code"]) == (400, "SignatureDoesNotMatch")


def test_aliyun_missing_template_or_settings(fake_aliyun, use_sms_provider):
    error = refused(use_sms_provider(fake_aliyun, TEMPLATES={}))
    assert (error.code, error.retryable) == ("template_not_configured", False)
    error = refused(use_sms_provider(fake_aliyun, ACCESS_KEY_SECRET=""))
    assert (error.code, error.retryable) == ("not_configured", False)
    assert fake_aliyun.requests == []


def test_aliyun_receipts():
    body = json.dumps(
        [
            {
                "phone_number": PHONE,
                "send_time": "2026-12-07 10:00:01",
                "report_time": "2026-12-07 10:00:05",
                "success": True,
                "err_code": "DELIVERED",
                "err_msg": "用户接收成功",
                "sms_size": "1/1",
                "biz_id": "900619746936498440^0",
                "out_id": "",
            },
            {
                "phone_number": "13900000001",
                "send_time": "2026-12-07 10:00:01",
                "report_time": "2026-12-07 10:01:00",
                "success": False,
                "err_code": "MK:0001",
                "err_msg": "空号",
                "sms_size": "1/1",
                "biz_id": "900619746936498441^0",
                "out_id": "",
            },
        ],
        ensure_ascii=False,
    ).encode()
    delivered, failed = AliyunBackend({}).parse_receipts(body)
    assert delivered == Receipt(
        provider_id="900619746936498440^0",
        phone=PHONE,
        delivered=True,
        error_code="DELIVERED",
        reported_at=datetime(2026, 12, 7, 10, 0, 5, tzinfo=CHINA),
    )
    assert (failed.provider_id, failed.delivered, failed.error_code) == (
        "900619746936498441^0",
        False,
        "MK:0001",
    )


ALIYUN_REPORT = {"phone_number": PHONE, "success": True, "biz_id": "1^0", "err_code": "DELIVERED"}


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"{}",
        json.dumps({"reports": [ALIYUN_REPORT]}).encode(),
        b"[1]",
        json.dumps([{**ALIYUN_REPORT, "biz_id": ""}]).encode(),
        json.dumps([{k: v for k, v in ALIYUN_REPORT.items() if k != "phone_number"}]).encode(),
        json.dumps([{**ALIYUN_REPORT, "success": "maybe"}]).encode(),
        json.dumps([{**ALIYUN_REPORT, "report_time": "yesterday"}]).encode(),
        # Tencent's report is not Alibaba's.
        json.dumps([{"sid": "x", "mobile": PHONE, "report_status": "SUCCESS"}]).encode(),
    ],
)
def test_aliyun_malformed_receipts(body):
    with pytest.raises(ValueError):
        AliyunBackend({}).parse_receipts(body)


# --- Tencent Cloud -----------------------------------------------------------------------


def test_tencent_sends_a_signed_request_and_returns_the_serial_no(fake_tencent, use_sms_provider):
    backend = use_sms_provider(fake_tencent)
    assert isinstance(backend, TencentBackend) and backend.name == "tencent"

    sent = send_code(backend)

    (request,) = fake_tencent.requests
    assert request.signature_ok and request.answered == "Ok"
    assert request.headers["authorization"].startswith(
        f"TC3-HMAC-SHA256 Credential={fake_tencent.SECRET_ID}/"
    )
    assert request.headers["x-tc-action"] == "SendSms"
    assert request.headers["x-tc-version"] == "2021-01-11"
    assert request.headers["x-tc-region"] == "ap-guangzhou"
    assert request.params["PhoneNumberSet"] == [f"+86{PHONE}"]
    assert request.params["SmsSdkAppId"] == fake_tencent.APP_ID
    assert request.params["SignName"] == "共治平台"
    assert request.params["TemplateId"] == "1900001"
    # The names' alphabetical order: code, minutes = {1}, {2}.
    assert request.params["TemplateParamSet"] == [CODE, "5"]
    assert request.text == f"【共治平台】{CODE_TEXT}"
    status = request.answer["Response"]["SendStatusSet"][0]
    assert sent.provider_id == status["SerialNo"]
    assert sent.cost_units == status["Fee"] == 1


def test_tencent_cost_is_the_fee(fake_tencent, use_sms_provider):
    backend = use_sms_provider(fake_tencent)
    title = "逸景佳苑 A&B 1+1=2 / 50% ~ 公示" * 4
    sent = backend.send(phone=PHONE, template="notice", params={"title": title}, text="")
    assert fake_tencent.requests[-1].signature_ok
    assert sent.cost_units == 2
    fake_tencent.answer_ok(Fee=3)
    assert send_code(backend).cost_units == 3


def test_tencent_template_parameters_in_order(fake_tencent, use_sms_provider):
    # By default in the names' alphabetical order, whatever the order of the dict (a
    # notification's parameters come back from jsonb in another order).
    params = {"minutes": "5", "code": CODE}
    use_sms_provider(fake_tencent).send(phone=PHONE, template="code", params=params, text="")
    assert fake_tencent.requests[-1].params["TemplateParamSet"] == [CODE, "5"]
    assert fake_tencent.requests[-1].text == f"【共治平台】{CODE_TEXT}"
    # In the order the deployment configured for the template.
    backend = use_sms_provider(fake_tencent, TEMPLATE_PARAMS={"code": ["minutes", "code"]})
    backend.send(phone=PHONE, template="code", params=params, text="")
    assert fake_tencent.requests[-1].params["TemplateParamSet"] == ["5", CODE]

    backend = use_sms_provider(fake_tencent, TEMPLATE_PARAMS={"code": ["code", "valid_for"]})
    error = refused(backend)
    assert (error.code, error.retryable) == ("template_params_mismatch", False)


TENCENT_ERRORS = [
    ("LimitExceeded.PhoneNumberDailyLimit", True),
    ("LimitExceeded.PhoneNumberOneHourLimit", True),
    ("LimitExceeded.PhoneNumberThirtySecondLimit", True),
    ("LimitExceeded.DeliveryFrequencyLimit", True),
    ("LimitExceeded.AppDailyLimit", True),
    ("InternalError.Timeout", True),
    ("InternalError.SendAndRecvFail", True),
    ("InternalError.OtherError", True),
    ("RequestLimitExceeded", True),
    ("LimitExceeded.PhoneNumberCountLimit", False),
    ("InternalError.SigVerificationFail", False),
    ("InvalidParameterValue.IncorrectPhoneNumber", False),
    ("InvalidParameterValue.TemplateParameterFormatError", False),
    ("InvalidParameterValue.SdkAppIdNotExist", False),
    ("FailedOperation.TemplateIncorrectOrUnapproved", False),
    ("FailedOperation.SignatureIncorrectOrUnapproved", False),
    ("FailedOperation.InsufficientBalanceInSmsPackage", False),
    ("FailedOperation.PhoneNumberInBlacklist", False),
    ("FailedOperation.ContainSensitiveWord", False),
    ("UnauthorizedOperation.SmsSdkAppIdVerifyFail", False),
    ("UnauthorizedOperation.ServiceSuspendDueToArrears", False),
    ("AuthFailure.SignatureFailure", False),
    ("AuthFailure.SecretIdNotFound", False),
    ("AuthFailure.SignatureExpire", False),
]


@pytest.mark.parametrize("per_number", [False, True], ids=["Response.Error", "SendStatus"])
@pytest.mark.parametrize(("code", "retryable"), TENCENT_ERRORS)
def test_tencent_documented_errors(fake_tencent, use_sms_provider, code, retryable, per_number):
    backend = use_sms_provider(fake_tencent)
    fake_tencent.answer_error(code, per_number=per_number)
    error = refused(backend)
    assert (error.code, error.retryable) == (code, retryable)
    answered = fake_tencent.requests[-1].answer["Response"]
    assert ("Error" in answered) is not per_number
    assert send_code(backend).provider_id


@pytest.mark.parametrize(
    ("options", "phone", "code"),
    [
        ({}, "12345", "InvalidParameterValue.IncorrectPhoneNumber"),
        ({"SIGN_NAME": "未报备的签名"}, PHONE, "FailedOperation.SignatureIncorrectOrUnapproved"),
        ({"TEMPLATES": {"code": "1"}}, PHONE, "FailedOperation.TemplateIncorrectOrUnapproved"),
        (
            {"TEMPLATES": {"code": "1900002"}},
            PHONE,
            "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
        ),
        ({"APP_ID": "1400999999"}, PHONE, "InvalidParameterValue.SdkAppIdNotExist"),
    ],
)
def test_tencent_refusals_of_the_request_itself(
    fake_tencent, use_sms_provider, options, phone, code
):
    error = refused(use_sms_provider(fake_tencent, **options), phone=phone)
    assert (error.code, error.retryable) == (code, False)


def test_tencent_http_500_is_retryable(fake_tencent, use_sms_provider):
    backend = use_sms_provider(fake_tencent)
    fake_tencent.answer_http(500)
    error = refused(backend)
    assert (error.code, error.retryable) == ("http_error", True)
    fake_tencent.answer_http(200, b"<html>a captive portal</html>", "text/html")
    error = refused(backend)
    assert (error.code, error.retryable) == ("bad_response", True)


def test_tencent_connection_refused_is_retryable(fake_tencent, use_sms_provider):
    error = refused(use_sms_provider(fake_tencent, ENDPOINT=f"127.0.0.1:{closed_port()}"))
    assert (error.code, error.retryable) == ("unreachable", True)


def test_tencent_timeout_is_retryable(fake_tencent, use_sms_provider):
    backend = use_sms_provider(fake_tencent, TIMEOUT=0.3)
    fake_tencent.answer_slow(2)
    started = time.monotonic()
    error = refused(backend)
    assert (error.code, error.retryable) == ("timeout", True)
    assert time.monotonic() - started < 1.5


def test_tencent_wrong_secret_is_refused_by_the_signature_check(fake_tencent, use_sms_provider):
    error = refused(use_sms_provider(fake_tencent, ACCESS_KEY_SECRET="not-the-secret"))
    assert (error.code, error.retryable) == ("AuthFailure.SignatureFailure", False)
    assert fake_tencent.requests[-1].signature_ok is False
    error = refused(use_sms_provider(fake_tencent, ACCESS_KEY_ID="AKIDsomeoneElse"))
    assert (error.code, error.retryable) == ("AuthFailure.SecretIdNotFound", False)


def test_the_fake_tencent_checks_what_the_signature_covers(fake_tencent, use_sms_provider):
    send_code(use_sms_provider(fake_tencent))
    signed = fake_tencent.requests[-1]
    assert replay(fake_tencent, signed)[1]["Response"]["SendStatusSet"][0]["Code"] == "Ok"
    tampered = signed.body.replace(CODE.encode(), b"000000")
    status, answer = replay(fake_tencent, signed, body=tampered)
    assert answer["Response"]["Error"]["Code"] == "AuthFailure.SignatureFailure"


def test_tencent_missing_template_or_settings(fake_tencent, use_sms_provider):
    error = refused(use_sms_provider(fake_tencent, TEMPLATES={}))
    assert (error.code, error.retryable) == ("template_not_configured", False)
    error = refused(use_sms_provider(fake_tencent, APP_ID=""))
    assert (error.code, error.retryable) == ("not_configured", False)
    assert fake_tencent.requests == []


def test_tencent_receipts():
    body = json.dumps(
        [
            {
                "user_receive_time": "2026-12-07 10:00:05",
                "nationcode": "86",
                "mobile": PHONE,
                "report_status": "SUCCESS",
                "errmsg": "DELIVRD",
                "description": "用户短信送达成功",
                "sid": "2433:338620696217623443817044497",
            },
            {
                "user_receive_time": "2026-12-07 10:01:00",
                "nationcode": "86",
                "mobile": "13900000001",
                "report_status": "FAIL",
                "errmsg": "MK:0001",
                "description": "空号",
                "sid": "2433:338620696217623443817044498",
            },
        ],
        ensure_ascii=False,
    ).encode()
    delivered, failed = TencentBackend({}).parse_receipts(body)
    assert delivered == Receipt(
        provider_id="2433:338620696217623443817044497",
        phone=PHONE,
        delivered=True,
        error_code="DELIVRD",
        reported_at=datetime(2026, 12, 7, 10, 0, 5, tzinfo=CHINA),
    )
    assert (failed.phone, failed.delivered, failed.error_code) == ("13900000001", False, "MK:0001")


TENCENT_REPORT = {"mobile": PHONE, "report_status": "SUCCESS", "sid": "1", "errmsg": "DELIVRD"}


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b'{"sid": "1"}',
        b"[null]",
        json.dumps([{**TENCENT_REPORT, "sid": ""}]).encode(),
        json.dumps([{k: v for k, v in TENCENT_REPORT.items() if k != "mobile"}]).encode(),
        json.dumps([{**TENCENT_REPORT, "report_status": "DELIVERED"}]).encode(),
        json.dumps([{**TENCENT_REPORT, "user_receive_time": 1765072805}]).encode(),
        # Alibaba's report is not Tencent's.
        json.dumps([ALIYUN_REPORT]).encode(),
    ],
)
def test_tencent_malformed_receipts(body):
    with pytest.raises(ValueError):
        TencentBackend({}).parse_receipts(body)


# --- Nothing secret in the log -------------------------------------------------------------

SDK_LOGGERS = [
    "tencentcloud_sdk_common",
    "darabonba-core",
    "alibabacloud-tea",
    "urllib3",
    "urllib3.connectionpool",
]


@pytest.mark.parametrize("provider", ["fake_aliyun", "fake_tencent"])
def test_neither_the_code_nor_the_secret_is_logged(
    request, provider, use_sms_provider, caplog, capfd, monkeypatch
):
    fake = request.getfixturevalue(provider)
    monkeypatch.setenv("DEBUG", "sdk")  # Alibaba's SDK dumps its requests with this
    caplog.set_level(logging.DEBUG)
    for name in SDK_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    secret = fake.options()["ACCESS_KEY_SECRET"]
    backend = use_sms_provider(fake)
    log = logging.getLogger("gongzhi.sms")

    send_code(backend)
    fake.answer_error("InternalError.Timeout" if provider == "fake_tencent" else "isp.SYSTEM_ERROR")
    fake.answer_http(500)
    for _ in range(2):
        with pytest.raises(SmsError) as caught:
            send_code(backend)
        # As a caller might log it, traceback included.
        log.error("sending failed: %s", caught.value, exc_info=caught.value)
    fake.answer_slow(1)
    for backend in (
        use_sms_provider(fake, TIMEOUT=0.2),
        use_sms_provider(fake, ENDPOINT=f"127.0.0.1:{closed_port()}"),
        use_sms_provider(fake, ACCESS_KEY_SECRET=secret + "-wrong"),
    ):
        with pytest.raises(SmsError) as caught:
            send_code(backend)
        log.warning("sending failed: %s", caught.value, exc_info=caught.value)

    # The SDKs and urllib3 did log at DEBUG (so the test saw what they write)...
    assert any(r.name.startswith("urllib3") for r in caplog.records)
    logged = caplog.text + "".join(r.getMessage() for r in caplog.records)
    captured = capfd.readouterr()
    # ... but not the code nor the secret, nor did anything on stdout or stderr.
    for text in (logged, captured.out, captured.err):
        assert CODE not in text
        assert secret not in text
