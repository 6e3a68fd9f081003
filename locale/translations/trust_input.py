"""Chinese for hostile and hurried input (issue 13): forms sent without a known
action, dates outside a plausible range."""

ZH = {
    "The form was sent without saying what to do. Reload the page and try again.": (
        "提交的表单未注明要办理的事项，请刷新页面后重试。"
    ),
    "“%(action)s” is not an action of this page. Reload the page and try again.": (
        "“%(action)s”不是本页面可办理的事项，请刷新页面后重试。"
    ),
    # Plausible dates (core.validators)
    "%(field)s cannot be later than now.": "%(field)s不能晚于现在。",
    "%(field)s cannot be after %(date)s.": "%(field)s不能晚于 %(date)s。",
    "Give a date that is not in the future.": "请填写不晚于今天的日期。",
    "Give a date no later than %(date)s.": "请填写不晚于 %(date)s 的日期。",
    "When the photo was taken": "拍摄时间",
    "The due date": "完成期限",
    "The day the photo was taken": "拍摄日期",
    "The day of the interview": "访谈日期",
}
