"""Chinese for Reports: the figures dashboard, the annual report (年度报告), each
figure with its counting rule (统计口径: 人次 counts every attendance, 人数 distinct
persons), and the bundle of ledgers (台账) downloaded as one Excel workbook."""

ZH = {
    # The period and the area asked for
    "Give the year as four digits, e.g. 2023.": "请用四位数字填写年份，例如 2023。",
    "There are no figures for %(year)s: choose a year from %(first)d to %(last)d.": (
        "没有 %(year)s 年的数据：请选择 %(first)d 至 %(last)d 年之间的年份。"
    ),
    "%(field)s is not a date: give it as YYYY-MM-DD.": (
        "%(field)s不是有效日期：请按 YYYY-MM-DD 格式填写。"
    ),
    "%(field)s must fall between %(first)d and %(last)d.": (
        "%(field)s须在 %(first)d 年至 %(last)d 年之间。"
    ),
    "Give either a year or a start and end date, not both.": (
        "请填写年份或起止日期，二者不能同时填写。"
    ),
    "The end date": "截止日期",
    "The start date": "起始日期",
    "This residential area is not in this town.": "该居民区不属于本镇。",
    "Or choose a range of dates instead of a year.": "也可以不选年份，改选日期范围。",
    "—": "—",
    "The whole town": "全镇",
    # The figures and how each is counted
    "Residential areas served": "覆盖居民区",
    "areas": "个居民区",
    "Residential areas with at least one active community partner living there who joined on or before the last day of the period (partner cultivation).": (
        "有至少一名在册社区合伙人居住、且该合伙人在统计期末当天或之前加入的居民区（合伙人培育）。"
    ),
    "Community partners whose status is active and who joined on or before the last day of the period. The records keep no date of leaving or pausing, so a partner who has left or paused is not counted in any period. By work mode: a partner with several modes counts once in each (primary and secondary modes).": (
        "状态为在册、且在统计期末当天或之前加入的社区合伙人。记录中没有退出或暂停的日期，"
        "因此已退出或暂停的合伙人在任何期间都不计入。按工作模式统计时，"
        "有多种工作模式的合伙人在每种模式中各计一次（含主要和其他工作模式）。"
    ),
    "Dual-registered party members": "双报到党员",
    "The community partners counted above who are dual-registered party members (registered at their workplace and in their residential community).": (
        "上述社区合伙人中的双报到党员（已在工作单位和居住社区双报到）。"
    ),
    "Published activities (not drafts, not cancelled) that started in the period, up to now; town-wide activities count for the town only.": (
        "统计期间内截至目前已开始的已发布活动（不含草稿和已取消的活动）；全镇活动只计入全镇。"
    ),
    "Person-times": "人次",
    "person-times": "人次",
    "Attendances at the activities counted above: every check-in of a named person counts once per activity, plus the head counts of walk-ins taken at the door. People present at meetings are counted separately (the part “meetings (present)”) and are not included in this figure.": (
        "上述活动的参与人次：实名签到每人每场活动计一次，另加现场清点的未登记参与人数。"
        "会议实到人员另行统计（见“会议（实到）”一项），不计入本数。"
    ),
    "Meetings (present)": "会议（实到）",
    "people": "人",
    "Distinct named persons (accounts) who checked in to at least one of the activities counted above; walk-ins have no names and are not counted here.": (
        "在上述活动中至少签到过一次的不同实名人员（账户）；现场参加者没有姓名，不计入此数。"
    ),
    "Proposals submitted in the period, whatever became of them; by their status today.": (
        "统计期间内提交的提案，不论后续结果如何；按目前状态分类。"
    ),
    "Meetings of every kind (self-governance, joint, deliberation, hearings ...) that started in the period, up to now, and were not cancelled; town-wide meetings count for the town only.": (
        "统计期间内截至目前已召开且未取消的各类会议（自治会议、联席会、议事会、听证会等）；"
        "全镇会议只计入全镇。"
    ),
    "Micro-renewal projects built": "建成微更新项目",
    "projects": "项目",
    "Micro-renewal projects completed in the period (their completion date).": (
        "统计期间内完工的微更新项目（以完工日期为准）。"
    ),
    "Micro-renewal projects by status": "微更新项目（按状态）",
    "Micro-renewal projects whose planned or actual dates overlap the period (planned, under way or finished in it); by their status today.": (
        "计划或实际日期与统计期间有重叠的微更新项目（期间内计划中、施工中或已完工）；按目前状态分类。"
    ),
    "Step %(order)d: %(title)s": "第 %(order)d 步：%(title)s",
    "Participatory planning processes": "参与式社区规划",
    "processes": "流程",
    "Planning processes (not drafts) started on or before the last day of the period and neither abandoned nor completed before its first day; by their current step, or completed or abandoned.": (
        "在统计期末当天或之前启动、且未在统计期首日之前终止或完成的规划流程（不含草稿）；"
        "按当前步骤或已完成、已终止分类。"
    ),
    "Volunteer hours": "志愿服务时长",
    "hours": "小时",
    "Hours from check-in to check-out at the volunteer-service activities counted above (each capped at the activity's length), plus manual additions approved by the organiser, at any of those activities.": (
        "上述志愿服务活动中从签到到签退的时长（每次不超过活动时长），"
        "加上上述任一活动中经组织者审核通过的手动补录时长。"
    ),
    "Satisfaction": "满意度",
    "out of 5": "分（满分 5）",
    "Average of every answer (1 to 5) to the satisfaction question of the satisfaction surveys of the projects completed in the period; none when nobody has answered. %(responses)d responses.": (
        "统计期间内完工项目的满意度调查中，满意度题目全部回答（1 至 5 分）的平均值；"
        "无人作答时不显示。共 %(responses)d 份答卷。"
    ),
    "Sense of gain": "获得感",
    "Average of every answer (1 to 5) to the sense-of-gain question of the satisfaction surveys of the projects completed in the period; none when nobody has answered. %(responses)d responses.": (
        "统计期间内完工项目的满意度调查中，获得感题目全部回答（1 至 5 分）的平均值；"
        "无人作答时不显示。共 %(responses)d 份答卷。"
    ),
    # The dashboard's breakdowns
    "Community partners by work mode": "社区合伙人（按工作模式）",
    "Activities by kind": "活动（按类型）",
    "Micro-renewal projects by kind": "建成微更新项目（按类型）",
    "Person-times at activities and at meetings": "活动与会议的参与人次",
    "Proposals by status": "提案（按状态）",
    "Meetings by kind": "会议（按类型）",
    "Planning processes by step": "规划流程（按步骤）",
    "Number": "数量",
    "Trends by month": "月度趋势",
    "Comparison across areas": "各居民区对比",
    "Person-times by area": "各居民区人次",
    "Records by area": "各居民区记录数",
    "Participation by age band": "各年龄段参与情况",
    # The dashboard
    "Figures of %(place)s": "%(place)s数据",
    "Period: %(period)s": "统计期间：%(period)s",
    "Every figure is counted from the records, never typed in; each links to the records behind it. Person-times count every attendance, people count distinct persons.": (
        "每项数据都由记录自动统计，从不手工填写；点击即可查看其依据的记录。"
        "人次计算每一次参与，人数计算不重复的人。"
    ),
    "Choose the year, the dates or the area": "选择年份、日期或居民区",
    "Annual report %(year)s": "%(year)s 年度报告",
    "Download all ledgers %(year)s (Excel)": "下载 %(year)s 年全部台账（Excel）",
    "The numbers as a table": "以表格查看数据",
    "How it is counted": "统计口径",
    # The annual report
    "There is no annual report for that year.": "该年份没有年度报告。",
    "%(place)s %(year)s: annual report": "%(place)s %(year)s 年度报告",
    "The whole town's report": "全镇报告",
    "%(place)s %(year)s: annual report of the community partner work": (
        "%(place)s %(year)s 年度社区合伙人工作报告"
    ),
    "The figures reported": "上报数据",
    "Further figures": "其他数据",
    "Highlights: micro-renewal projects completed": "亮点：已完工的微更新项目",
    "completed on %(date)s": "%(date)s 完工",
    "No micro-renewal project was completed in this year.": "本年度没有完工的微更新项目。",
    "Participatory planning processes and their outcome": "参与式社区规划流程及其结果",
    "Outcome": "结果",
    "At step %(order)s: %(title)s": "进行到第 %(order)s 步：%(title)s",
    "No planning process ran in this year.": "本年度没有进行中的规划流程。",
    "How the figures are counted": "数据统计口径",
    "Every figure is counted from the records of the platform, never typed in. Person-times count every attendance, people count distinct persons.": (
        "每项数据都由平台记录自动统计，从不手工填写。人次计算每一次参与，人数计算不重复的人。"
    ),
    "Counted from the platform's records on %(date)s.": "根据平台 %(date)s 的记录统计。",
    "Show the report": "查看报告",
    "Print": "打印",
    "Back to the dashboard": "返回数据看板",
    # The ledgers bundle
    "%(town)s community partner roster, %(year)d": "%(town)s社区合伙人台账（%(year)d 年）",
    "Harvest: %(themes)s": "成果汇总：%(themes)s",
    "Raised %(amount)s yuan": "筹得 %(amount)s 元",
    "ledger column\x04People (人数)": "人数",
    "ledger column\x04Person-times (人次)": "人次",
    "ledger column\x04Of which counted at the door": "其中现场清点",
    "ledger column\x04Effect": "活动成效",
    "sheet title\x04Activity ledger": "活动台账",
    "%(town)s activity ledger, %(year)d": "%(town)s活动台账（%(year)d 年）",
    "%(town)s activity ledger, exported %(date)s": "%(town)s活动台账（导出日期：%(date)s）",
    "ledger column\x04Volunteer": "志愿者",
    "ledger column\x04Source": "时长来源",
    "ledger column\x04Approved by": "审核人",
    "Check-in and check-out": "签到签退",
    "Added by hand: %(reason)s": "手动补录：%(reason)s",
    "sheet title\x04Volunteer hours": "志愿服务时长台账",
    "%(town)s volunteer hours, %(year)d": "%(town)s志愿服务时长台账（%(year)d 年）",
    "%(town)s volunteer hours, exported %(date)s": (
        "%(town)s志愿服务时长台账（导出日期：%(date)s）"
    ),
    "Ledgers": "台账",
}

ZH_PLURAL = {}
