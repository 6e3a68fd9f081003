"""Chinese of issue 14's check-in hours on the activity page and the QR link."""

ZH = {
    "At the venue, scan the check-in QR code between %(opens)s and %(closes)s.": (
        "请在 %(opens)s 至 %(closes)s 之间到现场扫描签到二维码。"
    ),
    "Check-in opens at %(opens)s (one hour before the start) and closes at %(closes)s. "
    "Scan the code on the screen again then.": (
        "签到于 %(opens)s 开始（活动开始前一小时），%(closes)s 结束。届时请重新扫描现场屏幕上的二维码。"
    ),
    "Back to the activity": "返回活动页面",
    "Check-in closed at %(closes)s. If you took part, ask the organiser to record your "
    "attendance.": "签到已于 %(closes)s 结束。如您参加了活动，请联系组织者为您补录签到。",
}
