"""Chinese for hostile and hurried input (issue 13): forms sent without a known
action, dates outside a plausible range."""

ZH = {
    "The form was sent without saying what to do. Reload the page and try again.": (
        "提交的表单未注明要办理的事项，请刷新页面后重试。"
    ),
    "“%(action)s” is not an action of this page. Reload the page and try again.": (
        "“%(action)s”不是本页面可办理的事项，请刷新页面后重试。"
    ),
}
