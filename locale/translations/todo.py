"""Chinese of the 待办 workbench (core/todo.py and the sections partners and planning
register there)."""

ZH = {
    "To do": "待办",
    "waiting": "项待办",
    "Sections of the to-do list": "待办分类",
    "Nothing waits here.": "暂无待办。",
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
    "closed": "已结束",
    "last day": "最后一天",
}

ZH_PLURAL = {
    "%(counter)s thing waits for you.": "您有 %(counter)s 项待办。",
    "And %(counter)s more.": "另有 %(counter)s 项。",
    "%(n)s day left": "还剩 %(n)s 天",
}
