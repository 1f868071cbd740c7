"""Texts for the shift part of the console (see ``cs_console.i18n``)."""

from __future__ import annotations

# key: (zh-Hans, zh-Hant, en)
TEXTS: dict[str, tuple[str, str, str]] = {
    "shift.welcome": (
        "欢迎使用 cs-console。这台机器上还没有缓存({path})。\n\n"
        "两种开始方式:\n"
        "  cs-console demo               用内置演示数据打开控制台(不连后端)\n"
        "  cs-console rt bootstrap ...   配置 Request Tracker,再 cs-console sync 拉取工单\n\n"
        "加 --lang en 或 --lang zh-Hant 切换界面语言;cs-console --help 列出全部命令。",
        "歡迎使用 cs-console。這台機器上還沒有快取({path})。\n\n"
        "兩種開始方式:\n"
        "  cs-console demo               用內建示範資料開啟控制台(不連後端)\n"
        "  cs-console rt bootstrap ...   設定 Request Tracker,再 cs-console sync 拉取工單\n\n"
        "加 --lang en 或 --lang zh-Hans 切換介面語言;cs-console --help 列出全部指令。",
        "Welcome to cs-console. There is no cache on this machine yet ({path}).\n\n"
        "Two ways to start:\n"
        "  cs-console demo               open the console on built-in demo data (no backend)\n"
        "  cs-console rt bootstrap ...   set up Request Tracker, then cs-console sync to pull tickets\n\n"
        "Add --lang zh-Hans or --lang zh-Hant to change the language; cs-console --help lists every command.",
    ),
    # queue (the queue engineer's keys: prefix queue., and the queue's own binding ids)
    "key.queue_pick": ("筛选", "篩選", "Filter"),
    "key.queue_pick.tip": ("按数字直接选筛选", "按數字直接選篩選", "Pick a queue filter by number"),
    "queue.search.live": (
        "搜索队列：单号、姓名或主题，边输入边搜索，Esc 清除",
        "搜尋佇列：單號、姓名或主旨，邊輸入邊搜尋，Esc 清除",
        "Search the queue: number, name or subject, as you type; esc clears",
    ),
    "queue.search.title": (
        "{title} · 搜索「{text}」",
        "{title} · 搜尋「{text}」",
        "{title} · search “{text}”",
    ),
}
