"""Texts of the file checks: ``kb check`` (knowledge-base files, vocabulary, punctuation) and
``import orders`` (an export's row problems), made as :class:`cs_console.i18n.Text` where they
are found and said in the agent's language where they are printed (see ``cs_console.i18n``).

Field names, codes and file text inside them (``question``, ``placed_at``, a SKU, a quoted cell)
stay as they are: they are what the file says."""

from __future__ import annotations

# key: (zh-Hans, zh-Hant, en)
TEXTS: dict[str, tuple[str, str, str]] = {
    # a problem as printed: file:line: message
    "check.at": (
        "{path}:{line}: {message}",
        "{path}:{line}: {message}",
        "{path}:{line}: {message}",
    ),
    # kb/loader.py: one knowledge-base file
    "kb.check.empty_file": ("空文件", "空白檔案", "empty file"),
    "kb.check.no_front_matter": (
        "缺少前置信息：文件第一行必须是 '+++'",
        "缺少前置資訊：檔案第一行必須是 '+++'",
        "missing front matter: the file must start with a line '+++'",
    ),
    "kb.check.front_matter_open": (
        "前置信息没有结束：找不到第二行 '+++'",
        "前置資訊沒有結束：找不到第二行 '+++'",
        "front matter is not closed: no second '+++' line",
    ),
    "kb.check.bad_front_matter": (
        "前置信息不是有效的 TOML：{error}",
        "前置資訊不是有效的 TOML：{error}",
        "bad front matter: {error}",
    ),
    "kb.check.missing_field": (
        "缺少必填字段 '{field}'",
        "缺少必填欄位 '{field}'",
        "missing required field '{field}'",
    ),
    "kb.check.not_string": (
        "字段 '{field}' 必须是字符串",
        "欄位 '{field}' 必須是字串",
        "field '{field}' must be a string",
    ),
    "kb.check.empty_field": (
        "字段 '{field}' 为空",
        "欄位 '{field}' 是空的",
        "field '{field}' is empty",
    ),
    "kb.check.not_list": (
        "字段 '{field}' 必须是字符串列表",
        "欄位 '{field}' 必須是字串清單",
        "field '{field}' must be a list of strings",
    ),
    "kb.check.empty_entry": (
        "字段 '{field}' 里有一项为空",
        "欄位 '{field}' 裡有一項是空的",
        "field '{field}' has an empty entry",
    ),
    "kb.check.few_aliases": (
        "字段 'aliases' 至少要 {need} 项，现在 {count} 项",
        "欄位 'aliases' 至少要 {need} 項，現在 {count} 項",
        "field 'aliases' needs at least {need} entries, has {count}",
    ),
    "kb.check.slug_mismatch": (
        "slug '{slug}' 与文件名 '{name}' 不符",
        "slug '{slug}' 與檔名 '{name}' 不符",
        "slug '{slug}' does not match the file name '{name}'",
    ),
    "kb.check.unknown_category": (
        "未知分类 '{category}'（可选：{choices}）",
        "未知分類 '{category}'（可選：{choices}）",
        "unknown category '{category}' (one of: {choices})",
    ),
    "kb.check.unknown_policy": (
        "未知政策数字 '{name}'",
        "未知政策數字 '{name}'",
        "unknown policy number '{name}'",
    ),
    "kb.check.unknown_placeholder": (
        "未知占位符 '{placeholder}'",
        "未知佔位符 '{placeholder}'",
        "unknown placeholder '{placeholder}'",
    ),
    "kb.check.script_untitled": (
        "回复话术没有标题（'## 话术 · <标题>'）",
        "回覆話術沒有標題（'## Script · <標題>'）",
        "reply script has no title ('## Script · <title>')",
    ),
    "kb.check.script_empty": (
        "回复话术 '{title}' 是空的",
        "回覆話術 '{title}' 是空的",
        "reply script '{title}' is empty",
    ),
    "kb.check.two_cursors": (
        "回复话术 '{title}' 有不止一个 {cursor}",
        "回覆話術 '{title}' 有不只一個 {cursor}",
        "reply script '{title}' has more than one {cursor}",
    ),
    "kb.check.no_script": (
        "没有回复话术：请加一节 '## 话术 · <标题>'",
        "沒有回覆話術：請加一節 '## Script · <標題>'",
        "no reply script: add a '## Script · <title>' section",
    ),
    "kb.check.cannot_parse": ("无法解析：{error}", "無法解析：{error}", "cannot parse: {error}"),
    "kb.check.cannot_read": ("无法读取：{error}", "無法讀取：{error}", "cannot read: {error}"),
    "kb.check.binary": (
        "二进制文件，不是文本文章",
        "二進位檔案，不是文字文章",
        "binary file, not a text article",
    ),
    "kb.check.not_utf8": ("不是 UTF-8 文本", "不是 UTF-8 文字", "not UTF-8 text"),
    "kb.check.no_folder": (
        "找不到知识库文件夹",
        "找不到知識庫資料夾",
        "knowledge base directory not found",
    ),
    "kb.check.duplicate_slug": (
        "slug '{slug}' 重复（另见 {path}:{line}）",
        "slug '{slug}' 重複（另見 {path}:{line}）",
        "duplicate slug '{slug}' (also {path}:{line})",
    ),
    "kb.check.alias_clash": (
        "别名 '{alias}' 与 '{slug}' 的别名冲突（{path}）",
        "別名 '{alias}' 與 '{slug}' 的別名衝突（{path}）",
        "alias '{alias}' clashes with an alias of '{slug}' ({path})",
    ),
    # kb/punctuation.py and kb/vocab.py
    "kb.check.ascii_punctuation": (
        "中文里用了半角标点，请改成全角：{marks}{more}",
        "中文裡用了半形標點，請改成全形：{marks}{more}",
        "ASCII punctuation in Chinese text, use full width: {marks}{more}",
    ),
    "kb.check.vocab_no_term": (
        "第一个制表符前没有词",
        "第一個定位字元前沒有詞",
        "no term before the first tab",
    ),
    "kb.check.vocab_no_alternative": (
        "'{term}' 没有对应词（词<TAB>a|b<TAB>说明）",
        "'{term}' 沒有對應詞（詞<TAB>a|b<TAB>說明）",
        "'{term}' has no alternative (term<TAB>a|b<TAB>note)",
    ),
    "kb.check.vocab_only_itself": (
        "'{term}' 的对应词只有它自己",
        "'{term}' 的對應詞只有它自己",
        "'{term}' only has itself as alternative",
    ),
    "kb.check.vocab_twice": (
        "'{term}' 已经在第 {line} 行",
        "'{term}' 已經在第 {line} 行",
        "'{term}' is already on line {line}",
    ),
    # cli/kb.py check: the summary lines
    "cli.kb.check.fixed": ("已修正标点：{path}", "已修正標點：{path}", "fixed punctuation: {path}"),
    "cli.kb.check.problems": (
        "{files} 个文件中有 {n} 个问题；{valid} 个有效（{articles} 篇文章，{scripts} 个话术）",
        "{files} 個檔案中有 {n} 個問題；{valid} 個有效（{articles} 篇文章，{scripts} 個話術）",
        "{n} problem(s) in {files} file(s); {valid} valid ({articles} articles, {scripts} scripts)",
    ),
    "cli.kb.check.ok": (
        "正常：{folder} 中有 {n} 条（{articles} 篇文章，{scripts} 个话术）",
        "正常：{folder} 中有 {n} 條（{articles} 篇文章，{scripts} 個話術）",
        "ok: {n} entries ({articles} articles, {scripts} scripts) in {folder}",
    ),
    "cli.kb.check.style": (
        "{n} 个标点或词表问题",
        "{n} 個標點或詞表問題",
        "{n} problem(s) of punctuation or vocabulary",
    ),
    # service/orders.py: a row of an orders export
    "orders.check.where": (
        "{path}:{line}: 订单 {order}",
        "{path}:{line}: 訂單 {order}",
        "{path}:{line}: order {order}",
    ),
    "orders.check.row": ("{where}：{message}", "{where}：{message}", "{where}: {message}"),
    "orders.check.item": (
        "第 {index} 项：{message}",
        "第 {index} 項：{message}",
        "item {index}: {message}",
    ),
    "orders.check.twice": (
        "在文件里出现了两次（另见第 {line} 行）",
        "在檔案裡出現了兩次（另見第 {line} 行）",
        "appears twice in the file (also line {line})",
    ),
    "orders.check.not_finite": (
        "{what} {text} 不是有限的数",
        "{what} {text} 不是有限的數",
        "{what} {text} is not a finite number",
    ),
    "orders.check.not_number": (
        "{what} {text} 不是数字（写成 129 或 129.90 这样）",
        "{what} {text} 不是數字（寫成 129 或 129.90 這樣）",
        "{what} {text} is not a number (write it like 129 or 129.90)",
    ),
    "orders.check.negative": (
        "{what} {text} 是负数",
        "{what} {text} 是負數",
        "{what} {text} is negative",
    ),
    "orders.check.money_limit": (
        "{what} {text} 超过上限 {limit} 元",
        "{what} {text} 超過上限 {limit} 元",
        "{what} {text} is over the limit of {limit} yuan",
    ),
    "orders.check.decimals": (
        "{what} {text} 的小数超过 2 位",
        "{what} {text} 的小數超過 2 位",
        "{what} {text} has more than 2 decimals",
    ),
    "orders.check.qty_not_whole": (
        "数量 {text} 不是整数",
        "數量 {text} 不是整數",
        "quantity {text} is not a whole number",
    ),
    "orders.check.qty_limit": (
        "数量 {text} 超过上限 {limit}",
        "數量 {text} 超過上限 {limit}",
        "quantity {text} is over the limit of {limit}",
    ),
    "orders.check.qty_zero": ("数量至少为 1", "數量至少為 1", "quantity must be at least 1"),
    "orders.check.not_date": (
        "{what} {text} 不是日期：请写 ISO-8601 格式，例如 2026-11-20 14:30",
        "{what} {text} 不是日期：請寫 ISO-8601 格式，例如 2026-11-20 14:30",
        "{what} {text} is not a date: write ISO-8601 such as 2026-11-20 14:30",
    ),
    "orders.check.years": (
        "{what} {text} 不在 {first}-{last} 年之间",
        "{what} {text} 不在 {first}-{last} 年之間",
        "{what} {text} is outside the years {first}-{last}",
    ),
    "orders.check.other_customer": (
        "已经以另一位顾客的名义在缓存里；导入不能转移订单，也不能改已付金额",
        "已經以另一位顧客的名義在快取裡；匯入不能轉移訂單，也不能改已付金額",
        "is already in the cache under another customer; an import cannot move an order "
        "or change what was paid",
    ),
    "orders.check.over_cached_total": (
        "total {paid} 超过缓存中该订单的金额（{cached}）",
        "total {paid} 超過快取中該訂單的金額（{cached}）",
        "total {paid} is more than the cached order's total ({cached})",
    ),
    "orders.check.order_no_long": (
        "订单号最多 {limit} 个可打印字符",
        "訂單號最多 {limit} 個可列印字元",
        "the order number must be at most {limit} printable characters",
    ),
    "orders.check.order_no_space": (
        "订单号不能有空格",
        "訂單號不能有空格",
        "the order number must not contain spaces",
    ),
    "orders.check.missing": ("缺少 {field}", "缺少 {field}", "{field} is missing"),
    "orders.check.not_email": (
        "customer_email {text} 不是电子邮箱地址",
        "customer_email {text} 不是電子郵件地址",
        "customer_email {text} is not an e-mail address",
    ),
    "orders.check.no_customer": (
        "缓存里没有电子邮箱为 {text} 的顾客",
        "快取裡沒有電子郵件為 {text} 的顧客",
        "no customer with e-mail {text} in the cache",
    ),
    "orders.check.delivered_first": (
        "delivered_at {delivered} 早于 placed_at {placed}",
        "delivered_at {delivered} 早於 placed_at {placed}",
        "delivered_at {delivered} is before placed_at {placed}",
    ),
    "orders.check.no_lines": (
        "没有订单行（写成 SKU x 数量 @ 单价 [#批号]; ...）",
        "沒有訂單行（寫成 SKU x 數量 @ 單價 [#批號]; ...）",
        "no order lines (write SKU x QTY @ PRICE [#BATCH]; ...)",
    ),
    "orders.check.many_lines": (
        "{count} 个订单行；最多 {limit} 个",
        "{count} 個訂單行；最多 {limit} 個",
        "{count} order lines; at most {limit}",
    ),
    "orders.check.bad_item": (
        "第 {index} 项 {text}：写成 SKU x 数量 @ 单价 [#批号]",
        "第 {index} 項 {text}：寫成 SKU x 數量 @ 單價 [#批號]",
        "item {index} {text}: write SKU x QTY @ PRICE [#BATCH]",
    ),
    "orders.check.unknown_sku": ("未知 SKU {sku}", "未知 SKU {sku}", "unknown SKU {sku}"),
    "orders.check.lines_limit": (
        "订单行合计 {total}，超过上限 {limit} 元",
        "訂單行合計 {total}，超過上限 {limit} 元",
        "the order lines add up to {total}, over the limit of {limit} yuan",
    ),
    "orders.check.over_lines": (
        "total {paid} 超过订单行合计（{total}）",
        "total {paid} 超過訂單行合計（{total}）",
        "total {paid} is more than the order lines add up to ({total})",
    ),
    "orders.check.refused": (
        "检查发现 {n} 个问题",
        "檢查發現 {n} 個問題",
        "{n} problem(s) found by the check",
    ),
    "orders.check.moved": ("订单 {order} {why}", "訂單 {order} {why}", "order {order} {why}"),
    # sync/orders.py: the export's shape (the CSV reader) and pushing orders into RT
    "orders.read.not_utf8_at": (
        "{name}：不是 UTF-8（偏移 {offset} 处的字节 0x{byte}）；请另存为 UTF-8 后重试",
        "{name}：不是 UTF-8（位移 {offset} 處的位元組 0x{byte}）；請另存為 UTF-8 後重試",
        "{name}: not UTF-8 (byte 0x{byte} at offset {offset}); save it as UTF-8 and retry",
    ),
    "orders.read.cannot_read": (
        "{path}：无法读取：{error}",
        "{path}：無法讀取：{error}",
        "{path}: cannot read: {error}",
    ),
    "orders.read.not_utf8": ("{path}：不是 UTF-8", "{path}：不是 UTF-8", "{path}: not UTF-8"),
    "orders.read.no_order_column": (
        "{path}:{line}：没有订单号列（可用列名：{choices}）",
        "{path}:{line}：沒有訂單號欄（可用欄名：{choices}）",
        "{path}:{line}: no order number column (one of {choices})",
    ),
    "orders.read.too_many_cells": (
        "{path}:{line}：这一行有 {cells} 个单元格，表头只有 {width} 个，已跳过",
        "{path}:{line}：這一列有 {cells} 個儲存格，標題列只有 {width} 個，已略過",
        "{path}:{line}: {cells} cells but the header has {width}, row skipped",
    ),
    "orders.read.empty_order_no": (
        "{path}:{line}：订单号为空，已跳过",
        "{path}:{line}：訂單號是空的，已略過",
        "{path}:{line}: empty order number, row skipped",
    ),
    "orders.read.not_csv": (
        "{path}:{line}：不是 CSV 文件：{error}",
        "{path}:{line}：不是 CSV 檔案：{error}",
        "{path}:{line}: not a CSV file: {error}",
    ),
    "orders.push.failed": (
        "订单 {order}：{outcome}：{message}",
        "訂單 {order}：{outcome}：{message}",
        "order {order}: {outcome}: {message}",
    ),
    # kb/csvio.py: kb import's rows
    "kb.csv.cannot_read": (
        "{source}：无法读取：{error}",
        "{source}：無法讀取：{error}",
        "{source}: cannot read: {error}",
    ),
    "kb.csv.no_rows": ("{source}：没有数据行", "{source}：沒有資料列", "{source}: no rows"),
    "kb.csv.row": ("第 {n} 行：{message}", "第 {n} 列：{message}", "row {n}: {message}"),
    "kb.csv.missing_columns": (
        "缺少列：{columns}",
        "缺少欄：{columns}",
        "missing column(s): {columns}",
    ),
    "kb.csv.wide_row": (
        "单元格比列多",
        "儲存格比欄多",
        "more cells than columns",
    ),
    "kb.csv.bad_slug": (
        "slug '{slug}' 只能由小写字母、数字和 '-' 组成",
        "slug '{slug}' 只能由小寫字母、數字和 '-' 組成",
        "slug '{slug}' must be lower-case letters, digits and '-'",
    ),
    "kb.csv.slug_twice": (
        "slug '{slug}' 在第 {row} 行也出现过",
        "slug '{slug}' 在第 {row} 列也出現過",
        "slug '{slug}' is also on row {row}",
    ),
    "kb.csv.cannot_write": ("无法写入：{error}", "無法寫入：{error}", "cannot write: {error}"),
    # cli/kb.py: kb import and kb export
    "cli.kb.import.problem": ("{path}：{message}", "{path}：{message}", "{path}: {message}"),
    "cli.kb.import.nothing": ("什么都没有写入", "什麼都沒有寫入", "nothing written"),
    "cli.kb.import.wrote": ("已写入 {path}", "已寫入 {path}", "wrote {path}"),
    "cli.kb.import.done": (
        "已写入 {n} 个文件到 {target}",
        "已寫入 {n} 個檔案到 {target}",
        "{n} file(s) written to {target}",
    ),
    "cli.kb.export.skipped": ("已跳过：{problem}", "已略過：{problem}", "skipped: {problem}"),
    # cli/support.py: the root group's own errors
    "cli.no_cache": (
        "{path}：这里没有缓存；请用 `cs-console seed --db {path}` 创建一个",
        "{path}：這裡沒有快取；請用 `cs-console seed --db {path}` 建立一個",
        "{path}: no cache here; create one with `cs-console seed --db {path}`",
    ),
    "cli.cache_unusable": (
        "缓存无法使用：{error}",
        "快取無法使用：{error}",
        "the cache cannot be used: {error}",
    ),
    "cli.not_utf8_input": (
        "输入不是有效的 UTF-8（偏移 {offset} 处的字节 0x{byte}）；没有做任何改动",
        "輸入不是有效的 UTF-8（位移 {offset} 處的位元組 0x{byte}）；沒有做任何變更",
        "the input is not valid UTF-8 (byte 0x{byte} at offset {offset}); nothing was changed",
    ),
    "cli.unexpected": (
        "意外错误 {kind}：{error}（设置 CS_CONSOLE_DEBUG=1 可查看详情）",
        "意外錯誤 {kind}：{error}（設定 CS_CONSOLE_DEBUG=1 可查看詳情）",
        "unexpected {kind}: {error} (CS_CONSOLE_DEBUG=1 shows more)",
    ),
    # cli/root.py: seed's summary and progress, by table
    "cli.seed.count.agents": ("{n} 名客服", "{n} 名客服", "{n} agents"),
    "cli.seed.count.products": ("{n} 件商品", "{n} 件商品", "{n} products"),
    "cli.seed.count.customers": ("{n} 位客户", "{n} 位客戶", "{n} customers"),
    "cli.seed.count.orders": ("{n} 个订单", "{n} 筆訂單", "{n} orders"),
    "cli.seed.count.order_lines": ("{n} 条订单明细", "{n} 筆訂單明細", "{n} order_lines"),
    "cli.seed.count.tickets": ("{n} 张工单", "{n} 張工單", "{n} tickets"),
    "cli.seed.count.messages": ("{n} 条消息", "{n} 則訊息", "{n} messages"),
    "cli.seed.stage.customers": ("客户", "客戶", "customers"),
    "cli.seed.stage.tickets": ("工单", "工單", "tickets"),
    # cli/kb.py: kb eval's figures
    "cli.kb.eval.queries": ("查询      {n}", "查詢      {n}", "queries   {n}"),
    "cli.kb.eval.kind": ("类型", "類型", "kind"),
    "cli.kb.eval.misses": (
        "未命中（查询 -> 期望；期望在前 5 名中的名次；排在最前的）：",
        "未命中（查詢 -> 期望；期望在前 5 名中的名次；排在最前的）：",
        "misses (query -> expected; rank of expected in top 5; what came first):",
    ),
    "cli.kb.eval.not_in_top": ("不在前 5 名", "不在前 5 名", "not in top 5"),
    "cli.kb.eval.nothing": ("（无）", "（無）", "(nothing)"),
    "cli.kb.eval.miss": (
        "  {query}  ->  {expected}  [{rank}]  得到：{top}",
        "  {query}  ->  {expected}  [{rank}]  得到：{top}",
        "  {query}  ->  {expected}  [{rank}]  got: {top}",
    ),
    # cli/kb.py: kb search
    "cli.kb.search.one_source": (
        "请给出 QUERY 或 --stdin（不能两个都给）",
        "請給出 QUERY 或 --stdin（不能兩個都給）",
        "give a QUERY or --stdin (not both)",
    ),
    "cli.kb.search.score": ("得分", "得分", "score"),
    "cli.kb.search.title_zh": ("中文标题", "中文標題", "title_zh"),
    "cli.kb.search.title": ("英文标题", "英文標題", "title"),
    # cli/training.py
    "cli.train.sandbox_exists": (
        "{path}：沙盒必须是一个新文件",
        "{path}：沙盒必須是一個新檔案",
        "{path}: a sandbox must be a new file",
    ),
    "cli.qa.not_a_time": (
        "{option} {value} 不是日期或时间（ISO-8601）",
        "{option} {value} 不是日期或時間（ISO-8601）",
        "{option} {value} is not a date or time (ISO-8601)",
    ),
    "cli.quiz.bad_answers": (
        "--answers 是用逗号分隔的数字列表",
        "--answers 是用逗號分隔的數字列表",
        "--answers is a comma-separated list of numbers",
    ),
}
