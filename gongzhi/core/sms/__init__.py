"""The SMS gateway: one small interface, backends chosen by setting.

``settings.GONGZHI_SMS["BACKEND"]`` names the backend class:

- ``gongzhi.core.sms.console.ConsoleBackend`` (the default, the demo): the message is
  written to the log and to the demo outbox (``core.SmsOutbox``), never sent;
- ``gongzhi.core.sms.aliyun.AliyunBackend``: Alibaba Cloud SMS (Dysmsapi) through its
  official SDK;
- ``gongzhi.core.sms.tencent.TencentBackend``: Tencent Cloud SMS through its official SDK.

Chinese carriers only deliver text built from a template the provider approved in
advance, signed with the deployment's approved signature (签名). So a message is sent
as a *template key* (``"code"`` for verification codes, else a notification kind's key)
and its *parameters*; each deployment maps the keys to its provider's template ids in
``GONGZHI_SMS["TEMPLATES"]``. ``text`` is the message as the platform writes it: the
console backend shows it; providers ignore it (their approved template holds the words).

Callers do not use backends directly: codes go through ``gongzhi.core.sms.codes`` and
notifications through the SMS channel of ``core.notifications``; both record every
message sent as a ``core.SmsMessage`` row.
"""

from .base import Receipt, Sent, SmsBackend, SmsError, get_backend

__all__ = ["Receipt", "Sent", "SmsBackend", "SmsError", "get_backend"]
