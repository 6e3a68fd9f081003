"""Chinese for surveys (问卷调研): the questionnaire builder, answering on a phone,
results and exports."""

ZH = {
    # Models
    "Surveys": "问卷调研",
    "survey": "问卷",
    "surveys": "问卷",
    "survey status\x04Open": "进行中",
    "survey status\x04Closed": "已结束",
    "introduction": "说明",
    "residents may answer without an account": "居民无需账号即可作答",
    "opened at": "开始时间",
    "closed at": "结束时间",
    "Single choice": "单选",
    "Multiple choice": "多选",
    "Scale of 1 to 5": "量表（1–5 分）",
    "Free text": "填空",
    "required": "必答",
    "options": "选项",
    "questions": "题目",
    "respondent": "答卷人",
    "device": "设备",
    "submitted at": "提交时间",
    "response": "答卷",
    "responses": "份答卷",
    "choices": "所选选项",
    "scale": "分值",
    "text": "文字",
    "answer": "回答",
    "answers": "回答",
    # Forms
    "Introduction": "说明",
    "Why you ask, how long it takes, and what happens with the answers.": (
        "为什么调研、大约需要多长时间、答卷将如何使用。"
    ),
    "Residents may answer without an account (one answer per phone)": (
        "居民无需账号即可作答（每部手机限答一次）"
    ),
    "Question": "题目",
    "Options": "选项",
    "Option": "选项",
    "For single and multiple choice: one option a line, 2 to %(max)d.": (
        "单选题和多选题：每行一个选项，2 至 %(max)d 个。"
    ),
    "1 · least": "1 · 最低",
    "5 · most": "5 · 最高",
    "Choose any that apply.": "可选多项。",
    # Services
    "The questions are published: they cannot change once the survey is open.": (
        "题目已发布：问卷开始后不能再修改题目。"
    ),
    "The residential area must be in this town.": "居民区必须属于本镇（街道）。",
    "Choose the kind of question.": "请选择题型。",
    "A choice question needs at least 2 options.": "选择题至少需要 2 个选项。",
    "A question has at most %(max)d options.": "每题最多 %(max)d 个选项。",
    "Two options are the same: each option must differ.": "有两个选项相同：各选项不能重复。",
    "A survey has at most %(max)d questions.": "每份问卷最多 %(max)d 道题。",
    "The new order must list every question of the survey once.": (
        "新的顺序必须包含问卷的每道题，且每道题只出现一次。"
    ),
    "Only a draft survey can be opened.": "只有草稿状态的问卷才能开始。",
    "Add at least one question before opening the survey.": "开始问卷前请至少添加一道题。",
    "Only an open survey can be closed.": "只有进行中的问卷才能结束。",
    "Question %(number)d needs an answer.": "第 %(number)d 题为必答题，请作答。",
    "Question %(number)d: choose one option.": "第 %(number)d 题：请只选一项。",
    "Question %(number)d: choose one of the options given.": "第 %(number)d 题：请从所给选项中选一项。",
    "Question %(number)d: choose among the options given.": "第 %(number)d 题：请从所给选项中选择。",
    "Question %(number)d: choose a number from 1 to 5.": "第 %(number)d 题：请选择 1 至 5 之间的分值。",
    "Question %(number)d: the answer is too long: at most %(limit)d characters, "
    "this has %(length)d.": "第 %(number)d 题：回答过长，最多 %(limit)d 字，现有 %(length)d 字。",
    "Some answers are for questions this survey does not have.": "部分回答对应的题目不属于本问卷。",
    "You have already answered this survey: thank you.": "您已填写过这份问卷，感谢参与。",
    "This survey has closed: it no longer takes answers.": "本问卷已结束，不再接受作答。",
    "This survey is not open yet.": "本问卷尚未开始。",
    "Log in to answer this survey.": "请登录后填写本问卷。",
    "Your browser did not keep our cookie: allow cookies, or log in to answer.": (
        "您的浏览器未保存本站 Cookie：请允许 Cookie，或登录后作答。"
    ),
    # Views and pages
    "The survey was saved as a draft. Add its questions.": "问卷已保存为草稿，请添加题目。",
    "The question was added.": "题目已添加。",
    "The question was saved.": "题目已保存。",
    "New survey": "新建问卷",
    "No survey here yet.": "这里还没有问卷。",
    "Build the survey": "编辑问卷",
    "Answers without an account allowed (one per phone)": "允许无账号作答（每部手机一次）",
    "Residents log in to answer": "居民登录后作答",
    "The survey page": "问卷页面",
    "Questions": "题目",
    "Optional": "选答",
    "Move up": "上移",
    "Move down": "下移",
    "Delete": "删除",
    "No questions yet.": "还没有题目。",
    "Add a question": "添加题目",
    "Add the question": "添加此题",
    "Answers": "作答",
    "Opening publishes the survey: residents can answer, and the questions cannot change "
    "afterwards.": "开始后问卷即公开：居民可以作答，题目不能再修改。",
    "Open the survey": "开始问卷",
    "Open since %(opened)s.": "自 %(opened)s 起进行中。",
    "Close the survey": "结束问卷",
    "Closed on %(closed)s.": "已于 %(closed)s 结束。",
    "QR code to print": "打印用二维码",
    "Link to share": "分享链接",
    "QR code of the survey page": "问卷页面二维码",
    "Download the QR code (SVG)": "下载二维码（SVG）",
    "Change the question": "修改题目",
    "Shares are of the people who answered each question; with multiple choice they can "
    "add up to more than 100 per cent.": (
        "占比按每题的作答人数计算；多选题各选项占比之和可超过 100%。"
    ),
    "Download CSV": "下载 CSV",
    "Download Excel": "下载 Excel",
    "Average %(average)s of 5": "平均 %(average)s 分（满分 5 分）",
    "Value": "分值",
    "Count": "人数",
    "Share": "占比",
    "No answers yet.": "还没有回答。",
    "Thank you for taking part!": "感谢参与！",
    "Your answers were received.": "您的答卷已提交。",
    "Log in to answer this survey: each resident answers once.": (
        "请登录后填写本问卷：每位居民限答一次。"
    ),
    "survey\x04Submit": "提交",
    "survey\x04Results": "调研结果",
    # Exports
    "Submitted at": "提交时间",
    "Responses": "答卷",
}

ZH_PLURAL = {
    "%(counter)s response": "%(counter)s 份答卷",
    "%(counter)s answered": "%(counter)s 人作答",
    "%(counter)s more answer is in the downloads.": "另有 %(counter)s 条回答见下载文件。",
    "%(counter)s question. Those marked * need an answer.": (
        "共 %(counter)s 题，带 * 的为必答题。"
    ),
}
