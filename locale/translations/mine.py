"""Chinese for 我的 (core/me.html and each app's section of it: activities, proposals,
plans)."""

ZH = {
    # The page
    "Me": "我的",
    "Everything that is yours: your activities, proposals, plans and more.": (
        "与您有关的一切：您报名的活动、提出的提案、关注的规划等。"
    ),
    # Activities
    "My activities": "我的活动",
    "Signed up, still to come": "已报名、尚未举行",
    "Check-in is open": "现在可以签到",
    "Check-in opens": "签到开始时间",
    "You have not signed up for any coming activity.": "您还没有报名近期的活动。",
    "See the coming activities": "去看看近期活动",
    "Attended": "参加过的活动",
    "%(hours)s volunteer hours": "志愿服务 %(hours)s 小时",
    "You have not attended an activity yet: check in at the next one you go to.": (
        "您还没有参加过活动。参加下一次活动时，请记得签到。"
    ),
    "Volunteer hours in all: %(hours)s": "志愿服务时长合计：%(hours)s 小时",
    "All my volunteer hours": "全部志愿服务时长",
    "My certificate": "我的服务证明",
    # Proposals
    "My proposals": "我的提案",
    "You have not made a proposal yet.": "您还没有提出提案。",
    "See the proposals": "去看看提案",
    "Proposals I support": "我支持的提案",
    "You do not support any proposal yet.": "您还没有支持任何提案。",
    "My comments": "我的评论",
    "Hidden by a moderator": "已被管理员隐藏",
    "No official reply yet.": "尚无官方回复。",
    "You have not commented on a proposal yet.": "您还没有评论过提案。",
    # Plans
    "Plans I follow": "我关注的规划",
    "Comment on the plan": "对方案提意见",
    "Object to the notice": "对公示提出异议",
    "until": "截至",
    "You do not follow any plan yet: follow one to be told of each step.": (
        "您还没有关注任何规划。关注后，每一步进展都会通知您。"
    ),
    "See the plans": "去看看规划",
    "My consultation comments and objections": "我的咨询意见和异议",
    "Comment": "意见",
    "Objection": "异议",
    "You have not commented in a consultation or objected to a notice yet.": (
        "您还没有在公众咨询中提过意见，也没有对公示提出过异议。"
    ),
    # Partner application, teams and committees
    "My partner application": "我的合伙人申请",
    "You have not applied to be a community partner.": "您还没有申请成为社区合伙人。",
    "My teams and committees": "我的团队和委员会",
    "You are not in a team or committee yet: the secretariat forms them from the partners' modes and skills.": (
        "您还没有加入团队或委员会。秘书处会根据合伙人的工作模式和技能组建团队。"
    ),
    # Surveys
    "Surveys I answered": "我填写过的问卷",
    "You have not answered a survey yet.": "您还没有填写过问卷。",
    "See the surveys": "去看看问卷",
}
