"""Texts for automation: auto-escalation and routing (see ``cs_console.i18n``)."""

from __future__ import annotations

# key: (zh-Hans, zh-Hant, en)
TEXTS: dict[str, tuple[str, str, str]] = {
    "auto_escalation.reason": (
        "SLA 已超时 {minutes} 分钟（自动升级）",
        "SLA 已逾時 {minutes} 分鐘（自動升級）",
        "SLA breached by {minutes} min (escalated automatically)",
    ),
    "auto_escalation.notice": (
        "{count} 张超时工单已自动升级给主管：{ids}",
        "{count} 張逾時工單已自動升級給主管：{ids}",
        "{count} overdue ticket(s) escalated to a supervisor automatically: {ids}",
    ),
    "routing.at_limit": (
        "你手上已有 {load} 张未结工单（上限 {limit} 张），先处理完一张再接新单。",
        "你手上已有 {load} 張未結工單（上限 {limit} 張），先處理完一張再接新單。",
        "You already hold {load} open tickets (the limit is {limit}); finish one before taking "
        "another.",
    ),
    "skill.presale": ("售前", "售前", "pre-sale"),
    "skill.aftersale": ("售后", "售後", "after-sale"),
    "skill.vip": ("VIP", "VIP", "VIP"),
    "skill.mall": ("商场服务台", "商場服務臺", "mall desk"),
    "routing.title": (
        "分派规则（依次匹配，先匹配者决定技能组）：渠道 → 会员等级 → 类别 → 默认",
        "分派規則（依次比對，先符合者決定技能組）：管道 → 會員等級 → 類別 → 預設",
        "Routing rule (checked in order, the first match decides the skill group): "
        "channel → tier → category → default",
    ),
    "routing.by.channel": ("渠道", "管道", "channel"),
    "routing.by.tier": ("等级", "等級", "tier"),
    "routing.by.category": ("类别", "類別", "category"),
    "routing.by.default": ("默认", "預設", "default"),
    "routing.cat.general": ("一般（从 RT 拉取）", "一般（從 RT 拉取）", "general (pulled from RT)"),
    "routing.none": ("（无）", "（無）", "(none)"),
    "routing.limits": (
        "每人未结工单上限：{max_load} 张 · 本组没有待接工单时接其他组的：{overflow}",
        "每人未結工單上限：{max_load} 張 · 本組沒有待接工單時接其他組的：{overflow}",
        "Open tickets per agent at most: {max_load} · take-next offers other groups' tickets "
        "when none waits in yours: {overflow}",
    ),
    "routing.assign": (
        "新工单分给：{roles} · 从 RT 拉取的新工单：{pulled}",
        "新工單分給：{roles} · 從 RT 拉取的新工單：{pulled}",
        "New tickets go to: {roles} · new tickets pulled from RT: {pulled}",
    ),
    "routing.pulled.self": (
        "各坐席的控制台只认领分给自己的",
        "各坐席的控制檯只認領分給自己的",
        "each agent's console claims those the rule gives its agent",
    ),
    "routing.pulled.any": (
        "本程序替全组分派",
        "本程式替全組分派",
        "this program assigns them for the whole team",
    ),
    "routing.pulled.off": ("不分派，等人接单", "不分派，等人接單", "left unassigned for take-next"),
    "routing.yes": ("是", "是", "yes"),
    "routing.no": ("否", "否", "no"),
    "routing.agents": ("坐席", "坐席", "Agents"),
    "routing.agent_line": (
        "{id}  {name}  {role}  技能组：{groups}  未结 {load}/{limit}{full}",
        "{id}  {name}  {role}  技能組：{groups}  未結 {load}/{limit}{full}",
        "{id}  {name}  {role}  groups: {groups}  open {load}/{limit}{full}",
    ),
    "routing.generalist": ("全部（未设技能组）", "全部（未設技能組）", "all (no group set)"),
    "routing.from.config": ("（配置文件）", "（設定檔）", " (config)"),
    "routing.from.team": ("", "", ""),
    "routing.full": ("，已满", "，已滿", ", at the limit"),
    "routing.no_agents": (
        "这个缓存里还没有坐席：连上 RT 后运行 `cs-console sync --once`。",
        "這個快取裡還沒有坐席：連上 RT 後執行 `cs-console sync --once`。",
        "No agents in this cache yet: with RT configured, run `cs-console sync --once`.",
    ),
}
