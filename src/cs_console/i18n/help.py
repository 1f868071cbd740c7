"""Our commands' ``--help`` texts in Chinese, for ``cs_console.cli.help_text``: keyed by the
English text as Click shows it (a docstring after ``inspect.cleandoc``, up to a form feed; an
option's ``help=``), ``english: (zh-Hans, zh-Hant)``. Changing an English text in the code
means changing its key here (the CLI language test fails on the English left under Chinese).
Not part of ``CATALOGUE``: its keys are sentences.

Option names, metavariables, commands, codes and file names inside the texts (``--json``,
``SEQ``, ``cs-console seed``, ``approval``, ``vocabulary/*.tsv``) stay as typed."""

from __future__ import annotations

# the English help text: (zh-Hans, zh-Hant)
TEXTS: dict[str, tuple[str, str]] = {
    # cs-console
    "cs-console: a keyboard-first console for customer-service agents.\n\nWithout a command, opens the console on the configured cache.": (
        "cs-console：以键盘为主的客服控制台。\n\n不带命令时，用配置的缓存打开控制台。",
        "cs-console：以鍵盤為主的客服控制台。\n\n不帶命令時，用設定的快取開啟控制台。",
    ),
    # cs-console
    "Cache file (SQLite).": (
        "缓存文件（SQLite）。",
        "快取檔案（SQLite）。",
    ),
    # cs-console
    "Knowledge-base folder.": (
        "知识库文件夹。",
        "知識庫資料夾。",
    ),
    # cs-console
    "Interface language.": (
        "界面语言。",
        "介面語言。",
    ),
    # cs-console
    "Config file (TOML).": (
        "配置文件（TOML）。",
        "設定檔（TOML）。",
    ),
    # cs-console
    "Show the version and exit.": (
        "显示版本并退出。",
        "顯示版本並退出。",
    ),
    # cs-console allergy-cases
    "Allergy cases (product, batch, date, symptoms, outcome); repeated batches first.": (
        "过敏案例（商品、批次、日期、症状、结果）；重复出现的批次排在前面。",
        "過敏案例（商品、批次、日期、症狀、結果）；重複出現的批次排在前面。",
    ),
    # cs-console allergy-cases
    "CSV for the quality team.": (
        "给品质团队的 CSV。",
        "給品質團隊的 CSV。",
    ),
    # cs-console allergy-cases
    "With --csv: write cells exactly as stored. Dangerous: customer text such as =HYPERLINK(...) then runs as a formula when the sheet is opened; by default a cell starting with = + - @ (or tab, CR) gets a ' in front (plain numbers stay as they are).": (
        "与 --csv 一起用：单元格按存储的原样写出。危险：客户文本（如 =HYPERLINK(...)）会在打开表格时作为公式运行；默认情况下，以 = + - @（或制表符、回车）开头的单元格前面会加一个 '（纯数字保持原样）。",
        "與 --csv 一起用：單元格按儲存的原樣寫出。危險：客戶文字（如 =HYPERLINK(...)）會在開啟表格時作為公式執行；預設情況下，以 = + - @（或製表符、回車）開頭的單元格前面會加一個 '（純數字保持原樣）。",
    ),
    # cs-console approve
    "A supervisor approves a return, exchange or compensation waiting for approval.": (
        "主管批准一个等待审批的退货、换货或补偿。",
        "主管批准一個等待審批的退貨、換貨或補償。",
    ),
    # cs-console approve
    "Why (optional).": (
        "原因（可选）。",
        "原因（可選）。",
    ),
    # cs-console assign
    "Assign a ticket to an agent (no agent: unassign).": (
        "把工单分配给一位客服（不写客服：取消分配）。",
        "把工單分配給一位客服（不寫客服：取消分配）。",
    ),
    # cs-console audit
    "The audit log: every action, chained by hashes so a rewrite shows.": (
        "审计日志：每个操作都用哈希串成链，改写过就能看出来。",
        "稽核日誌：每個操作都用雜湊串成鏈，改寫過就能看出來。",
    ),
    # cs-console audit list
    "The newest audit rows first: id, time, actor, action, ticket, detail.": (
        "最新的审计记录在前：编号、时间、操作人、操作、工单、详情。",
        "最新的稽核記錄在前：編號、時間、操作人、操作、工單、詳情。",
    ),
    # cs-console audit list
    "Only this ticket's rows.": (
        "只看这张工单的记录。",
        "只看這張工單的記錄。",
    ),
    # cs-console audit list
    "JSON array, newest first, detail parsed.": (
        "JSON 数组，最新的在前，详情已解析。",
        "JSON 陣列，最新的在前，詳情已解析。",
    ),
    # cs-console audit verify
    "Walk the chain in id order and name the first row that breaks it (exit 1).": (
        "按编号顺序检查整条链，指出第一条断链的记录（退出码 1）。",
        "按編號順序檢查整條鏈，指出第一條斷鏈的記錄（退出碼 1）。",
    ),
    # cs-console audit verify
    "JSON: intact, rows, head, broken, protection.": (
        "JSON：intact、rows、head、broken、protection。",
        "JSON：intact、rows、head、broken、protection。",
    ),
    # cs-console auto-escalate
    "Escalate every unresolved ticket past its resolution target.": (
        "把超过解决时限、仍未解决的工单全部升级。",
        "把超過解決時限、仍未解決的工單全部升級。",
    ),
    # cs-console compensate
    "Compensate the ticket's customer with points or a coupon.": (
        "用积分或优惠券补偿工单的客户。",
        "用積分或優惠券補償工單的客戶。",
    ),
    # cs-console compensate
    "Points, or coupon yuan (default: the policy's amount).": (
        "积分数或优惠券金额（元）（默认：政策规定的数额）。",
        "積分數或優惠券金額（元）（預設：政策規定的數額）。",
    ),
    # cs-console compensate
    "delay: by days late; goodwill: no rule, a supervisor decides.": (
        "delay：按延迟天数；goodwill：没有规则，由主管决定。",
        "delay：按延遲天數；goodwill：沒有規則，由主管決定。",
    ),
    # cs-console compensate
    "Free text kept with the compensation.": (
        "随补偿一起保存的备注。",
        "隨補償一起儲存的備註。",
    ),
    # cs-console compensate
    "Ask for more than the policy gives.": (
        "申请超出政策规定的数额。",
        "申請超出政策規定的數額。",
    ),
    # cs-console compensate
    "Idempotency key (default: derived from the request).": (
        "幂等键（默认：由请求推出）。",
        "冪等鍵（預設：由請求推出）。",
    ),
    # cs-console conflict
    "Decide conflict SEQ (from `cs-console conflicts`); the decision is audited.": (
        "处理冲突 SEQ（见 `cs-console conflicts`）；处理结果记入审计。",
        "處理衝突 SEQ（見 `cs-console conflicts`）；處理結果記入稽核。",
    ),
    # cs-console conflict
    "mine: send the change again over RT's current version (needs RT); theirs: drop it (kept as rejected, never deleted).": (
        "mine：在 RT 当前版本上重新发送这次修改（需要 RT）；theirs：放弃它（保留为 rejected，不会删除）。",
        "mine：在 RT 當前版本上重新傳送這次修改（需要 RT）；theirs：放棄它（保留為 rejected，不會刪除）。",
    ),
    # cs-console conflicts
    "Changes RT refused because someone else changed the same field first: each waits for\n`cs-console conflict SEQ --keep mine|theirs` (or `s` in the console), and blocks the later\nchanges of its ticket until then.": (
        "RT 拒绝的修改，因为别人先改了同一个字段：每一条都等待 `cs-console conflict SEQ --keep mine|theirs`（或在控制台里按 `s`），在此之前该工单后续的修改都会被挡住。",
        "RT 拒絕的修改，因為別人先改了同一個欄位：每一條都等待 `cs-console conflict SEQ --keep mine|theirs`（或在控制台裡按 `s`），在此之前該工單後續的修改都會被擋住。",
    ),
    # cs-console conflicts
    "JSON array of the ops in conflict.": (
        "冲突中的操作，JSON 数组。",
        "衝突中的操作，JSON 陣列。",
    ),
    # cs-console decline
    "A supervisor declines a request waiting for approval; its lines are free again.": (
        "主管拒绝一个等待审批的申请；其中的订单明细重新可用。",
        "主管拒絕一個等待審批的申請；其中的訂單明細重新可用。",
    ),
    # cs-console decline
    "Why it is declined (told to the agent).": (
        "拒绝的原因（会告诉客服）。",
        "拒絕的原因（會告訴客服）。",
    ),
    # cs-console demo
    "Open the console on a demo cache (created and seeded if missing); no backend.": (
        "在演示缓存上打开控制台（没有时自动创建并填充数据）；不连后台。",
        "在示範快取上開啟控制台（沒有時自動建立並填充資料）；不連後台。",
    ),
    # cs-console demo
    "Tickets when the demo cache is created.": (
        "创建演示缓存时的工单数。",
        "建立示範快取時的工單數。",
    ),
    # cs-console escalate
    "Escalate a ticket to a supervisor, with a reason.": (
        "把工单升级给主管，并写明原因。",
        "把工單升級給主管，並寫明原因。",
    ),
    # cs-console escalate
    "Why the supervisor is needed.": (
        "为什么需要主管。",
        "為什麼需要主管。",
    ),
    # cs-console exchange
    "Exchange order lines of a ticket's order for another shade, size or item.": (
        "把工单所关联订单的明细换成另一个色号、尺码或商品。",
        "把工單所關聯訂單的明細換成另一個色號、尺碼或商品。",
    ),
    # cs-console exchange
    "Ticket number.": (
        "工单号。",
        "工單號。",
    ),
    # cs-console exchange
    "SKU of an order line (repeat for several lines).": (
        "订单明细的 SKU（多条明细就重复这个选项）。",
        "訂單明細的 SKU（多條明細就重複這個選項）。",
    ),
    # cs-console exchange
    "Quantity for each --sku, in the same order (default 1).": (
        "每个 --sku 的数量，顺序相同（默认 1）。",
        "每個 --sku 的數量，順序相同（預設 1）。",
    ),
    # cs-console exchange
    "Reason code (see README).": (
        "原因代码（见 README）。",
        "原因代碼（見 README）。",
    ),
    # cs-console exchange
    "Batch number (required for allergy).": (
        "批次号（过敏必填）。",
        "批次號（過敏必填）。",
    ),
    # cs-console exchange
    "The customer sent photos (damaged: required).": (
        "客户发来了照片（damaged：必填）。",
        "客戶發來了照片（damaged：必填）。",
    ),
    # cs-console exchange
    "An exception outside policy: waits for a supervisor.": (
        "政策以外的例外：需要等主管审批。",
        "政策以外的例外：需要等主管審批。",
    ),
    # cs-console exchange
    "Allergy: symptoms for the case (default: last message).": (
        "过敏：这个案例的症状（默认：最后一条消息）。",
        "過敏：這個案例的症狀（預設：最後一條訊息）。",
    ),
    # cs-console exchange
    "Idempotency key (default: derived from the request itself).": (
        "幂等键（默认：由请求本身推出）。",
        "冪等鍵（預設：由請求本身推出）。",
    ),
    # cs-console exchange
    "JSON: return_id, status, verdict, op_id.": (
        "JSON：return_id、status、verdict、op_id。",
        "JSON：return_id、status、verdict、op_id。",
    ),
    # cs-console exchange
    "Target SKU: another shade or size of the same product, or an item at the same price (default for wrong_item, faulty, quality: the same SKU).": (
        "目标 SKU：同一商品的另一个色号或尺码，或同价的商品（wrong_item、faulty、quality 的默认：同一个 SKU）。",
        "目標 SKU：同一商品的另一個色號或尺碼，或同價的商品（wrong_item、faulty、quality 的預設：同一個 SKU）。",
    ),
    # cs-console followup
    "One follow-up: `followup done ID` records its outcome; `followup birthdays` creates\nthis month's VIP birthday greetings.": (
        "单条回访：`followup done ID` 记录结果；`followup birthdays` 生成本月的 VIP 生日祝福。",
        "單條回訪：`followup done ID` 記錄結果；`followup birthdays` 生成本月的 VIP 生日祝福。",
    ),
    # cs-console followup birthdays
    "Create this month's birthday greetings for VIPs (gold, diamond) now; one per customer\nper year, so running it again creates nothing. Sync rounds do this by themselves.": (
        "现在为 VIP（gold、diamond）生成本月的生日祝福；每位客户每年一条，所以再运行一次不会新增。同步时也会自动做这件事。",
        "現在為 VIP（gold、diamond）生成本月的生日祝福；每位客戶每年一條，所以再執行一次不會新增。同步時也會自動做這件事。",
    ),
    # cs-console followup birthdays
    "JSON array of the new follow-up ids.": (
        "新回访编号的 JSON 数组。",
        "新回訪編號的 JSON 陣列。",
    ),
    # cs-console followup done
    "Record what a follow-up came to, once. An unhappy one reopens its ticket.": (
        "记录一次回访的结果（只能记一次）。不满意的回访会重新打开工单。",
        "記錄一次回訪的結果（只能記一次）。不滿意的回訪會重新開啟工單。",
    ),
    # cs-console followup done
    "reached: spoke with the customer; no_answer: could not reach them; declined: they declined (the call, the survey or the resolution).": (
        "reached：联系上了客户；no_answer：联系不上；declined：客户拒绝了（电话、问卷或处理方案）。",
        "reached：聯絡上了客戶；no_answer：聯絡不上；declined：客戶拒絕了（電話、問卷或處理方案）。",
    ),
    # cs-console followup done
    "The customer's satisfaction, 1 (very unhappy) to 5 (very happy); 1-2 reopens the ticket.": (
        "客户满意度，1（非常不满意）到 5（非常满意）；1-2 会重新打开工单。",
        "客戶滿意度，1（非常不滿意）到 5（非常滿意）；1-2 會重新開啟工單。",
    ),
    # cs-console followup done
    "What the customer said (a comment with --outcome declined is a complaint: it reopens the ticket).": (
        "客户说了什么（--outcome declined 时写的意见算投诉：会重新打开工单）。",
        "客戶說了什麼（--outcome declined 時寫的意見算投訴：會重新開啟工單）。",
    ),
    # cs-console followup done
    "JSON: followup, unhappy, reopened, not_reopened, op_id.": (
        "JSON：followup、unhappy、reopened、not_reopened、op_id。",
        "JSON：followup、unhappy、reopened、not_reopened、op_id。",
    ),
    # cs-console followups
    "Follow-up work, soonest due first: callbacks after resolution, first buyers' usage\nchecks and VIP birthday greetings. Without a flag: every one not done yet.": (
        "回访工作，最早到期的在前：解决后的回电、首次购买客户的使用回访和 VIP 生日祝福。不带选项时：所有还没做完的。",
        "回訪工作，最早到期的在前：解決後的回電、首次購買客戶的使用回訪和 VIP 生日祝福。不帶選項時：所有還沒做完的。",
    ),
    # cs-console followups
    "Only those due now (overdue included).": (
        "只看现在到期的（含逾期）。",
        "只看現在到期的（含逾期）。",
    ),
    # cs-console followups
    "Only those more than a day past due and not done.": (
        "只看逾期超过一天且还没做的。",
        "只看逾期超過一天且還沒做的。",
    ),
    # cs-console followups
    "Only those already recorded.": (
        "只看已经记录过的。",
        "只看已經記錄過的。",
    ),
    # cs-console followups
    "Every follow-up, done or not.": (
        "所有回访，做完没做完都算。",
        "所有回訪，做完沒做完都算。",
    ),
    # cs-console followups
    "Only on tickets you hold (and ticketless greetings).": (
        "只看你手上工单的（以及没有工单的祝福）。",
        "只看你手上工單的（以及沒有工單的祝福）。",
    ),
    # cs-console followups
    "Only this customer's.": (
        "只看这位客户的。",
        "只看這位客戶的。",
    ),
    # cs-console followups
    "At most this many, soonest due first.": (
        "最多这么多条，最早到期的在前。",
        "最多這麼多條，最早到期的在前。",
    ),
    # cs-console followups
    "JSON array, soonest due first.": (
        "JSON 数组，最早到期的在前。",
        "JSON 陣列，最早到期的在前。",
    ),
    # cs-console import
    "Bring data from other systems into the cache.": (
        "把其他系统的数据导入缓存。",
        "把其他系統的資料匯入快取。",
    ),
    # cs-console import orders
    'Orders from a shop-system CSV export in UTF-8 (order_no, customer_email, placed_at,\ndelivered_at, total, lines as "SKU x QTY @ PRICE #BATCH; ...").\n\nEvery row is validated first (numbers, money, dates, e-mails, and that a known order keeps\nits customer); each bad row is printed as file:line: problem, and if there is any, nothing\nis written (exit status 1).': (
        '从商城系统导出的 UTF-8 CSV 导入订单（order_no、customer_email、placed_at、delivered_at、total，lines 写成 "SKU x QTY @ PRICE #BATCH; ..."）。\n\n先校验每一行（数字、金额、日期、邮箱，以及已有订单不换客户）；每个有问题的行都按 file:line: problem 打印出来，只要有一行有问题，就什么都不写入（退出码 1）。',
        '從商城系統匯出的 UTF-8 CSV 匯入訂單（order_no、customer_email、placed_at、delivered_at、total，lines 寫成 "SKU x QTY @ PRICE #BATCH; ..."）。\n\n先校驗每一行（數字、金額、日期、郵箱，以及已有訂單不換客戶）；每個有問題的行都按 file:line: problem 列印出來，只要有一行有問題，就什麼都不寫入（退出碼 1）。',
    ),
    # cs-console import orders
    "Also put them into RT (default: when RT is configured).": (
        "同时写入 RT（默认：配置了 RT 时）。",
        "同時寫入 RT（預設：設定了 RT 時）。",
    ),
    # cs-console kb
    "Search and maintain the knowledge base (articles and reply scripts).": (
        "搜索和维护知识库（文章和回复话术）。",
        "搜尋和維護知識庫（文章和回覆話術）。",
    ),
    # cs-console kb check
    "Validate DIRECTORY (default: the configured knowledge base); exit 1 on any problem.\n\nBesides the file format it reports ASCII punctuation in Chinese text and bad lines of\nvocabulary/*.tsv (file:line).": (
        "校验 DIRECTORY（默认：配置的知识库）；有任何问题时退出码为 1。\n\n除了文件格式，还会报告中文里的半角标点和 vocabulary/*.tsv 里有问题的行（file:line）。",
        "校驗 DIRECTORY（預設：設定的知識庫）；有任何問題時退出碼為 1。\n\n除了檔案格式，還會報告中文裡的半形標點和 vocabulary/*.tsv 裡有問題的行（file:line）。",
    ),
    # cs-console kb check
    "First rewrite ASCII , : ; ! ? ( ) that touch Chinese text in article and script files as full width (code, URLs, placeholders, times and English are left alone).": (
        "先把文章和话术文件里紧挨中文的半角 , : ; ! ? ( ) 改成全角（代码、网址、占位符、时间和英文不动）。",
        "先把文章和話術檔案裡緊挨中文的半形 , : ; ! ? ( ) 改成全形（程式碼、網址、佔位符、時間和英文不動）。",
    ),
    # cs-console kb eval
    "Recall@1 and recall@5 of the queries in TSV (columns: query, expected, kind).": (
        "TSV 中查询的 recall@1 和 recall@5（列：query、expected、kind）。",
        "TSV 中查詢的 recall@1 和 recall@5（列：query、expected、kind）。",
    ),
    # cs-console kb eval
    "Print the figures and misses as JSON.": (
        "以 JSON 打印指标和未命中的查询。",
        "以 JSON 列印指標和未命中的查詢。",
    ),
    # cs-console kb export
    "Write every article and script as CSV, one row each (a UTF-8 BOM when writing a file).\n\nColumns: slug,title,title_zh,category,question,aliases,tags,products,body,scripts; list\ncells are separated by '|'; scripts is the '## 话术 · <title>' sections of the article.\nA cell that a spreadsheet would run as a formula is written with a ' in front (see --raw).": (
        "把每篇文章和话术写成 CSV，每条一行（写入文件时带 UTF-8 BOM）。\n\n列：slug,title,title_zh,category,question,aliases,tags,products,body,scripts；列表单元格用 '|' 分隔；scripts 是文章里的 '## 话术 · <标题>' 各节。表格软件会当作公式运行的单元格，前面会加一个 '（见 --raw）。",
        "把每篇文章和話術寫成 CSV，每條一行（寫入檔案時帶 UTF-8 BOM）。\n\n列：slug,title,title_zh,category,question,aliases,tags,products,body,scripts；列表單元格用 '|' 分隔；scripts 是文章裡的 '## Script · <標題>' 各節。表格軟體會當作公式執行的單元格，前面會加一個 '（見 --raw）。",
    ),
    # cs-console kb export
    "CSV file to write (default: standard output).": (
        "要写入的 CSV 文件（默认：标准输出）。",
        "要寫入的 CSV 檔案（預設：標準輸出）。",
    ),
    # cs-console kb export
    "Write cells exactly as they are. Dangerous: a spreadsheet runs a cell starting with = + - @ (or tab, CR) as a formula, e.g. =HYPERLINK(...); by default such a cell gets a ' in front, which `kb import` takes off again.": (
        "单元格按原样写出。危险：表格软件会把以 = + - @（或制表符、回车）开头的单元格当作公式运行，例如 =HYPERLINK(...)；默认情况下这样的单元格前面会加一个 '，`kb import` 会再去掉它。",
        "單元格按原樣寫出。危險：表格軟體會把以 = + - @（或製表符、回車）開頭的單元格當作公式執行，例如 =HYPERLINK(...)；預設情況下這樣的單元格前面會加一個 '，`kb import` 會再去掉它。",
    ),
    # cs-console kb import
    "Write article files from a spreadsheet export (columns: see `kb export`).\n\nEvery row is validated first; if any row is bad, its row number and problem are printed and\nnothing is written.": (
        "从表格导出的文件写入文章文件（列：见 `kb export`）。\n\n先校验每一行；只要有一行有问题，就打印它的行号和问题，什么都不写入。",
        "從表格匯出的檔案寫入文章檔案（列：見 `kb export`）。\n\n先校驗每一行；只要有一行有問題，就列印它的行號和問題，什麼都不寫入。",
    ),
    # cs-console kb import
    "Knowledge-base folder to write into (default: the configured one).": (
        "写入的知识库文件夹（默认：配置的那个）。",
        "寫入的知識庫資料夾（預設：設定的那個）。",
    ),
    # cs-console kb import
    "The sheet was exported with `kb export --raw`: take every cell as it is (by default the ' that the export put in front of a cell starting with = + - @ is taken off).": (
        "表格是用 `kb export --raw` 导出的：每个单元格都按原样读取（默认会去掉导出时加在以 = + - @ 开头的单元格前面的 '）。",
        "表格是用 `kb export --raw` 匯出的：每個單元格都按原樣讀取（預設會去掉匯出時加在以 = + - @ 開頭的單元格前面的 '）。",
    ),
    # cs-console kb search
    "Find articles and scripts for QUERY (Chinese, pinyin, initials or English).": (
        "按 QUERY 查找文章和话术（中文、拼音、首字母或英文）。",
        "按 QUERY 查詢文章和話術（中文、拼音、首字母或英文）。",
    ),
    # cs-console kb search
    "Print a JSON array, best first.": (
        "打印 JSON 数组，最相关的在前。",
        "列印 JSON 陣列，最相關的在前。",
    ),
    # cs-console kb search
    "One query per input line; one JSON array per output line.": (
        "每行输入一个查询；每行输出一个 JSON 数组。",
        "每行輸入一個查詢；每行輸出一個 JSON 陣列。",
    ),
    # cs-console kb show
    "Print one article or script file with its reply scripts.": (
        "打印一篇文章或话术文件及其回复话术。",
        "列印一篇文章或話術檔案及其回覆話術。",
    ),
    # cs-console kb show
    "Print the article as JSON.": (
        "以 JSON 打印文章。",
        "以 JSON 列印文章。",
    ),
    # cs-console outbox
    "Actions waiting to sync (pending, uncertain, rejected, conflict).": (
        "等待同步的操作（pending、uncertain、rejected、conflict）。",
        "等待同步的操作（pending、uncertain、rejected、conflict）。",
    ),
    # cs-console outbox
    "Only these states (repeatable). Default: all but done.": (
        "只看这些状态（可重复）。默认：除 done 以外的全部。",
        "只看這些狀態（可重複）。預設：除 done 以外的全部。",
    ),
    # cs-console priority
    "Set priority: 1 urgent, 2 high, 3 normal, 4 low.": (
        "设置优先级：1 紧急，2 高，3 普通，4 低。",
        "設定優先級：1 緊急，2 高，3 普通，4 低。",
    ),
    # cs-console qa
    "Review sent replies: promises outside policy, blaming the customer, forbidden words,\nunfilled prompts, no stop-use advice on an allergy ticket.": (
        "检查已发送的回复：超出政策的承诺、指责客户、禁用词、没填的提示、过敏工单里没有建议停用。",
        "檢查已傳送的回覆：超出政策的承諾、指責客戶、禁用詞、沒填的提示、過敏工單裡沒有建議停用。",
    ),
    # cs-console qa
    "Only this agent's replies.": (
        "只看这位客服的回复。",
        "只看這位客服的回覆。",
    ),
    # cs-console qa
    "From this UTC time (ISO-8601, e.g. 2026-11-01).": (
        "从这个 UTC 时间开始（ISO-8601，例如 2026-11-01）。",
        "從這個 UTC 時間開始（ISO-8601，例如 2026-11-01）。",
    ),
    # cs-console qa
    "Up to (not including) this UTC time.": (
        "到这个 UTC 时间为止（不含）。",
        "到這個 UTC 時間為止（不含）。",
    ),
    # cs-console qa
    "A random sample of N replies.": (
        "随机抽取 N 条回复。",
        "隨機抽取 N 條回覆。",
    ),
    # cs-console qa
    "JSON: {replies, findings: [...]}.": (
        "JSON：{replies, findings: [...]}。",
        "JSON：{replies, findings: [...]}。",
    ),
    # cs-console qa
    "CSV, one row per risk point.": (
        "CSV，每个风险点一行。",
        "CSV，每個風險點一行。",
    ),
    # cs-console queue
    "The queue in console order: breached first, then by SLA due, then priority.": (
        "按控制台的顺序列出队列：先是已超时的，然后按 SLA 到期时间，再按优先级。",
        "按控制台的順序列出佇列：先是已超時的，然後按 SLA 到期時間，再按優先級。",
    ),
    # cs-console queue
    "The console's filters (approvals: supervisors; `approval` is accepted too).": (
        "控制台的筛选（approvals：仅主管；也接受 `approval`）。",
        "控制台的篩選（approvals：僅主管；也接受 `approval`）。",
    ),
    # cs-console queue
    "JSON array (see README for the fields).": (
        "JSON 数组（字段见 README）。",
        "JSON 陣列（欄位見 README）。",
    ),
    # cs-console quiz
    "A knowledge quiz from the knowledge base and the policy numbers; the score is kept.": (
        "根据知识库和政策数字出题的知识测验；成绩会保存。",
        "根據知識庫和政策數字出題的知識測驗；成績會儲存。",
    ),
    # cs-console quiz
    "Same seed, same questions (default: random).": (
        "同一个种子，同样的题目（默认：随机）。",
        "同一個種子，同樣的題目（預設：隨機）。",
    ),
    # cs-console quiz
    "Answers for scripts, e.g. 1,3,2 (1-based; skips the prompts).": (
        "话术题的答案，例如 1,3,2（从 1 开始数；跳过提示）。",
        "話術題的答案，例如 1,3,2（從 1 開始數；跳過提示）。",
    ),
    # cs-console quiz
    "With --answers: the scored quiz as JSON.": (
        "与 --answers 一起用：以 JSON 输出评分后的测验。",
        "與 --answers 一起用：以 JSON 輸出評分後的測驗。",
    ),
    # cs-console reply
    "Reply to the customer (or add an internal note).": (
        "回复客户（或添加内部备注）。",
        "回覆客戶（或新增內部備註）。",
    ),
    # cs-console reply
    "Text to send; '-' or omitted reads standard input.": (
        "要发送的文本；'-' 或不写时从标准输入读取。",
        "要傳送的文字；'-' 或不寫時從標準輸入讀取。",
    ),
    # cs-console reply
    "An internal note instead of a reply.": (
        "写内部备注，而不是回复。",
        "寫內部備註，而不是回覆。",
    ),
    # cs-console report
    'Service metrics of a period against their targets (README: "Service metrics").': (
        '一个时段的服务指标与目标的对比（README："Service metrics"）。',
        '一個時段的服務指標與目標的對比（README："Service metrics"）。',
    ),
    # cs-console report
    "First day (YYYY-MM-DD, local); default today.": (
        "第一天（YYYY-MM-DD，本地时间）；默认今天。",
        "第一天（YYYY-MM-DD，本地時間）；預設今天。",
    ),
    # cs-console report
    "Last day, included (YYYY-MM-DD, local).": (
        "最后一天，包含在内（YYYY-MM-DD，本地时间）。",
        "最後一天，包含在內（YYYY-MM-DD，本地時間）。",
    ),
    # cs-console report
    "Also one row per channel, category, agent, skill group, hour of day or day.": (
        "另外按渠道、分类、客服、技能组、一天中的小时或日期各列一行。",
        "另外按渠道、分類、客服、技能組、一天中的小時或日期各列一行。",
    ),
    # cs-console report
    "JSON: period, total, rows, allergy batches.": (
        "JSON：period、total、rows、allergy batches。",
        "JSON：period、total、rows、allergy batches。",
    ),
    # cs-console report
    "CSV: one line per group and figure.": (
        "CSV：每个分组和指标一行。",
        "CSV：每個分組和指標一行。",
    ),
    # cs-console report
    "Write a workbook: summary, one sheet per breakdown (all, or --by) with a chart.": (
        "写一个工作簿：汇总，加上每种细分一张表（全部，或 --by 指定的）并带图表。",
        "寫一個工作簿：彙總，加上每種細分一張表（全部，或 --by 指定的）並帶圖表。",
    ),
    # cs-console return
    "Return order lines of a ticket's order (refund, reissue, repair or exchange).": (
        "退回工单所关联订单的明细（退款、补发、维修或换货）。",
        "退回工單所關聯訂單的明細（退款、補發、維修或換貨）。",
    ),
    # cs-console return
    "refund | exchange | reissue | repair (default: the policy's first option).": (
        "refund | exchange | reissue | repair（默认：政策的第一个选项）。",
        "refund | exchange | reissue | repair（預設：政策的第一個選項）。",
    ),
    # cs-console return
    "Exchange target (another shade or size, or same-price item).": (
        "换货目标（另一个色号或尺码，或同价商品）。",
        "換貨目標（另一個色號或尺碼，或同價商品）。",
    ),
    # cs-console returns
    "Returns, exchanges and compensations with their reason codes, newest first.": (
        "退货、换货和补偿及其原因代码，最新的在前。",
        "退貨、換貨和補償及其原因代碼，最新的在前。",
    ),
    # cs-console returns
    "Only these.": (
        "只看这些。",
        "只看這些。",
    ),
    # cs-console returns
    "Only those waiting for a supervisor.": (
        "只看等待主管审批的。",
        "只看等待主管審批的。",
    ),
    # cs-console returns
    "CSV, one row per returned line.": (
        "CSV，每条退回的明细一行。",
        "CSV，每條退回的明細一行。",
    ),
    # cs-console routing
    "Show the routing rule ([routing] in the config) and each agent's skill groups and open\ntickets: which channel, tier and category go to which skill group, the most open tickets\nan agent holds, and who new tickets are assigned to.": (
        "显示分配规则（配置里的 [routing]）以及每位客服的技能组和未结工单：哪个渠道、会员等级和分类分到哪个技能组，一位客服最多持有多少未结工单，新工单分给谁。",
        "顯示分配規則（設定裡的 [routing]）以及每位客服的技能組和未結工單：哪個渠道、會員等級和分類分到哪個技能組，一位客服最多持有多少未結工單，新工單分給誰。",
    ),
    # cs-console routing
    'Print {"rule": {...}, "agents": [{"id", "name", "role", "groups", "groups_from", "open", "max_load", "at_limit", "gets_new_tickets"}]}.': (
        '打印 {"rule": {...}, "agents": [{"id", "name", "role", "groups", "groups_from", "open", "max_load", "at_limit", "gets_new_tickets"}]}。',
        '列印 {"rule": {...}, "agents": [{"id", "name", "role", "groups", "groups_from", "open", "max_load", "at_limit", "gets_new_tickets"}]}。',
    ),
    # cs-console rt
    "Request Tracker 5: prepare the server cs-console syncs with.": (
        "Request Tracker 5：准备 cs-console 同步的服务器。",
        "Request Tracker 5：準備 cs-console 同步的伺服器。",
    ),
    # cs-console rt agent
    "Put RT user NAME on the team with ROLE (as an RT administrator). Roles live only in RT:\neach console reads them at its next sync.": (
        "把 RT 用户 NAME 以 ROLE 加入团队（以 RT 管理员身份）。角色只保存在 RT 里：每个控制台在下次同步时读取。",
        "把 RT 使用者 NAME 以 ROLE 加入團隊（以 RT 管理員身份）。角色只儲存在 RT 裡：每個控制台在下次同步時讀取。",
    ),
    # cs-console rt agent
    "Which team group the RT user joins (and leaves the other two).": (
        "RT 用户加入哪个团队组（并退出另外两个）。",
        "RT 使用者加入哪個團隊組（並退出另外兩個）。",
    ),
    # cs-console rt agent
    "Display name for a new user.": (
        "新用户的显示名称。",
        "新使用者的顯示名稱。",
    ),
    # cs-console rt bootstrap
    "Create the queues, custom fields and rights cs-console needs. Safe to run twice.": (
        "创建 cs-console 需要的队列、自定义字段和权限。重复运行也安全。",
        "建立 cs-console 需要的佇列、自定義欄位和許可權。重複執行也安全。",
    ),
    # cs-console rt bootstrap
    "Create/repair this RT user for syncing (privileged, time zone UTC) and grant it the rights cs-console needs.": (
        "创建或修复用于同步的这个 RT 用户（特权用户，时区 UTC），并授予它 cs-console 需要的权限。",
        "建立或修復用於同步的這個 RT 使用者（特權使用者，時區 UTC），並授予它 cs-console 需要的許可權。",
    ),
    # cs-console rt bootstrap
    "Name of the support queue.": (
        "客服队列的名称。",
        "客服佇列的名稱。",
    ),
    # cs-console rt bootstrap
    "Where to write the initialdata file for what REST2 cannot create.": (
        "REST2 无法创建的内容写成 initialdata 文件，写到哪里。",
        "REST2 無法建立的內容寫成 initialdata 檔案，寫到哪裡。",
    ),
    # cs-console rt bootstrap
    "Run rt-setup-database here (default: when RT is on loopback and the tool is installed).": (
        "在这里运行 rt-setup-database（默认：RT 在本机回环地址上且装有该工具时）。",
        "在這裡執行 rt-setup-database（預設：RT 在本機迴環地址上且裝有該工具時）。",
    ),
    # cs-console rt bootstrap
    "Print the report as JSON.": (
        "以 JSON 打印报告。",
        "以 JSON 列印報告。",
    ),
    # cs-console rt import-orders
    "Put the orders of a CSV export into RT (assets of the Orders catalog). Idempotent.": (
        "把 CSV 导出里的订单写入 RT（Orders 目录的资产）。可重复运行。",
        "把 CSV 匯出裡的訂單寫入 RT（Orders 目錄的資產）。可重複執行。",
    ),
    # cs-console seed
    "Create a cache and fill it with deterministic demo data.": (
        "创建一个缓存，填入确定的演示数据。",
        "建立一個快取，填入確定的示範資料。",
    ),
    # cs-console seed
    "Customers (default: a quarter of the tickets).": (
        "客户数（默认：工单数的四分之一）。",
        "客戶數（預設：工單數的四分之一）。",
    ),
    # cs-console seed
    "Same seed, same data.": (
        "同一个种子，同样的数据。",
        "同一個種子，同樣的資料。",
    ),
    # cs-console seed
    "No progress on stderr.": (
        "不在标准错误输出上显示进度。",
        "不在標準錯誤輸出上顯示進度。",
    ),
    # cs-console status
    "Set a ticket's status (pending pauses the SLA clock; resolved stops it).": (
        "设置工单状态（pending 暂停 SLA 计时；resolved 停止计时）。",
        "設定工單狀態（pending 暫停 SLA 計時；resolved 停止計時）。",
    ),
    # cs-console sync
    'Push the outbox to RT and pull tickets back.\n\nPrints {"pulled","pushed","pending","uncertain","rejected","conflicts"} with --json.\nEach round also escalates overdue tickets to a supervisor (offline too; `[escalation] auto`\nin the config) and names them on stderr.\nExit status: 0 synced, 2 offline, 3 credentials refused.': (
        '把发件箱推送到 RT，再把工单拉回来。\n\n加 --json 时打印 {"pulled","pushed","pending","uncertain","rejected","conflicts"}。每一轮还会把逾期工单升级给主管（离线时也会；配置里的 `[escalation] auto`），并在标准错误输出上列出它们。退出码：0 已同步，2 离线，3 凭据被拒。',
        '把發件箱推送到 RT，再把工單拉回來。\n\n加 --json 時列印 {"pulled","pushed","pending","uncertain","rejected","conflicts"}。每一輪還會把逾期工單升級給主管（離線時也會；設定裡的 `[escalation] auto`），並在標準錯誤輸出上列出它們。退出碼：0 已同步，2 離線，3 憑據被拒。',
    ),
    # cs-console sync
    "One round (push, then pull) and exit.": (
        "只同步一轮（先推送，再拉取）然后退出。",
        "只同步一輪（先推送，再拉取）然後退出。",
    ),
    # cs-console sync
    "Print the round's summary as JSON.": (
        "以 JSON 打印本轮的摘要。",
        "以 JSON 列印本輪的摘要。",
    ),
    # cs-console sync
    "Cache file (defaults to the global --db / config).": (
        "缓存文件（默认用全局的 --db / 配置）。",
        "快取檔案（預設用全域性的 --db / 設定）。",
    ),
    # cs-console sync
    "Seconds between rounds without --once.": (
        "不加 --once 时，每轮之间的秒数。",
        "不加 --once 時，每輪之間的秒數。",
    ),
    # cs-console sync
    "Also look for op ids that exist twice in RT.": (
        "同时检查 RT 里是否有重复的操作编号（op id）。",
        "同時檢查 RT 裡是否有重複的操作編號（op id）。",
    ),
    # cs-console take-next
    "Take the most urgent unassigned ticket.": (
        "领取最紧急的未分配工单。",
        "領取最緊急的未分配工單。",
    ),
    # cs-console ticket
    "A ticket: `ticket ID` shows it; `ticket create` opens one; `ticket link` ties one to RT.": (
        "工单：`ticket ID` 查看；`ticket create` 新建；`ticket link` 关联到 RT。",
        "工單：`ticket ID` 檢視；`ticket create` 新建；`ticket link` 關聯到 RT。",
    ),
    # cs-console ticket create
    "Open a ticket here; it reaches RT as a create op at the next sync.": (
        "在这里新建工单；下次同步时作为 create 操作发到 RT。",
        "在這裡新建工單；下次同步時作為 create 操作發到 RT。",
    ),
    # cs-console ticket create
    "Customer id (see `ticket ID --json`).": (
        "客户编号（见 `ticket ID --json`）。",
        "客戶編號（見 `ticket ID --json`）。",
    ),
    # cs-console ticket create
    "The customer's words; '-' or omitted reads standard input.": (
        "客户的原话；'-' 或不写时从标准输入读取。",
        "客戶的原話；'-' 或不寫時從標準輸入讀取。",
    ),
    # cs-console ticket create
    'Print {"ticket_id", "op_id"}.': (
        '打印 {"ticket_id", "op_id"}。',
        '列印 {"ticket_id", "op_id"}。',
    ),
    # cs-console ticket link
    "Tie local ticket TICKET_ID to the existing RT ticket RT_ID.": (
        "把本地工单 TICKET_ID 关联到 RT 里已有的工单 RT_ID。",
        "把本地工單 TICKET_ID 關聯到 RT 裡已有的工單 RT_ID。",
    ),
    # cs-console ticket order
    "Make ORDER_ID (an order of the same customer) the order TICKET_ID is about.": (
        "把 ORDER_ID（同一位客户的订单）设为 TICKET_ID 所涉及的订单。",
        "把 ORDER_ID（同一位客戶的訂單）設為 TICKET_ID 所涉及的訂單。",
    ),
    # cs-console ticket orders
    "List the orders of TICKET_ID's customer, newest first (* the one the ticket is about).": (
        "列出 TICKET_ID 的客户的订单，最新的在前（* 标出工单涉及的那个）。",
        "列出 TICKET_ID 的客戶的訂單，最新的在前（* 標出工單涉及的那個）。",
    ),
    # cs-console ticket orders
    "Print JSON.": (
        "打印 JSON。",
        "列印 JSON。",
    ),
    # cs-console ticket show
    "One ticket with its customer, order and lines, and messages.": (
        "一张工单及其客户、订单和明细，以及消息。",
        "一張工單及其客戶、訂單和明細，以及訊息。",
    ),
    # cs-console train
    "Practice in the real console on a sandbox seeded with scenarios (never synced); each\nresolved ticket is graded and the result kept in the real cache's training tables.": (
        "在真实的控制台里、在填入了场景的沙盒上练习（从不同步）；每张解决的工单都会评分，结果保存在真实缓存的培训表里。",
        "在真實的控制台裡、在填入了場景的沙盒上練習（從不同步）；每張解決的工單都會評分，結果儲存在真實快取的培訓表裡。",
    ),
    # cs-console train
    "Whose practice this is (default: you; another: supervisors only).": (
        "这是谁的练习（默认：你自己；别人：仅主管）。",
        "這是誰的練習（預設：你自己；別人：僅主管）。",
    ),
    # cs-console train
    "One scenario by slug.": (
        "按 slug 指定一个场景。",
        "按 slug 指定一個場景。",
    ),
    # cs-console train
    "A named set of scenarios (default: basics).": (
        "一组有名字的场景（默认：basics）。",
        "一組有名字的場景（預設：basics）。",
    ),
    # cs-console train
    "List the scenarios and their sets.": (
        "列出场景及其所属的组。",
        "列出場景及其所屬的組。",
    ),
    # cs-console train
    "Keep the sandbox in this new file (default: a temporary file, removed on exit).": (
        "把沙盒保存在这个新文件里（默认：临时文件，退出时删除）。",
        "把沙盒儲存在這個新檔案裡（預設：臨時檔案，退出時刪除）。",
    ),
    # cs-console training
    "Trainees' progress (`report`) and raising a ready trainee's role (`promote`).": (
        "学员的进度（`report`）以及提升合格学员的角色（`promote`）。",
        "學員的進度（`report`）以及提升合格學員的角色（`promote`）。",
    ),
    # cs-console training promote
    "(supervisor) Raise a ready trainee to agent; audited. RT's groups stay the source of\ntruth: have an RT admin move the user too, or the next sync puts RT's role back.": (
        "（主管）把合格的学员提升为客服；记入审计。RT 的组仍然是准绳：请 RT 管理员也把用户移过去，否则下次同步会把角色改回 RT 里的。",
        "（主管）把合格的學員提升為客服；記入稽核。RT 的組仍然是準繩：請 RT 管理員也把使用者移過去，否則下次同步會把角色改回 RT 裡的。",
    ),
    # cs-console training report
    "Per trainee: scenarios done, average per rubric line over time, weakest topics, quizzes,\nand whether they are ready (the configured pass mark on the configured set).": (
        "每位学员：完成的场景、各评分项随时间的平均分、最弱的主题、测验，以及是否合格（配置的及格分数、配置的场景组）。",
        "每位學員：完成的場景、各評分項隨時間的平均分、最弱的主題、測驗，以及是否合格（設定的及格分數、設定的場景組）。",
    ),
    # cs-console training report
    "One trainee (default: every trainee with results).": (
        "一位学员（默认：每位有成绩的学员）。",
        "一位學員（預設：每位有成績的學員）。",
    ),
}
