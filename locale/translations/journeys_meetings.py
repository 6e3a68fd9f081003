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
