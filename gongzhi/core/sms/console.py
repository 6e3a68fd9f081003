"""The console backend: for the demo and development. Nothing leaves the machine.

Each message is written to the log (codes included: this is the only backend that
ever logs a code) and to the demo outbox, a page the administrator reads to sign in
as a demo resident by code (``/sms/outbox/``)."""

import logging
import uuid

from .base import Sent, SmsBackend, segments

logger = logging.getLogger("gongzhi.sms")


class ConsoleBackend(SmsBackend):
    name = "console"

    def send(self, *, phone, template, params, text) -> Sent:
        from gongzhi.core.models import SmsOutbox

        sign = self.options.get("SIGN_NAME", "")
        full = f"【{sign}】{text}" if sign else text
        logger.info("SMS to %s (%s): %s", phone, template, full)
        SmsOutbox.objects.create(phone=phone, template=template, text=full)
        return Sent(provider_id=f"console-{uuid.uuid4().hex}", cost_units=segments(full))

    def parse_receipts(self, body):
        raise ValueError("the console backend sends no delivery reports")
