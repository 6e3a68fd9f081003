"""Chinese for editing a meeting until it decides, and the quorum it counts (issue 14)."""

ZH = {
    "The meeting has taken decisions; its details can no longer be changed.": (
        "会议已作出决定，会议信息不能再修改。"
    ),
    "These cannot be changed: %(f)s.": "以下内容不能修改：%(f)s。",
    "The quorum cannot be counted: give the number of members or delegates "
    "(edit the meeting), or invite the members.": (
        "无法计算到会人数是否过半：请在“修改会议信息”中填写应到成员（代表）人数，或邀请参会成员。"
    ),
    "The meeting's details are saved.": "会议信息已保存。",
    "Edit the meeting": "修改会议信息",
    "Save the meeting": "保存会议信息",
}

# Check-in times on the QR screen, the roster and the activity page (issue 14).
ZH |= {
    "Check-in is open until %(closes)s. The code changes every few minutes; this page "
    "keeps it current.": "签到开放至 %(closes)s。二维码每隔几分钟更新，本页面会自动刷新。",
    "Check-in opens at %(opens)s (one hour before the start) and closes at %(closes)s. "
    "Keep this page open: the code appears here by itself.": (
        "签到将于 %(opens)s 开放（活动开始前一小时），%(closes)s 截止。请保持本页面打开，届时二维码会自动显示。"
    ),
    "Check-in closed at %(closes)s. Staff can still record attendance from the roster.": (
        "签到已于 %(closes)s 截止。工作人员仍可在签到名册中补录。"
    ),
    "Check-in opens at %(opens)s, one hour before the start; the check-in buttons appear "
    "here then.": "签到将于 %(opens)s 开放（活动开始前一小时），届时此处显示签到按钮。",
    "Recording attendance closed at %(closes)s.": "补录签到已于 %(closes)s 截止。",
    "Check-in by QR code: from %(opens)s to %(closes)s.": "扫码签到时间：%(opens)s 至 %(closes)s。",
}
