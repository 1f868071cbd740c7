"""Texts for the supervisor part of the console (see ``cs_console.i18n``)."""

from __future__ import annotations

# key: (zh-Hans, zh-Hant, en)
TEXTS: dict[str, tuple[str, str, str]] = {
    # -- service metrics: figure labels (policy.metrics.FIGURES) --------------------------
    "metrics.fig.tickets": ("工单量", "工單量", "Tickets"),
    "metrics.fig.first_response_median": (
        "首次响应中位数",
        "首次回應中位數",
        "First response, median",
    ),
    "metrics.fig.first_response_p90": ("首次响应 P90", "首次回應 P90", "First response, p90"),
    "metrics.fig.first_response_attainment": (
        "首次响应达标率",
        "首次回應達標率",
        "First response on time",
    ),
    "metrics.fig.resolution_median": ("解决时长中位数", "解決時長中位數", "Resolution, median"),
    "metrics.fig.resolution_p90": ("解决时长 P90", "解決時長 P90", "Resolution, p90"),
    "metrics.fig.sla_attainment": ("SLA 达标率", "SLA 達標率", "SLA attainment"),
    "metrics.fig.backlog": ("积压工单", "積壓工單", "Backlog"),
    "metrics.fig.backlog_age_median": ("积压时长中位数", "積壓時長中位數", "Backlog age, median"),
    "metrics.fig.backlog_age_max": ("最久积压", "最久積壓", "Backlog age, oldest"),
    "metrics.fig.fcr": ("首次解决率", "首次解決率", "First-contact resolution"),
    "metrics.fig.reopen_rate": ("重开率", "重開率", "Reopen rate"),
    "metrics.fig.escalation_rate": ("升级率", "升級率", "Escalation rate"),
    "metrics.fig.returns_within_target": (
        "退换货 48 小时结案率",
        "退換貨 48 小時結案率",
        "Returns closed in 48 h",
    ),
    "metrics.fig.complaints_within_target": (
        "高优先级投诉 24 小时结案率",
        "高優先級投訴 24 小時結案率",
        "High-priority complaints, 24 h",
    ),
    "metrics.fig.closure_rate": ("结案率", "結案率", "Closure rate"),
    "metrics.fig.csat": ("满意度（CSAT）", "滿意度（CSAT）", "CSAT"),
    "metrics.fig.csat_response_rate": ("回访应答率", "回訪應答率", "Callback response rate"),
    "metrics.fig.repeat_complaint_rate": ("重复投诉率", "重複投訴率", "Repeat complaints"),
    "metrics.fig.followups_due": ("待办回访", "待辦回訪", "Follow-ups due"),
    "metrics.fig.followups_overdue": ("逾期回访", "逾期回訪", "Follow-ups overdue"),
    # -- states and breakdowns --------------------------------------------------------------
    "metrics.state.green": ("达标", "達標", "on target"),
    "metrics.state.amber": ("接近", "接近", "near"),
    "metrics.state.red": ("未达标", "未達標", "off target"),
    "metrics.state.none": ("—", "—", "—"),
    "metrics.state.no_data": ("无数据", "無資料", "no data"),
    "metrics.by.all": ("合计", "合計", "Total"),
    "metrics.by.channel": ("渠道", "渠道", "Channel"),
    "metrics.by.category": ("类别", "類別", "Category"),
    "metrics.by.skill": ("技能组", "技能組", "Skill group"),
    "metrics.by.agent": ("客服", "客服", "Agent"),
    "metrics.by.hour": ("时段", "時段", "Hour"),
    "metrics.by.day": ("日期", "日期", "Day"),
    "metrics.none_group": ("（未分配）", "（未分配）", "(none)"),
    # -- the report ---------------------------------------------------------------------------
    "metrics.report.head": (
        "服务指标：{period}（{zone}）",
        "服務指標：{period}（{zone}）",
        "Service metrics: {period} ({zone})",
    ),
    "metrics.report.own": (
        "仅含 {agent} 的工单",
        "僅含 {agent} 的工單",
        "Only tickets assigned to {agent}",
    ),
    "metrics.report.figure": ("指标", "指標", "Figure"),
    "metrics.report.value": ("数值", "數值", "Value"),
    "metrics.report.target": ("目标", "目標", "Target"),
    "metrics.report.state": ("状态", "狀態", "State"),
    "metrics.report.group": ("{by}：{group}", "{by}：{group}", "{by}: {group}"),
    "metrics.report.empty": (
        "此期间没有数据。",
        "此期間沒有資料。",
        "No data in this period.",
    ),
    "metrics.report.allergy": (
        "过敏个案（按产品与批号，重复批号在前）",
        "過敏個案（按產品與批號，重複批號在前）",
        "Allergy cases by product and batch (repeated batches first)",
    ),
    "metrics.report.allergy_line": (
        "{sku} {product} 批号 {batch}：{cases} 例（{customers} 位顾客）",
        "{sku} {product} 批號 {batch}：{cases} 例（{customers} 位顧客）",
        "{sku} {product} batch {batch}: {cases} cases ({customers} customers)",
    ),
    "metrics.report.backlog_ages": ("积压时长分布", "積壓時長分佈", "Backlog by age"),
    "metrics.report.written": (
        "已写入 {path}（{sheets} 个工作表）",
        "已寫入 {path}（{sheets} 個工作表）",
        "Wrote {path} ({sheets} sheets)",
    ),
    "metrics.report.summary_sheet": ("汇总", "彙總", "Summary"),
    "metrics.report.allergy_sheet": ("过敏批号", "過敏批號", "Allergy batches"),
    "metrics.report.chart": (
        "{figure}（按{by}）",
        "{figure}（按{by}）",
        "{figure} by {by}",
    ),
    "metrics.report.one_format": (
        "--json、--csv 和 --xlsx 只能选一个",
        "--json、--csv 和 --xlsx 只能選一個",
        "choose one of --json, --csv and --xlsx",
    ),
}
