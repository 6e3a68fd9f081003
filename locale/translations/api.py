"""Chinese for the open interfaces (开放接口): the API's JSON errors, API tokens for
integrations, open data in the Popolo shape (names masked) and the iCalendar feeds."""

ZH = {
    # The app and its tokens
    "Open interfaces": "开放接口",
    "key digest (SHA-256)": "密钥摘要（SHA-256）",
    "key prefix": "密钥前缀",
    "expires at": "过期时间",
    "last used at": "最近使用时间",
    "revoked at": "撤销时间",
    "API token": "API 令牌",
    "API tokens": "API 令牌",
    "Revoke the selected tokens": "撤销所选令牌",
    "%(n)d tokens revoked.": "已撤销 %(n)d 个令牌。",
    "The token's name": "令牌名称",
    "A token is valid from 1 to %(max)d days; %(days)s is not allowed.": (
        "令牌有效期须为 1 至 %(max)d 天；%(days)s 不符合要求。"
    ),
    "This token was already revoked.": "此令牌已被撤销。",
    # Authentication
    "Send the token as “Authorization: Bearer <key>”.": (
        "请以“Authorization: Bearer <key>”的形式发送令牌。"
    ),
    "This API token is not known.": "无法识别此 API 令牌。",
    "This API token was revoked.": "此 API 令牌已被撤销。",
    "This API token has expired.": "此 API 令牌已过期。",
    "The account of this API token is not active.": "此 API 令牌所属的账户已停用。",
    "The CSRF token is missing or wrong: reload the page and try again.": (
        "CSRF 令牌缺失或有误：请刷新页面后重试。"
    ),
    "Sign in, or send an API token as “Authorization: Bearer <key>”.": (
        "请登录，或以“Authorization: Bearer <key>”的形式发送 API 令牌。"
    ),
    # Errors: bad input, each naming its field
    "the request body": "请求体",
    "the request": "请求",
    "%(field)s is required.": "%(field)s为必填项。",
    "%(field)s must be at most %(limit)s.": "%(field)s不能大于 %(limit)s。",
    "%(field)s must be at least %(limit)s.": "%(field)s不能小于 %(limit)s。",
    "%(field)s must be a whole number.": "%(field)s须为整数。",
    "%(field)s must be true or false.": "%(field)s须为 true 或 false。",
    "%(field)s is too long: at most %(limit)s characters.": (
        "%(field)s太长：最多 %(limit)s 个字符。"
    ),
    "%(field)s has characters that are not allowed.": "%(field)s含有不允许的字符。",
    "%(field)s must be one of: %(expected)s.": "%(field)s须为以下之一：%(expected)s。",
    "The request body is not valid JSON.": "请求体不是有效的 JSON。",
    "%(field)s is not valid: %(problem)s": "%(field)s无效：%(problem)s",
    "The request is not valid.": "请求无效。",
    "the text contains a NUL character": "文本含有 NUL 字符",
    "the text is not valid Unicode": "文本不是有效的 Unicode",
    "area: choose a residential area of this town.": "area：请选择本镇的居民区。",
    "answers: an answer is too long.": "answers：有回答过长。",
    # Errors: not allowed, not found, ours
    "You are not allowed to do this.": "您无权进行此操作。",
    "Not found.": "未找到。",
    "There is nothing at this address.": "此地址没有内容。",
    "Something went wrong on our side; it was logged.": "系统内部出错，错误已记录。",
    # Towns and areas asked for
    "There is no town at this address.": "此地址没有对应的镇。",
    "There is no town “%(town)s”.": "没有名为“%(town)s”的镇。",
    "There is no town yet.": "还没有任何镇。",
    "This deployment has several towns: name one with ?town=.": (
        "本系统有多个镇：请用 ?town= 指定其中一个。"
    ),
    "Give a residential area's id or code.": "请提供居民区的 ID 或编号。",
    "There is no residential area “%(area)s” in %(town)s.": ("%(town)s没有“%(area)s”这个居民区。"),
    "“%(area)s” is the code of one area and the id of another: use the code.": (
        "“%(area)s”既是一个居民区的编号，又是另一个居民区的 ID：请使用编号。"
    ),
    # Open data (Popolo)
    "Choose a year between %(first)d and %(last)d.": (
        "请选择 %(first)d 至 %(last)d 年之间的年份。"
    ),
    "Names are masked (first character and two stars); no phone number, contact detail or account is published; votes are published as counts only.": (
        "姓名已脱敏（保留首字，其余以两个星号代替）；不公开手机号码、联系方式或账户；表决只公开票数。"
    ),
    "%(area)s residents' committee": "%(area)s居委会",
    "%(role)s, %(unit)s": "%(unit)s%(role)s",
    "Open data (Popolo JSON)": "开放数据（Popolo JSON）",
    # Calendar feeds
    "Meetings · %(place)s": "会议 · %(place)s",
    "Subscribe (iCalendar)": "订阅日历（iCalendar）",
    "Subscribe to activities (iCalendar)": "订阅活动日历（iCalendar）",
    "Subscribe to meetings (iCalendar)": "订阅会议日历（iCalendar）",
}

ZH_PLURAL = {}
