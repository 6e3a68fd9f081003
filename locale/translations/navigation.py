"""Chinese for the navigation (issue 14, point 1): the phone's tab bar (首页 · 参与 ·
规划 · 项目 · 我的) and the landmarks' names read out by screen readers."""

ZH = {
    "tab bar\x04Home": "首页",
    "tab bar\x04Take part": "参与",
    "tab bar\x04Plans": "规划",
    "tab bar\x04Projects": "项目",
    "tab bar\x04Me": "我的",
    "Tabs": "底部导航",
    "Breadcrumb": "当前位置",
}
