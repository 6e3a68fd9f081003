"""Chinese of the 待办 workbench (core/todo.py and the sections partners and planning
register there)."""

ZH = {
    "To do": "待办",
    "waiting": "项待办",
    "Sections of the to-do list": "待办分类",
    "The to-do list is for area staff and the secretariat. Your own sign-ups, "
    "proposals and applications are under your account.": (
        "待办仅供居委会工作人员和秘书处使用。您本人的报名、提案和申请，请在“我的”中查看。"
    ),
    "Partner applications to review": "待审核的社区合伙人申请",
    "Recommendations not yet answered": "居民尚未回应的推荐",
    "Application of %(name)s": "%(name)s 的申请",
    "%(area)s · sent on %(date)s": "%(area)s · %(date)s 提交",
    "Recommendation of %(name)s": "推荐 %(name)s",
    "%(area)s · link valid until %(date)s": "%(area)s · 链接有效期至 %(date)s",
    "Consultation comments awaiting an official reply": "待答复的公众咨询意见",
    "Objections awaiting an official reply": "待答复的公示异议",
    "Comment on “%(plan)s”: %(text)s": "对“%(plan)s”的意见：%(text)s",
    "Objection to “%(plan)s”: %(text)s": "对“%(plan)s”的异议：%(text)s",
    "%(area)s · consultation: %(left)s": "%(area)s · 公众咨询：%(left)s",
    "%(area)s · notice: %(left)s": "%(area)s · 公示：%(left)s",
    "Reported comments to moderate": "待处理的被举报评论",
    "Proposal comments awaiting an official reply": "待答复的提案评论",
    "Reported comment on “%(proposal)s”: %(text)s": "“%(proposal)s”下被举报的评论：%(text)s",
    "Comment on “%(proposal)s”: %(text)s": "对“%(proposal)s”的评论：%(text)s",
    "%(area)s · written on %(date)s": "%(area)s · %(date)s 发表",
    "Volunteer hours to approve": "待审核的志愿时长",
    "%(area)s · %(date)s": "%(area)s · %(date)s",
    "Meetings held without minutes": "尚无会议纪要的会议",
    "Minutes awaiting approval": "待审定的会议纪要",
    "Write the minutes of “%(meeting)s”": "撰写“%(meeting)s”的会议纪要",
    "Approve the minutes of “%(meeting)s”": "审定“%(meeting)s”的会议纪要",
    "%(place)s · %(date)s": "%(place)s · %(date)s",
    "Project milestones overdue": "逾期的项目节点",
    "“%(milestone)s” of “%(project)s”": "“%(project)s”的“%(milestone)s”",
    "%(area)s · %(late)s": "%(area)s · %(late)s",
    "Notices ending soon": "即将期满的公示",
    "Notice of “%(plan)s”": "“%(plan)s”的公示",
    "closed": "已结束",
    "last day": "最后一天",
}

ZH_PLURAL = {
    "%(counter)s thing waits for you.": "您有 %(counter)s 项待办。",
    "And %(counter)s more.": "另有 %(counter)s 项。",
    "%(n)s day left": "还剩 %(n)s 天",
    "%(n)s day overdue": "逾期 %(n)s 天",
    "%(minutes)s minute of volunteer hours at “%(activity)s”": (
        "“%(activity)s”的志愿时长 %(minutes)s 分钟"
    ),
}
