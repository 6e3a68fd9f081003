"""Chinese for the deliberation capability's shared strings (town page links, core
helpers it added); the proposals and meetings tables hold their apps' own strings."""

ZH = {
    "Take part": "参与",
    "Proposals": "提案",
    "Meetings": "会议",
    "Raise an idea for your community, or support a neighbour's.": "为社区提出想法，或支持邻居的提案。",
    "Self-governance and joint meetings: agendas, decisions and minutes.": "自治会议与联席会：议程、决议和会议纪要。",
    "Workshops, salons and markets to sign up for.": "可报名参加的工作坊、沙龙和市集。",
    "Calls for designs, entries and the public vote.": "设计征集、参赛方案和公众投票。",
}

ZH_PLURAL = {}
ZH.update(
    {
        "Proposals raised": "提出的提案",
        "No proposal yet.": "还没有提案。",
    }
)
ZH.update(
    {
        "meeting record\x04minutes": "会议纪要",
        "vote count\x04yes": "赞成",
        "vote count\x04no": "反对",
        "vote count\x04abstain": "弃权",
        "motion\x04decided at": "表决时间",
        "person\x04name": "姓名",
    }
)
