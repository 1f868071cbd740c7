"""Texts of the training scenarios' file checks (``training/scenario.py``, reported by
``kb check``), made as :class:`cs_console.i18n.Text` where they are found and said in the
agent's language where they are printed. Problems the same as a knowledge-base file's (empty
file, missing field...) use the ``kb.check.*`` keys of ``checks``.

Field names, codes and file text inside them (``expect.reason``, a SKU, a slug) stay as the
file has them."""

from __future__ import annotations

# key: (zh-Hans, zh-Hant, en)
TEXTS: dict[str, tuple[str, str, str]] = {
    "scenario.check.no_folder": (
        "找不到培训场景文件夹",
        "找不到培訓情境資料夾",
        "training scenario directory not found",
    ),
    "scenario.check.too_large": (
        "文件太大（{size} 字节，最多 {limit}）",
        "檔案太大（{size} 位元組，最多 {limit}）",
        "file too large ({size} bytes, at most {limit})",
    ),
    "scenario.check.binary": (
        "二进制文件，不是培训场景",
        "二進位檔案，不是培訓情境",
        "binary file, not a scenario",
    ),
    "scenario.check.no_front_matter": (
        "缺少前置信息：文件必须以 '+++' 开头",
        "缺少前置資訊：檔案必須以 '+++' 開頭",
        "missing front matter: the file must start with '+++'",
    ),
    "scenario.check.not_table": (
        "'{where}' 必须是表",
        "'{where}' 必須是表格",
        "'{where}' must be a table",
    ),
    "scenario.check.unknown_field": (
        "未知字段 '{name}'（可用：{known}）",
        "未知欄位 '{name}'（可用：{known}）",
        "unknown field '{name}' (known: {known})",
    ),
    "scenario.check.control": (
        "字段 '{name}' 含有控制字符或不可见字符（U+{code}）；场景文本不能带终端控制符",
        "欄位 '{name}' 含有控制字元或不可見字元（U+{code}）；情境文字不能帶終端控制符",
        "field '{name}' holds a control or invisible character (U+{code}); "
        "scenario text may not carry terminal controls",
    ),
    "scenario.check.not_integer": (
        "字段 '{name}' 必须是整数",
        "欄位 '{name}' 必須是整數",
        "field '{name}' must be a whole number",
    ),
    "scenario.check.not_positive": (
        "字段 '{name}' 必须大于 0（实际是 {value}）",
        "欄位 '{name}' 必須大於 0（實際是 {value}）",
        "field '{name}' must be greater than 0 (got {value})",
    ),
    "scenario.check.too_small": (
        "字段 '{name}' 必须至少为 {minimum}（实际是 {value}）",
        "欄位 '{name}' 必須至少為 {minimum}（實際是 {value}）",
        "field '{name}' must be at least {minimum} (got {value})",
    ),
    "scenario.check.not_flag": (
        "字段 '{name}' 必须是 true 或 false",
        "欄位 '{name}' 必須是 true 或 false",
        "field '{name}' must be true or false",
    ),
    "scenario.check.no_entry": (
        "字段 '{name}' 至少要有一项",
        "欄位 '{name}' 至少要有一項",
        "field '{name}' needs at least one entry",
    ),
    "scenario.check.unknown_choice": (
        "未知的{what} '{value}'（可选：{choices}）",
        "未知的{what} '{value}'（可選：{choices}）",
        "unknown {what} '{value}' (one of: {choices})",
    ),
    # what c.choice() names
    "scenario.what.category": ("分类", "分類", "category"),
    "scenario.what.channel": ("渠道", "管道", "channel"),
    "scenario.what.tier": ("会员等级", "會員等級", "tier"),
    "scenario.what.action": ("处理方式", "處理方式", "action"),
    "scenario.what.reason": (
        "policy.returns 原因",
        "policy.returns 原因",
        "policy.returns reason",
    ),
    "scenario.what.resolution": (
        "policy.returns 解决方式",
        "policy.returns 解決方式",
        "policy.returns resolution",
    ),
    "scenario.what.verdict": ("判定", "判定", "verdict"),
    "scenario.check.bad_slug": (
        "slug '{slug}' 必须是用 '-' 连接的小写单词",
        "slug '{slug}' 必須是用 '-' 連接的小寫單字",
        "slug '{slug}' must be lower-case words joined by '-'",
    ),
    "scenario.check.bad_set": (
        "集合名 '{name}' 必须是用 '-' 连接的小写单词",
        "集合名 '{name}' 必須是用 '-' 連接的小寫單字",
        "set name '{name}' must be lower-case words joined by '-'",
    ),
    "scenario.check.set_twice": (
        "字段 'sets' 把同一个集合写了两次",
        "欄位 'sets' 把同一個集合寫了兩次",
        "field 'sets' names a set twice",
    ),
    "scenario.check.notes_control": (
        "说明文字里含有控制字符或不可见字符",
        "說明文字裡含有控制字元或不可見字元",
        "the notes hold a control or invisible character",
    ),
    "scenario.check.delivered_before_placed": (
        "{delivered} 天前签收，但 {placed} 天前才下单",
        "{delivered} 天前簽收，但 {placed} 天前才下單",
        "delivered {delivered} days ago but placed only {placed} days ago",
    ),
    "scenario.check.promised_before_placed": (
        "承诺送达日期早于下单日期",
        "承諾送達日期早於下單日期",
        "promised delivery date is before the order was placed",
    ),
    "scenario.check.no_lines": (
        "订单至少要有一个 [[order.lines]]",
        "訂單至少要有一個 [[order.lines]]",
        "the order needs at least one [[order.lines]] entry",
    ),
    "scenario.check.unknown_sku": (
        "未知 SKU '{sku}'（演示商品目录里没有）",
        "未知 SKU '{sku}'（示範商品目錄裡沒有）",
        "unknown SKU '{sku}' (not in the demo catalogue)",
    ),
    "scenario.check.followups_not_tables": (
        "'followups' 必须是表数组（[[followups]]）",
        "'followups' 必須是表格陣列（[[followups]]）",
        "'followups' must be an array of tables ([[followups]])",
    ),
    "scenario.check.followups_order": (
        "后续消息顺序不对：after_replies {after} 排在 {last} 之后（每条后续消息都要比前一条晚，"
        "回复次数更多）",
        "後續訊息順序不對：after_replies {after} 排在 {last} 之後（每則後續訊息都要比前一則晚，"
        "回覆次數更多）",
        "followups out of order: after_replies {after} comes after {last} "
        "(each follow-up must come after more replies than the one before)",
    ),
    "scenario.check.unknown_article": (
        "期望的文章 '{slug}' 不在知识库里",
        "期望的文章 '{slug}' 不在知識庫裡",
        "expected article '{slug}' is not in the knowledge base",
    ),
    "scenario.check.needs_reason": (
        "处理方式 '{action}' 需要 'expect.reason'（policy.returns 的原因代码）",
        "處理方式 '{action}' 需要 'expect.reason'（policy.returns 的原因代碼）",
        "action '{action}' needs 'expect.reason' (a policy.returns reason code)",
    ),
    "scenario.check.reason_compensates": (
        "原因 '{reason}' 属于补偿，不能用于 {action}",
        "原因 '{reason}' 屬於補償，不能用於 {action}",
        "reason '{reason}' compensates; it cannot {action} goods",
    ),
    "scenario.check.needs_verdict": (
        "处理方式 '{action}' 需要 'expect.verdict'（allowed 或 refused）",
        "處理方式 '{action}' 需要 'expect.verdict'（allowed 或 refused）",
        "action '{action}' needs 'expect.verdict' (allowed or refused)",
    ),
    "scenario.check.needs_order": (
        "处理方式 '{action}' 需要一个 [order] 供政策判断",
        "處理方式 '{action}' 需要一個 [order] 供政策判斷",
        "action '{action}' needs an [order] for the policy to decide on",
    ),
    "scenario.check.reason_returns": (
        "原因 '{reason}' 属于退货，请用 return/exchange 处理方式",
        "原因 '{reason}' 屬於退貨，請用 return/exchange 處理方式",
        "reason '{reason}' returns goods; use action return/exchange",
    ),
    "scenario.check.takes_no": (
        "处理方式 '{action}' 不接受 {names}（只有 return、exchange、compensate 接受）",
        "處理方式 '{action}' 不接受 {names}（只有 return、exchange、compensate 接受）",
        "action '{action}' takes no {names} (only return, exchange, compensate)",
    ),
    "scenario.check.exchange_resolution": (
        "处理方式 'exchange' 却配了解决方式 '{resolution}'",
        "處理方式 'exchange' 卻配了解決方式 '{resolution}'",
        "action 'exchange' with resolution '{resolution}'",
    ),
    "scenario.check.must_say_shape": (
        "字段 'expect.must_say' 必须是短语列表的列表",
        "欄位 'expect.must_say' 必須是短語清單的清單",
        "field 'expect.must_say' must be a list of lists of phrases",
    ),
    "scenario.check.fact_empty": (
        "expect.must_say 第 {i} 条要点为空：至少给一个短语",
        "expect.must_say 第 {i} 條要點是空的：至少給一個短語",
        "expect.must_say fact {i} is empty: give at least one phrase",
    ),
    "scenario.check.fact_empty_phrase": (
        "expect.must_say 第 {i} 条要点里有空短语",
        "expect.must_say 第 {i} 條要點裡有空短語",
        "expect.must_say fact {i} has an empty phrase",
    ),
    # training/quotes.py: the policy numbers a scenario's must_say quotes
    "quotes.not_a_sum": (
        "'{entry}' 不是政策数字的名称，也不是名称组成的算式",
        "'{entry}' 不是政策數字的名稱，也不是名稱組成的算式",
        "'{entry}' is not a policy number name or a sum over names",
    ),
    "quotes.bool": (
        "'{entry}'：true/false 不是数字",
        "'{entry}'：true/false 不是數字",
        "'{entry}': true/false is not a number",
    ),
    "quotes.unknown": (
        "未知的政策数字 '{name}'（见 policy/numbers.py）",
        "未知的政策數字 '{name}'（見 policy/numbers.py）",
        "unknown policy number '{name}' (see policy/numbers.py)",
    ),
    "quotes.divides_by_zero": (
        "'{entry}' 除以零",
        "'{entry}' 除以零",
        "'{entry}' divides by zero",
    ),
    "quotes.only": (
        "'{entry}'：只能用政策数字的名称、整数、customer.points 和 + - * /",
        "'{entry}'：只能用政策數字的名稱、整數、customer.points 和 + - * /",
        "'{entry}': only policy number names, whole numbers, customer.points and + - * /",
    ),
    "quotes.in_policy": (
        "expect.policy：{error}",
        "expect.policy：{error}",
        "expect.policy: {error}",
    ),
    "quotes.is": ("{entry} 是 {value}", "{entry} 是 {value}", "{entry} is {value}"),
    "quotes.otherwise": (
        "must_say 引用了 '{text}'，但政策不是这样：{found}",
        "must_say 引用了 '{text}'，但政策不是這樣：{found}",
        "must_say quotes '{text}' but the policy says otherwise: {found}",
    ),
    "quotes.no_rule": (
        "must_say 引用了 '{text}'（{amount}），但 expect.policy 里没有哪个政策数字是这个值："
        "请写上它引用的规则（policy/numbers.py）",
        "must_say 引用了 '{text}'（{amount}），但 expect.policy 裡沒有哪個政策數字是這個值："
        "請寫上它引用的規則（policy/numbers.py）",
        "must_say quotes '{text}' ({amount}), which no policy number in expect.policy holds: "
        "name the rule it quotes (policy/numbers.py)",
    ),
    "quotes.unquoted": (
        "expect.policy 写了 '{entry}'（{amount}），但没有哪个 must_say 短语引用它",
        "expect.policy 寫了 '{entry}'（{amount}），但沒有哪個 must_say 短語引用它",
        "expect.policy names '{entry}' ({amount}) but no must_say phrase quotes it",
    ),
}
