"""Chinese of issue 14's remaining sections: 我的 (design contests; a partner's
commitments and matching suggestions; what a follower can do in the step at hand;
comments on drafts), 待办 (surveys at their target, plan steps due or overdue with
the evidence they lack, budgets used up), the refusal page and a meeting's quorum on
its public page."""

ZH = {
    # 我的: design contests (contests/mine.py, templates/contests/mine.html)
    "My design contests": "我的设计赛",
    "Public votes open now": "正在进行的公众投票",
    "You have not voted yet; the vote closes at %(closes)s.": "您尚未投票，投票截至 %(closes)s。",
    "Vote for a finalist": "为入围作品投票",
    "My entries": "我的参赛作品",
    "Winner": "获奖",
    "stage reached: %(stage)s": "已进入：%(stage)s",
    "You have not entered a design contest.": "您还没有参加过设计赛。",
    "See the design contests": "查看设计赛",
    "My public votes": "我的公众投票",
    "The results": "评选结果",
    "You have not voted in a contest's public vote.": "您还没有参加过设计赛的公众投票。",
    # 我的: a partner's commitments and suggestions (partners/mine.py and the openings
    # that events, contests and planning offer)
    "My commitments as a partner": "我作为社区合伙人的安排",
    "Nothing is booked for you in the next 30 days: the staff put partners on "
    "activities, juries and plans, and what they book you for shows here.": (
        "未来 30 天内暂无为您安排的工作。工作人员为活动、评审团和规划安排合伙人后，会显示在这里。"
    ),
    "Suggested for you": "为您推荐",
    "Where the partner matching puts you forward now, with its reasons. Tell the "
    "organisers if you would like to take part.": (
        "以下是合伙人匹配目前为您推荐的工作及理由。如有意参与，请告诉组织者。"
    ),
    "Nothing open fits your modes, skills or area right now.": (
        "目前没有与您的合伙人类型、专长或所在小区相符的工作。"
    ),
    "Help run “%(activity)s”": "协助开展“%(activity)s”",
    "The jury of “%(contest)s”": "“%(contest)s”评审团",
    "Design drafts for “%(plan)s”": "为“%(plan)s”设计方案稿",
    # 我的: plans (planning/mine.py, templates/planning/mine.html)
    "Answer the survey": "填写问卷",
    "See the drafts and place your dot": "查看方案稿并投点",
    "Comment on the drafts": "评论方案稿",
    "My comments on design drafts": "我对方案稿的意见",
    "Version %(v)s": "第 %(v)s 稿",
    "Answered in version %(v)s": "已在第 %(v)s 稿中回应",
    "Not answered by a new version yet.": "尚未在新的方案稿中回应。",
    # 待办 (planning/todo.py, renewal/todo.py)
    "Surveys that reached their target": "已达到目标份数的问卷",
    "Close “%(survey)s”: %(responses)s responses, target %(target)s": (
        "关闭“%(survey)s”：已收 %(responses)s 份，目标 %(target)s 份"
    ),
    "%(area)s · plan “%(plan)s”": "%(area)s · 规划“%(plan)s”",
    "Plan steps overdue or due within a week": "已逾期或一周内到期的规划步骤",
    "“%(plan)s”, step %(order)s: %(step)s": "“%(plan)s”第 %(order)s 步：%(step)s",
    "%(area)s · %(due)s · %(todo)s": "%(area)s · %(due)s · %(todo)s",
    "due today": "今天到期",
    "Missing: %(items)s": "尚缺：%(items)s",
    "; ": "；",
    "Evidence complete: close the step": "佐证材料已齐全：可结束本步骤",
    "Projects whose spending has reached the budget": "支出已达预算的项目",
    "“%(project)s” has spent its budget": "“%(project)s”的预算已用完",
    "%(area)s · spent %(spent)s of %(allowed)s yuan": (
        "%(area)s · 已支出 %(spent)s 元，可支出 %(allowed)s 元"
    ),
    # The refusal page (core/views.py, templates/403.html)
    "You do not have permission to see or do this. It is for another role (the "
    "area's staff, the town's secretariat or the people it belongs to); if you "
    "think you should be able to, ask your residents' committee.": (
        "您没有查看或进行此操作的权限。它属于其他角色（居委会工作人员、镇秘书处或相关当事人）；"
        "如您认为应当有权限，请联系您所在的居委会。"
    ),
    "Back to the previous page": "返回上一页",
    "Back to %(section)s": "返回“%(section)s”",
    "Back to the town's home page": "返回本镇首页",
    # A meeting's public page (templates/meetings/meeting_detail.html)
    "Quorum": "到会人数",
}

ZH_PLURAL = {
    "due in %(n)s day": "%(n)s 天后到期",
}
