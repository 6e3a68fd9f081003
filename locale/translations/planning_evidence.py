"""Chinese for the planning loop's evidence: what each step still needs
(evidence.py), gathering it (evidence_services.py, the step page), residents' part
(drafts, dot votes, consultation, objections) and the A4 notice."""

ZH = {
    # evidence.py: what a step still lacks
    "Link the questionnaire of the community survey.": "请关联社区调研问卷。",
    "At least one photo of the sites surveyed.": "至少一张调研点位的照片。",
    "The needs list written from the survey.": "根据调研整理的需求清单。",
    "Link the co-design workshop or World Café held for this step.": (
        "请关联本步骤举办的共创工作坊或世界咖啡馆。"
    ),
    "The linked activity must be a co-design workshop or a World Café.": (
        "关联的活动须为共创工作坊或世界咖啡馆。"
    ),
    "The linked co-design session must have been held, with its sign-in.": (
        "关联的共创活动须已举办并有签到记录。"
    ),
    "A new version of the design with a note of what changed.": "新版本方案及修改说明。",
    "The new version must answer the residents' inputs of the participatory design.": (
        "新版本须回应居民参与设计阶段的意见。"
    ),
    "The new version's change log must answer the consultation.": (
        "新版本的修改说明须回应公众咨询意见。"
    ),
    "Link the joint meeting held for this step.": "请关联本步骤召开的联席会议。",
    "The linked meeting must be a joint meeting.": "关联的会议须为联席会议。",
    "The three parties' attendance (or recorded absence) at the joint meeting.": (
        "联席会议三方（居委会、业委会、物业）的出席或缺席记录。"
    ),
    "The joint meeting's approved minutes.": "联席会议经审定的会议纪要。",
    "The decided motion of the joint meeting.": "联席会议已表决的动议。",
    "The joint meeting's decision to approve (a plan sent back returns to its step).": (
        "联席会议通过方案的决定（被退回的方案回到相应步骤）。"
    ),
    "The motion approving the plan did not pass.": "通过方案的动议未获通过。",
    "Open the public consultation window on the current draft.": "请就当前方案开启公众咨询。",
    "The window must last at least %(days)d days.": "咨询期至少须 %(days)d 天。",
    "The window is open until %(date)s.": "咨询期至 %(date)s 结束。",
    "Post the public notice of the final plan.": "请发布最终方案的公示。",
    "The notice period must be at least %(days)d days.": "公示期至少须 %(days)d 天。",
    "The notice period must count working days.": "公示期须按工作日计算。",
    "The notice runs until %(date)s and cannot end early.": ("公示期至 %(date)s，不能提前结束。"),
    "The notice must be published online.": "公示须在网上发布。",
    "A photo of the notice on the notice board.": "公示栏张贴公示的照片。",
    "The result, published once the notice has ended.": "公示期满后发布的公示结果。",
    # evidence_services.py: refusals
    "This process is %(status)s; its evidence no longer changes.": (
        "该规划流程%(status)s，其佐证材料不再变动。"
    ),
    "This process has no open step.": "该流程没有进行中的步骤。",
    "Evidence goes to the open step: step %(order)d “%(title)s” is open, and this belongs "
    "to a step of another kind (%(kinds)s).": (
        "佐证材料只能提交到进行中的步骤：当前进行的是第 %(order)d 步“%(title)s”，"
        "而此项属于其他步骤（%(kinds)s）。"
    ),
    "Link a survey of the process's residential area (not a town-wide one).": (
        "请关联本居民区的问卷（全镇问卷不计入）。"
    ),
    "This survey is already linked to the step.": "该问卷已关联到本步骤。",
    "The need": "需求",
    "A needs list has at most %(n)d items.": "需求清单最多 %(n)d 项。",
    "This need is already on the list.": "该需求已在清单中。",
    "Only the open step's needs list can change.": "只有进行中步骤的需求清单可以修改。",
    "Choose what the photo shows.": "请选择照片内容。",
    "The caption": "照片说明",
    "A photo cannot be taken in the future.": "拍摄日期不能晚于今天。",
    "A step has at most %(n)d photos.": "每个步骤最多 %(n)d 张照片。",
    "An interview is recorded only with the interviewee's consent to the record.": (
        "须经受访者同意才能记录访谈。"
    ),
    "Choose who was interviewed.": "请选择受访者类别。",
    "Give the date the interview was held (not in the future).": (
        "请填写访谈日期（不能晚于今天）。"
    ),
    "The notes": "访谈记录",
    "The public summary": "公开摘要",
    "The title": "标题",
    "The description": "说明",
    "The change note": "修改说明",
    "Say what changed in this version and why (the change note).": (
        "请写明本版本改了什么、为什么改（修改说明）。"
    ),
    "The author must be a community partner of this town.": "作者须为本镇的社区合伙人。",
    "A version answers comments on this plan's drafts only.": "新版本只能回应本规划方案的评论。",
    "A version answers this plan's consultation comments only.": (
        "新版本只能回应本规划的公众咨询意见。"
    ),
    "Say in the change note how this version answers the inputs.": (
        "请在修改说明中写明本版本如何回应这些意见。"
    ),
    "This file is already a draft of this plan: upload the changed design.": (
        "该文件已是本规划的一版方案，请上传修改后的设计。"
    ),
    "Link an activity of the process's residential area.": "请关联本居民区的活动。",
    "Link a co-design workshop or a World Café.": "请关联共创工作坊或世界咖啡馆。",
    "This activity was cancelled.": "该活动已取消。",
    "This activity is already linked to the step.": "该活动已关联到本步骤。",
    "Choose a draft of this plan.": "请选择本规划的方案。",
    "The comment": "评论",
    "You have already placed your dot in this round.": "您在本轮已经投过点了。",
    "Link a meeting of the process's residential area.": "请关联本居民区的会议。",
    "Link a joint meeting (residents' committee, owners, property).": (
        "请关联联席会议（居委会、业委会、物业）。"
    ),
    "This meeting was cancelled.": "该会议已取消。",
    "This meeting is already linked to the step.": "该会议已关联到本步骤。",
    "The motion must belong to the joint meeting linked to this step.": (
        "动议须属于本步骤关联的联席会议。"
    ),
    "The decision of this meeting is already recorded.": "该会议的决定已经记录。",
    "The motion has not been decided yet.": "该动议尚未表决。",
    "The reasons": "理由",
    "The motion failed: the joint meeting did not approve the plan.": (
        "动议未通过：联席会议没有通过该方案。"
    ),
    "A plan can only go back to an earlier step (1 to %(last)d).": (
        "方案只能退回到之前的步骤（第 1 至 %(last)d 步）。"
    ),
    "Choose the decision: approve, or send the plan back.": "请选择决定：通过，或退回方案。",
    "The consultation of this step is already open.": "本步骤的公众咨询已经开启。",
    "The window must close after it opens.": "咨询截止时间须晚于开始时间。",
    "The window may last at most a year.": "咨询期最长一年。",
    "The plan “%(title)s” is open for comments until %(date)s.": (
        "规划“%(title)s”正在征求意见，截止 %(date)s。"
    ),
    "The consultation has not opened yet.": "公众咨询尚未开始。",
    "The consultation opens on %(date)s.": "公众咨询于 %(date)s 开始。",
    "The consultation closed on %(date)s; comments are no longer taken.": (
        "公众咨询已于 %(date)s 结束，不再接受意见。"
    ),
    "Only comments of the open consultation can be answered.": "只能回复进行中的公众咨询的意见。",
    "This comment already has an official reply.": "该意见已有官方回复。",
    "The reply": "回复",
    "Your comment on the plan “%(title)s” has an official reply.": (
        "您对规划“%(title)s”的意见已有官方回复。"
    ),
    "The notice of this step is already posted.": "本步骤的公示已经发布。",
    "The notice text": "公示内容",
    "A notice cannot be back-dated: it starts today or later.": (
        "公示不能倒签日期：须从今天或以后开始。"
    ),
    "The notice period may be at most a year.": "公示期最长一年。",
    "The final plan “%(title)s” is on public notice until %(date)s.": (
        "规划“%(title)s”的最终方案正在公示，至 %(date)s 止。"
    ),
    "The notice has not been posted yet.": "公示尚未发布。",
    "The notice starts on %(date)s.": "公示于 %(date)s 开始。",
    "The notice ended on %(date)s; objections are no longer taken.": (
        "公示已于 %(date)s 结束，不再接受异议。"
    ),
    "The objection": "异议",
    "Only objections to the open notice can be answered.": "只能回复进行中的公示收到的异议。",
    "This objection already has an official reply.": "该异议已有官方回复。",
    "Your objection to the plan “%(title)s” has an official reply.": (
        "您对规划“%(title)s”提出的异议已有官方回复。"
    ),
    "The result is already published.": "公示结果已经发布。",
    "Reply to every objection before publishing the result.": "请先回复所有异议，再发布结果。",
    "The result": "公示结果",
    "The result of the notice of “%(title)s” is published.": "规划“%(title)s”的公示结果已发布。",
    # files.py
    "Choose the draft's file.": "请选择方案文件。",
    "%(name)s is neither an image (JPEG, PNG or WebP) nor a PDF document: upload the draft "
    "as one of these.": (
        "%(name)s 既不是图片（JPEG、PNG 或 WebP），也不是 PDF 文档：请以这些格式上传方案。"
    ),
    # views_steps.py
    "The questionnaire is linked to the step.": "问卷已关联到本步骤。",
    "The need was added to the list.": "需求已加入清单。",
    "The photo was added.": "照片已添加。",
    "The interview was recorded.": "访谈已记录。",
    "The draft was uploaded.": "方案已上传。",
    "The co-design session is linked to the step.": "共创活动已关联到本步骤。",
    "The joint meeting is linked to the step.": "联席会议已关联到本步骤。",
    "The joint meeting's decision was recorded.": "联席会议的决定已记录。",
    "The public consultation is scheduled.": "公众咨询已安排。",
    "The public notice was posted.": "公示已发布。",
    "The result of the notice was published.": "公示结果已发布。",
    "This action is not possible in the open step.": "当前步骤不能进行此操作。",
    "Your dot was placed.": "您的投点已记录。",
    "Thank you: your comment was added.": "谢谢，您的意见已发表。",
    "The reply was published.": "回复已发布。",
    "Your objection was received.": "您的异议已收到。",
    "Choose a comment of this consultation to reply to.": "请选择本次公众咨询中要回复的意见。",
    "Choose an objection to this notice to reply to.": "请选择本次公示中要回复的异议。",
    "Your objection": "您的异议",
    # forms_steps.py
    "Questionnaire": "问卷",
    "A need from the survey": "调研得出的需求",
    "Caption": "说明",
    "Taken on": "拍摄日期",
    "Interviewee": "受访者",
    "Held on": "访谈日期",
    "Notes (team only)": "访谈记录（仅团队可见）",
    "Seen only by the team and the area's staff.": "仅团队和本居民区工作人员可见。",
    "Public summary (no names)": "公开摘要（不含姓名）",
    "Shown on the public plan page: no names or phone numbers (and no addresses).": (
        "将显示在公开的规划页面上：不得含姓名或电话号码（也请勿写住址）。"
    ),
    "The interviewee consented to the record and to the use of its summary": (
        "受访者同意记录访谈并使用其摘要"
    ),
    "Design file": "方案文件",
    "An image (JPEG, PNG or WebP) or a PDF document.": "图片（JPEG、PNG 或 WebP）或 PDF 文档。",
    "Author (community partner)": "作者（社区合伙人）",
    "What changed and why": "修改内容及原因",
    "Required from the second version on in steps 5, 7 and 9.": ("第 5、7、9 步从第二版起必填。"),
    "Residents' comments it answers": "回应的居民评论",
    "Consultation comments it answers": "回应的公众咨询意见",
    "It answers the dot votes": "回应了投点结果",
    "Co-design workshop or World Café": "共创工作坊或世界咖啡馆",
    "Deciding motion": "作出决定的动议",
    "Back to step": "退回到步骤",
    "Required when the plan is sent back.": "退回方案时必填。",
    "Draft consulted on": "征求意见的方案",
    "Opens at": "开始时间",
    "Closes at": "截止时间",
    "Final plan": "最终方案",
    "Notice text": "公示内容",
    "Posted on": "公示开始日期",
    "Period (days)": "公示期（天）",
    "Count working days": "按工作日计算",
    "Published online": "网上发布",
    "Posted on the notice board": "张贴在公示栏",
    "Your comment": "您的意见",
    "Result of the notice": "公示结果",
    "Published once the notice period is over and every objection is answered.": (
        "公示期满且所有异议均已回复后发布。"
    ),
    # templates
    "Evidence of the step": "步骤佐证材料",
    "Opened": "开始于",
    "Due": "截止",
    "Still missing": "尚缺",
    "Nothing: the step's evidence is complete and it may close.": (
        "无：本步骤佐证材料齐全，可以结束。"
    ),
    "Evidence gathered in this step": "本步骤已收集的佐证材料",
    "Remove a need": "删除需求",
    "Comments and replies": "意见与回复",
    "Objections and replies": "异议与回复",
    "Print the A4 notice": "打印 A4 公示",
    "Link the questionnaire": "关联问卷",
    "Add to the needs list": "添加到需求清单",
    "Photo of the notice on the board": "公示栏张贴照片",
    "Photo of a site": "点位照片",
    "Record an interview": "记录访谈",
    "Upload a design draft": "上传设计方案",
    "Link the co-design session": "关联共创活动",
    "Link the joint meeting": "关联联席会议",
    "Record the joint meeting's decision": "记录联席会议的决定",
    "Open the public consultation": "开启公众咨询",
    "Post the public notice": "发布公示",
    "Publish the result": "发布公示结果",
    "Suggested authors (planning partners):": "推荐作者（规划类合伙人）：",
    "Earlier steps": "之前的步骤",
    "Step %(order)s: %(title)s": "第 %(order)s 步：%(title)s",
    "Remove “%(text)s”": "删除“%(text)s”",
    "Step %(order)s: %(title)s (revision %(revision)s)": (
        "第 %(order)s 步：%(title)s（第 %(revision)s 轮）"
    ),
    "Questionnaires": "问卷",
    "Needs list": "需求清单",
    "Interviews": "访谈",
    "Co-design sessions": "共创活动",
    "Joint meetings": "联席会议",
    "Residents' inputs: %(comments)s comments, %(dots)s dot votes.": (
        "居民意见：评论 %(comments)s 条，投点 %(dots)s 个。"
    ),
    "back to step %(n)s": "退回到第 %(n)s 步",
    "Uploaded": "上传于",
    "Dot votes": "投点",
    "Open the PDF": "打开 PDF",
    "Residents' inputs this version answers": "本版本回应的居民意见",
    "The dot votes between the drafts": "各方案之间的投点结果",
    "Dot vote": "投点",
    "Your dot is on this draft.": "您的点投给了这个方案。",
    "You have placed your dot on another draft in this round.": "您在本轮已把点投给了另一个方案。",
    "Put my dot on this draft": "把我的点投给这个方案",
    "One dot per resident in this round; it cannot be moved once placed.": (
        "每位居民本轮只有一个点，投出后不能更改。"
    ),
    "Log in to vote and comment.": "登录后投点和评论。",
    "Residents' comments": "居民评论",
    "Other versions": "其他版本",
    "Draft version %(version)s: %(title)s": "方案第 %(version)s 版：%(title)s",
    "Opens": "开始",
    "Closes": "截止",
    "Open for comments": "正在征求意见",
    "Not open yet": "尚未开始",
    "The draft": "方案",
    "Comments and official replies": "意见与官方回复",
    "Awaiting an official reply.": "等待官方回复。",
    "Log in to comment.": "登录后发表意见。",
    "The plan in brief": "方案概要",
    "Scan to read the plan in full and to raise an objection online before the notice ends.": (
        "扫码查看方案全文，并可在公示期内在线提出异议。"
    ),
    "Back to the online notice": "返回网上公示",
    "Channels": "公示渠道",
    "online": "网上",
    "notice board": "公示栏",
    "Running: objections are taken": "公示中：接受异议",
    "Not started yet": "尚未开始",
    "Ended": "已结束",
    "Notice": "公示",
    "Printable A4 notice": "可打印的 A4 公示",
    "On the notice board": "公示栏张贴",
    "Objections and official replies": "异议与官方回复",
    "No objections.": "没有异议。",
    "Send the objection": "提交异议",
    "Log in to raise an objection.": "登录后提出异议。",
    "In progress": "进行中",
    "Closed": "已结束",
    "Send": "发送",
    "Decision": "决定",
    "Reasons": "理由",
    "Revision": "轮次",
    "Step": "步骤",
    "Author": "作者",
    "Period": "期限",
    "Plan": "方案",
    "Result": "结果",
    "Design description": "方案说明",
    "Public consultation": "公众咨询",
    "Public notice": "公示",
    "Notice on the board": "公示栏张贴",
    # Review fixes: one process per area, ids, phones, joint-meeting returns
    "%(area)s already has an active planning process; finish or abandon it first.": (
        "%(area)s 已有进行中的规划流程，请先完成或终止该流程。"
    ),
    "The public summary is shown on the plan page: leave out phone numbers "
    "(keep them in the team's notes, if at all).": (
        "公开摘要会显示在规划页面上：请勿填写电话号码（如确有需要，只记在团队记录中）。"
    ),
    "The joint meeting cannot send the plan back yet. Missing: %(missing)s": (
        "联席会暂不能退回方案。尚缺：%(missing)s"
    ),
    "Choose a need of the list.": "请选择清单中的一项需求。",
    # surveys/views.py (the builder's question buttons)
    "Choose a question of this survey.": "请选择本问卷中的题目。",
}

ZH_PLURAL = {
    "At least %(need)d response to the questionnaire (%(have)d so far).": (
        "问卷至少需要 %(need)d 份答卷（目前 %(have)d 份）。"
    ),
    "At least %(need)d interview record with consent (%(have)d so far).": (
        "至少需要 %(need)d 份经受访者同意的访谈记录（目前 %(have)d 份）。"
    ),
    "At least %(need)d distinct design draft (%(have)d so far).": (
        "至少需要 %(need)d 份不同的设计方案（目前 %(have)d 份）。"
    ),
    "At least %(need)d resident input on the drafts: comments or dot votes "
    "(%(have)d so far).": "居民对方案至少需要 %(need)d 条意见：评论或投点（目前 %(have)d 条）。",
    "An official reply to %(n)d comment.": "需对 %(n)d 条意见作出官方回复。",
    "An official reply to %(n)d objection.": "需对 %(n)d 条异议作出官方回复。",
    "%(days)s working day": "%(days)s 个工作日",
    "%(days)s day": "%(days)s 天",
}
