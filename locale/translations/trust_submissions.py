"""Chinese for one-time form tokens: a form sent twice (a double click) is stored once."""

ZH = {
    "token": "令牌",
    "led to": "提交后跳转的页面",
    "form submission": "表单提交记录",
    "form submissions": "表单提交记录",
    "This form was altered or is incomplete. Please reload the page and send it again.": (
        "表单内容不完整或已被改动，请刷新页面后重新提交。"
    ),
    "This was already sent; there is no need to send it again.": "已提交，请勿重复提交。",
    "Keep the name to make the next version, or give a new name.": (
        "沿用原名称则生成新版本，也可另取名称。"
    ),
}
