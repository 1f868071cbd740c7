"""Texts for follow-up work, automatic escalation and routing (see ``cs_console.i18n``)."""

from __future__ import annotations

# key: (zh-Hans, zh-Hant, en)
TEXTS: dict[str, tuple[str, str, str]] = {
    # the queue filter and the console key
    "filter.followups": ("待回访", "待回訪", "follow-ups"),
    "key.followup": ("回访", "回訪", "Follow-up"),
    "key.followup.tip": (
        "记录本工单到期回访的结果（满意度、备注）",
        "記錄本工單到期回訪的結果（滿意度、備註）",
        "Record the outcome of this ticket's follow-up that is due (satisfaction, comment)",
    ),
    # kinds, outcomes and states
    "fukind.after_resolution": ("结案回访", "結案回訪", "callback"),
    "fukind.first_purchase_usage": ("首购使用回访", "首購使用回訪", "first-purchase usage check"),
    "fukind.birthday_greeting": ("生日月问候", "生日月問候", "birthday greeting"),
    "outcome.reached": ("已联系上", "已聯繫上", "reached"),
    "outcome.no_answer": ("未接通", "未接通", "no answer"),
    "outcome.declined": ("客户拒绝", "客戶拒絕", "declined"),
    # a reminder resolved in RT's web UI: done, with no outcome recorded
    "outcome.in_rt": ("已在 RT 中完成", "已在 RT 中完成", "done in RT"),
    "fustate.upcoming": ("未到期", "未到期", "upcoming"),
    "fustate.due": ("已到期", "已到期", "due"),
    "fustate.overdue": ("已逾期", "已逾期", "overdue"),
    "fustate.done": ("已完成", "已完成", "done"),
    # the ticket header
    "followup.header": (
        "  回访到期：{what}（按 u 记录）",
        "  回訪到期：{what}（按 u 記錄）",
        "  follow-up due: {what} (u to record)",
    ),
    # the dialog
    "followup.title": (
        "回访 #{id}：{kind}，到期 {due}",
        "回訪 #{id}：{kind}，到期 {due}",
        "Follow-up #{id}: {kind}, due {due}",
    ),
    "followup.for": ("顾客：{customer}", "顧客：{customer}", "Customer: {customer}"),
    "followup.outcome": ("结果", "結果", "Outcome"),
    "followup.satisfaction": ("满意度", "滿意度", "Satisfaction"),
    "followup.no_score": ("不评分", "不評分", "no score"),
    "followup.score": ("{n} 分", "{n} 分", "{n} of 5"),
    "followup.comment": (
        "顾客的意见（选填）",
        "顧客的意見（選填）",
        "The customer's comment (optional)",
    ),
    "followup.hint": (
        "tab 切换栏位，ctrl+s 保存，esc 取消；满意度 1-2 或拒绝并留意见会重新打开工单",
        "tab 切換欄位，ctrl+s 儲存，esc 取消；滿意度 1-2 或拒絕並留意見會重新開啟工單",
        "tab moves, ctrl+s saves, esc cancels; satisfaction 1-2, or declined with a comment, "
        "reopens the ticket",
    ),
    "followup.none_due": (
        "这张工单没有到期的回访",
        "這張工單沒有到期的回訪",
        "Nothing is due for follow-up on this ticket",
    ),
    "followup.saved": (
        "回访 #{id} 已记录：{outcome}",
        "回訪 #{id} 已記錄：{outcome}",
        "Follow-up #{id} recorded: {outcome}",
    ),
    "followup.reopened": (
        "回访 #{id} 已记录；顾客不满意，工单 #{ticket} 已重新打开",
        "回訪 #{id} 已記錄；顧客不滿意，工單 #{ticket} 已重新開啟",
        "Follow-up #{id} recorded; the customer is unhappy, so ticket #{ticket} is open again",
    ),
    "followup.not_reopened.closed": (
        "回访 #{id} 已记录；顾客不满意，但工单 #{ticket} 已关闭，请新建工单跟进",
        "回訪 #{id} 已記錄；顧客不滿意，但工單 #{ticket} 已關閉，請新建工單跟進",
        "Follow-up #{id} recorded; the customer is unhappy but ticket #{ticket} is closed: "
        "open a new ticket",
    ),
    # the CLI
    "followup.cli.none": ("没有回访", "沒有回訪", "no follow-ups"),
    "followup.cli.ticketless": ("（无工单）", "（無工單）", "(no ticket)"),
    "followup.cli.count": ("共 {n} 条", "共 {n} 條", "{n} follow-up(s)"),
    "followup.cli.birthdays": (
        "新建了 {n} 条生日问候",
        "新建了 {n} 條生日問候",
        "{n} birthday greeting(s) created",
    ),
    # refusals (service.followups)
    "err.followup.unknown_list": (
        "没有“{selection}”这种回访清单；可选：{choices}",
        "沒有「{selection}」這種回訪清單；可選：{choices}",
        "unknown follow-up list {selection!r}; choose from {choices}",
    ),
    "err.followup.missing": (
        "回访 {id} 不存在",
        "回訪 {id} 不存在",
        "follow-up {id} does not exist",
    ),
    "err.followup.already": (
        "回访 {id} 已于 {at} 由 {who} 记录（{outcome}）；结果只能记录一次",
        "回訪 {id} 已於 {at} 由 {who} 記錄（{outcome}）；結果只能記錄一次",
        "follow-up {id} was already recorded ({outcome}) by {who} at {at}; an outcome is "
        "recorded once",
    ),
    "err.followup.outcome": (
        "没有“{outcome}”这种回访结果；可选：{choices}",
        "沒有「{outcome}」這種回訪結果；可選：{choices}",
        "unknown outcome {outcome!r}; choose from {choices}",
    ),
    "err.followup.satisfaction": (
        "满意度必须是 1 到 5，不能是 {value}",
        "滿意度必須是 1 到 5，不能是 {value}",
        "satisfaction must be 1 to 5, not {value}",
    ),
    "err.followup.no_answer_score": (
        "未接通的顾客没有给出满意度，请不要填写",
        "未接通的顧客沒有給出滿意度，請不要填寫",
        "a customer who did not answer gave no satisfaction score; leave it out",
    ),
    "err.followup.comment_long": (
        "意见太长（{chars} 个字符，最多 {limit}）",
        "意見太長（{chars} 個字元，最多 {limit}）",
        "the comment is too long ({chars} characters, at most {limit})",
    ),
}
