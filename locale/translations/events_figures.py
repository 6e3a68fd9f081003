"""Chinese for Participation: reminders, participation figures, calendar feeds."""

ZH = {
    # Reminders
    "Reminder: %(title)s is tomorrow at %(time)s, %(venue)s.": (
        "提醒：%(title)s 将于明天 %(time)s 在%(venue)s举行。"
    ),
    # Figures: the two ways of counting, always named
    "counting\x04Person-times": "人次",
    "counting\x04People": "人数",
    "Participation figures": "参与统计",
    "Activities that took place from %(first)s to %(last)s.": (
        "统计 %(first)s 至 %(last)s 举行的活动。"
    ),
    "Only:": "仅限：",
    "Show all": "显示全部",
    "%(pt)s count every attendance, head counts at the door included; "
    "%(people)s count distinct persons.": (
        "%(pt)s计算每一次参与（含现场清点人数）；%(people)s计算不重复的人。"
    ),
    "Choose the period": "选择统计期间",
    "Show": "显示",
    "Totals": "合计",
    "%(pt)s counted at the door, without names": "现场清点的%(pt)s（不记名）",
    "By residential area": "按居民区",
    "By organising unit": "按主办组织",
    "By month": "按月份",
    "By age band": "按年龄段",
    "By activity": "按活动",
    "Only the age bands of people who agreed to their use for statistics; "
    "everyone else is counted as not stated.": (
        "仅统计同意将年龄段用于统计的居民；其他人计为“未说明”。"
    ),
    "Age band": "年龄段",
    "Not stated": "未说明",
    "Counted at the door without names": "现场清点（不记名）",
    "No organising unit": "无主办组织",
    "Community partners who took part": "参与活动的社区合伙人",
    "Partner": "合伙人",
    "Activity": "活动",
    "Date": "日期",
    "No attendance recorded.": "尚无参与记录。",
    "No activity took place in this period.": "此期间没有举行活动。",
    "Year": "年份",
    "Organising unit": "主办组织",
    "Month": "月份",
    "Give the month as YYYY-MM.": "月份格式为 YYYY-MM。",
    "period\x04From": "起始日期",
    "period\x04To": "截止日期",
    "All": "全部",
    "The end of the period must not come before its start.": "截止日期不能早于起始日期。",
    # Calendar feeds
    "Activities · %(place)s": "活动 · %(place)s",
    "Add to your calendar (iCalendar)": "订阅到日历（iCalendar）",
    # Check-in screen
    "Open the check-in page on this device": "在本设备上打开签到页面",
}

ZH_PLURAL = {
    "%(counter)s partner took part.": "%(counter)s 位合伙人参与。",
}
