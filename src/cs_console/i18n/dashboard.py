"""The dashboard screen (F2) and the queue's drill-down."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str, str]] = {
    "key.dashboard": ("数据看板", "數據看板", "Dashboard"),
    "key.dashboard.tip": (
        "服务指标：达标情况、趋势、每位客服的数据",
        "服務指標：達標情況、趨勢、每位客服的數據",
        "Service figures: targets, trends, per agent",
    ),
    "key.dash_close": ("关闭", "關閉", "Close"),
    "key.dash_close.tip": ("回到工作台", "回到工作台", "Back to the desk"),
    "key.dash_today": ("今天", "今天", "Today"),
    "key.dash_today.tip": ("看今天的数据", "看今天的數據", "Today's figures"),
    "key.dash_week": ("7 天", "7 天", "7 days"),
    "key.dash_week.tip": ("最近 7 天", "最近 7 天", "The last 7 days"),
    "key.dash_month": ("30 天", "30 天", "30 days"),
    "key.dash_month.tip": ("最近 30 天", "最近 30 天", "The last 30 days"),
    "key.dash_refresh": ("刷新", "重新整理", "Refresh"),
    "key.dash_refresh.tip": ("重新计算", "重新計算", "Compute again"),
    "key.dash_drill": ("查看工单", "查看工單", "Show tickets"),
    "key.dash_drill.tip": (
        "在队列中打开这项指标背后的工单",
        "在佇列中開啟這項指標背後的工單",
        "Open the tickets behind this figure in the queue",
    ),
    "dash.title": (
        "数据看板 · {period}（{dates}）· {scope}",
        "數據看板 · {period}（{dates}）· {scope}",
        "Dashboard · {period} ({dates}) · {scope}",
    ),
    "dash.period.today": ("今天", "今天", "today"),
    "dash.period.week": ("最近 7 天", "最近 7 天", "last 7 days"),
    "dash.period.month": ("最近 30 天", "最近 30 天", "last 30 days"),
    "dash.scope_team": ("全组", "全組", "whole team"),
    "dash.scope_own": ("仅 {agent} 的工单", "僅 {agent} 的工單", "{agent}'s tickets only"),
    "dash.target": ("目标", "目標", "target"),
    "dash.agents": ("每位客服", "每位客服", "Per agent"),
    "dash.agent": ("客服", "客服", "Agent"),
    "dash.all_figures": (
        "全部指标（回车查看工单）",
        "全部指標（Enter 查看工單）",
        "Every figure (enter shows its tickets)",
    ),
    "dash.col.figure": ("指标", "指標", "Figure"),
    "dash.col.value": ("数值", "數值", "Value"),
    "dash.col.target": ("目标", "目標", "Target"),
    "dash.col.state": ("状态", "狀態", "State"),
    "dash.chart.by_hour": ("各时段工单量", "各時段工單量", "Tickets by hour"),
    "dash.chart.by_day": (
        "每日首次响应达标率 %",
        "每日首次回應達標率 %",
        "First response met by day, %",
    ),
    "dash.chart.backlog": ("积压工单按时长", "積壓工單按時長", "Backlog by age"),
    "dash.nothing_behind": (
        "「{figure}」背后没有工单",
        "「{figure}」背後沒有工單",
        "No tickets behind “{figure}”",
    ),
    "queue.drill": ("看板：{figure}", "看板：{figure}", "dashboard: {figure}"),
}
