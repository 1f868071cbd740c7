"""The UI text catalogue: simplified Chinese (default), traditional Chinese and English.

Every string the console shows comes from here through :func:`t`. A key missing from a language
falls back to simplified Chinese, then to the key itself, so a gap is visible but never fatal.
"""

from __future__ import annotations

from typing import Any

LANGS = ("zh-Hans", "zh-Hant", "en")
_lang = "zh-Hans"

# key: (zh-Hans, zh-Hant, en)
CATALOGUE: dict[str, tuple[str, str, str]] = {
    # bindings: description / tooltip
    "key.quit": ("退出", "退出", "Quit"),
    "key.quit.tip": ("退出控制台", "退出控制台", "Leave the console"),
    "key.help": ("帮助", "說明", "Help"),
    "key.help.tip": (
        "列出当前窗格可用的按键",
        "列出目前窗格可用的按鍵",
        "List what the focused pane can do",
    ),
    "key.kb": ("知识库", "知識庫", "Knowledge"),
    "key.kb.tip": (
        "从任意位置跳到知识库搜索",
        "從任何位置跳到知識庫搜尋",
        "Jump to knowledge search from anywhere",
    ),
    "key.kb_anywhere": ("知识库", "知識庫", "Knowledge"),
    "key.kb_anywhere.tip": (
        "在回复框里也能跳到知识库搜索",
        "在回覆框裡也能跳到知識庫搜尋",
        "Jump to knowledge search even while typing a reply",
    ),
    "key.take_next": ("接下一单", "接下一單", "Take next"),
    "key.take_next.tip": (
        "领取最紧急的未分配工单",
        "領取最緊急的未分配工單",
        "Take the most urgent unassigned ticket",
    ),
    "key.compose": ("回复", "回覆", "Reply"),
    "key.compose.tip": ("把光标移到回复框", "把游標移到回覆框", "Move to the reply box"),
    "key.queue": ("队列", "佇列", "Queue"),
    "key.queue.tip": ("回到工单队列", "回到工單佇列", "Back to the ticket queue"),
    "key.return": ("退货", "退貨", "Return"),
    "key.return.tip": (
        "为本单的订单发起退货",
        "為本單的訂單發起退貨",
        "Start a return for this ticket's order",
    ),
    "key.exchange": ("换货", "換貨", "Exchange"),
    "key.exchange.tip": (
        "为本单的订单发起换货",
        "為本單的訂單發起換貨",
        "Start an exchange for this ticket's order",
    ),
    "key.escalate": ("升级", "升級", "Escalate"),
    "key.escalate.tip": (
        "带原因转给主管",
        "附原因轉給主管",
        "Hand the ticket to a supervisor with a reason",
    ),
    "key.palette": ("命令", "命令", "Commands"),
    "key.palette.tip": (
        "按单号、姓名、手机尾号找工单、客户、文章和操作",
        "依單號、姓名、手機末碼找工單、客戶、文章和操作",
        "Find tickets (number, name, phone tail), customers, articles and actions",
    ),
    "key.send": ("发送", "傳送", "Send"),
    "key.send.tip": (
        "发送回复或备注(经发件箱同步)",
        "傳送回覆或備註(經寄件匣同步)",
        "Send the reply or note (synced through the outbox)",
    ),
    "key.toggle_note": ("回复/备注", "回覆/備註", "Reply/note"),
    "key.toggle_note.tip": (
        "在给客户的回复和内部备注之间切换",
        "在給客戶的回覆和內部備註之間切換",
        "Switch between a reply to the customer and an internal note",
    ),
    "key.reveal_phone": ("显示手机", "顯示手機", "Show phone"),
    "key.reveal_phone.tip": (
        "显示完整手机号(会记入审计日志)",
        "顯示完整手機號(會記入稽核日誌)",
        "Show the full phone number (written to the audit log)",
    ),
    "key.resolve": ("已解决", "已解決", "Resolve"),
    "key.resolve.tip": (
        "标记为已解决(停止 SLA 计时,安排回访)",
        "標記為已解決(停止 SLA 計時,安排回訪)",
        "Mark resolved (stops the SLA clock, schedules the follow-up)",
    ),
    "key.wait": ("等客户", "等客戶", "Wait"),
    "key.wait.tip": (
        "等待客户回复(SLA 计时暂停)",
        "等待客戶回覆(SLA 計時暫停)",
        "Waiting on the customer (SLA clock paused)",
    ),
    "key.filter": ("筛选", "篩選", "Filter"),
    "key.filter.tip": (
        "切换队列筛选:全部、我的、未分配、已升级、已超时、等待中",
        "切換佇列篩選:全部、我的、未分配、已升級、已逾時、等待中",
        "Cycle the queue filter: all, mine, unassigned, escalated, overdue, waiting",
    ),
    "key.search_queue": ("搜索队列", "搜尋佇列", "Search queue"),
    "key.search_queue.tip": (
        "按单号、姓名、主题搜索队列",
        "依單號、姓名、主旨搜尋佇列",
        "Search the queue by number, name or subject",
    ),
    "key.next_page": ("下一页", "下一頁", "Next page"),
    "key.next_page.tip": ("队列下一页", "佇列下一頁", "Next page of the queue"),
    "key.prev_page": ("上一页", "上一頁", "Previous page"),
    "key.prev_page.tip": ("队列上一页", "佇列上一頁", "Previous page of the queue"),
    "key.open": ("打开", "開啟", "Open"),
    "key.open.tip": (
        "打开所选工单或预览所选文章",
        "開啟所選工單或預覽所選文章",
        "Open the selected ticket or preview the selected article",
    ),
    "key.insert": ("插入话术", "插入話術", "Insert script"),
    "key.insert.tip": (
        "把所选文章的话术插入回复框(占位符已按工单填好)",
        "把所選文章的話術插入回覆框(佔位符已按工單填好)",
        "Insert the article's script into the reply, placeholders filled from the ticket",
    ),
    "key.close": ("关闭", "關閉", "Close"),
    "key.close.tip": ("关闭此窗口", "關閉此視窗", "Close this window"),
    "key.confirm": ("确认", "確認", "Confirm"),
    "key.confirm.tip": ("确认并写入", "確認並寫入", "Confirm and write"),
    "key.toggle_line": ("选择", "選擇", "Pick line"),
    "key.toggle_line.tip": (
        "选中或取消这一行商品",
        "選取或取消這一行商品",
        "Pick or unpick this order line",
    ),
    "key.qty_up": ("数量+1", "數量+1", "Qty +1"),
    "key.qty_up.tip": ("多退/换一件", "多退/換一件", "One more of this line"),
    "key.qty_down": ("数量-1", "數量-1", "Qty -1"),
    "key.qty_down.tip": ("少退/换一件", "少退/換一件", "One fewer of this line"),
    "key.approve": ("批准", "批准", "Approve"),
    "key.approve.tip": (
        "主管批准等待审批的申请",
        "主管批准等待審批的申請",
        "A supervisor approves the waiting request",
    ),
    "key.decline": ("驳回", "駁回", "Decline"),
    "key.decline.tip": (
        "主管驳回申请(需填写原因)",
        "主管駁回申請(需填寫原因)",
        "A supervisor declines the request (reason required)",
    ),
    "key.compensate": ("补偿", "補償", "Compensate"),
    "key.compensate.tip": (
        "给顾客积分或优惠券补偿",
        "給顧客積分或優惠券補償",
        "Compensate the customer with points or a coupon",
    ),
    "key.approvals": ("审批", "審批", "Approvals"),
    "key.approvals.tip": (
        "审批本单等待主管决定的退换货或补偿",
        "審批本單等待主管決定的退換貨或補償",
        "Decide this ticket's request waiting for a supervisor",
    ),
    "key.keep_mine": ("用我的", "用我的", "Keep mine"),
    "key.keep_mine.tip": (
        "按后台的最新版本重发我的修改",
        "按後台的最新版本重送我的修改",
        "Resend my change over the backend's current version",
    ),
    "key.take_theirs": ("用后台的", "用後台的", "Take theirs"),
    "key.take_theirs.tip": (
        "放弃我的修改(保留记录),采用后台的版本",
        "放棄我的修改(保留紀錄),採用後台的版本",
        "Drop my change (kept on record) and keep the backend's version",
    ),
    "key.sync_issues": ("同步问题", "同步問題", "Sync issues"),
    "key.sync_issues.tip": (
        "查看被拒绝、待确认和冲突的操作",
        "查看被拒絕、待確認和衝突的操作",
        "See rejected, uncertain and conflicting actions",
    ),
    "issues.title": ("需要处理的同步问题", "需要處理的同步問題", "Sync issues that need you"),
    "issues.keys": (
        "冲突:m 用我的 · d 用后台的 · Esc 关闭;被拒绝的操作保留在这里,不会丢",
        "衝突:m 用我的 · d 用後台的 · Esc 關閉;被拒絕的操作保留在這裡,不會遺失",
        "conflict: m keep mine · d take theirs · esc close; rejected actions stay here, never lost",
    ),
    "issues.col.state": ("状态", "狀態", "State"),
    "issues.col.kind": ("操作", "操作", "Action"),
    "issues.col.ticket": ("工单", "工單", "Ticket"),
    "issues.col.error": ("后台的说法", "後台的說法", "What the backend said"),
    "issues.state.conflict": ("冲突", "衝突", "conflict"),
    "issues.state.rejected": ("被拒绝", "被拒絕", "rejected"),
    "issues.state.uncertain": ("待确认", "待確認", "uncertain"),
    "issues.only_conflicts": (
        "只有冲突需要你决定",
        "只有衝突需要你決定",
        "Only conflicts need your decision",
    ),
    "issues.decided": ("已记录你的决定", "已記錄你的決定", "Your decision is recorded"),
    # returns, exchanges, compensation
    "rx.title.return": ("退货 · 工单 #{id}", "退貨 · 工單 #{id}", "Return · ticket #{id}"),
    "rx.title.exchange": ("换货 · 工单 #{id}", "換貨 · 工單 #{id}", "Exchange · ticket #{id}"),
    "rx.title.compensation": (
        "补偿 · 工单 #{id}",
        "補償 · 工單 #{id}",
        "Compensation · ticket #{id}",
    ),
    "rx.col.pick": ("选", "選", "✔"),
    "rx.col.product": ("商品", "商品", "Product"),
    "rx.col.variant": ("色号/尺码", "色號/尺碼", "Shade/size"),
    "rx.col.batch": ("批次", "批次", "Batch"),
    "rx.col.qty": ("数量", "數量", "Qty"),
    "rx.col.price": ("单价", "單價", "Price"),
    "rx.reason": ("原因", "原因", "Reason"),
    "rx.resolution": ("处理方式", "處理方式", "Resolution"),
    "rx.target": ("换成", "換成", "Exchange to"),
    "rx.stock": ("库存", "庫存", "stock"),
    "rx.batch": ("批次号(过敏必填)", "批次號(過敏必填)", "Batch number (required for allergy)"),
    "rx.photos": ("已收到照片", "已收到照片", "Photos received"),
    "rx.goodwill": ("政策外特批", "政策外特批", "Goodwill exception"),
    "rx.amount_hint": (
        "金额或积分(留空按政策)",
        "金額或積分(留空按政策)",
        "Amount or points (empty: by policy)",
    ),
    "rx.amount": ("金额", "金額", "amount"),
    "rx.points": ("积分", "積分", "points"),
    "rx.pick_lines": (
        "用空格选择要退换的商品",
        "用空白鍵選擇要退換的商品",
        "Pick the lines with space",
    ),
    "rx.refused": ("不符合", "不符合", "REFUSED"),
    "rx.needs_approval": ("需主管审批", "需主管審批", "NEEDS APPROVAL"),
    "rx.allowed": ("可以办理", "可以辦理", "ALLOWED"),
    "rx.outside_policy": ("政策外", "政策外", "outside policy"),
    "rx.missing": ("还缺", "還缺", "missing"),
    "rx.keys": (
        "空格 选择 · +/- 数量 · Tab 下一项 · Ctrl+S 确认 · Esc 取消",
        "空白 選擇 · +/- 數量 · Tab 下一項 · Ctrl+S 確認 · Esc 取消",
        "space pick · +/- qty · tab next · ctrl+s confirm · esc cancel",
    ),
    "rx.compensation_hint": (
        "延误补偿按延误天数计算;政策外补偿需主管审批",
        "延誤補償按延誤天數計算;政策外補償需主管審批",
        "Delay compensation follows the days late; goodwill needs a supervisor",
    ),
    "rx.filed": ("已提交 {id}({status})", "已提交 {id}({status})", "Filed {id} ({status})"),
    "rx.already": (
        "同一申请已存在:{id}(未重复提交)",
        "同一申請已存在:{id}(未重複提交)",
        "The same request already exists: {id} (not filed twice)",
    ),
    "rx.approval_title": (
        "审批 {id} · 工单 #{ticket}",
        "審批 {id} · 工單 #{ticket}",
        "Decide {id} · ticket #{ticket}",
    ),
    "rx.note": ("备注(驳回必填)", "備註(駁回必填)", "Note (required to decline)"),
    "rx.approval_keys": (
        "Ctrl+S 批准 · Ctrl+D 驳回 · Esc 取消",
        "Ctrl+S 批准 · Ctrl+D 駁回 · Esc 取消",
        "ctrl+s approve · ctrl+d decline · esc cancel",
    ),
    "rx.none_waiting": (
        "本单没有等待审批的申请",
        "本單沒有等待審批的申請",
        "No request of this ticket is waiting for approval",
    ),
    "rx.supervisor_only": ("只有主管可以审批", "只有主管可以審批", "Only a supervisor can decide"),
    "rx.decided": ("{id} 已{status}", "{id} 已{status}", "{id} {status}"),
    "rstatus.awaiting_approval": ("等待主管审批", "等待主管審批", "awaiting approval"),
    "rstatus.approved": ("批准", "批准", "approved"),
    "rstatus.declined": ("驳回", "駁回", "declined"),
    "rstatus.done": ("完成", "完成", "done"),
    "filter.approval": ("待审批", "待審批", "approvals"),
    # header and sync
    "role.trainee": ("实习", "實習", "trainee"),
    "role.agent": ("客服", "客服", "agent"),
    "role.supervisor": ("主管", "主管", "supervisor"),
    "sync.online": ("在线", "線上", "online"),
    "sync.offline": ("离线", "離線", "offline"),
    "sync.local": ("本地", "本機", "local only"),
    "sync.pending": ("{n} 待同步", "{n} 待同步", "{n} pending"),
    "sync.auth": (
        "后台拒绝了凭据:请检查 CS_CONSOLE_RT_TOKEN 或用户名密码;待同步的操作都保留着",
        "後台拒絕了憑證:請檢查 CS_CONSOLE_RT_TOKEN 或帳號密碼;待同步的操作都保留著",
        "The backend refused the credentials: check CS_CONSOLE_RT_TOKEN or user/password; every pending action is kept",
    ),
    "sync.attention": ("{n} 需处理", "{n} 需處理", "{n} need attention"),
    # queue
    "queue.title": (
        "队列 · {filter} · {first}-{last}/{total}",
        "佇列 · {filter} · {first}-{last}/{total}",
        "Queue · {filter} · {first}-{last} of {total}",
    ),
    "queue.empty": ("队列是空的", "佇列是空的", "The queue is empty"),
    "filter.all": ("全部", "全部", "all"),
    "filter.mine": ("我的", "我的", "mine"),
    "filter.unassigned": ("未分配", "未分配", "unassigned"),
    "filter.escalated": ("已升级", "已升級", "escalated"),
    "filter.overdue": ("已超时", "已逾時", "overdue"),
    "filter.waiting": ("等待中", "等待中", "waiting"),
    "col.id": ("#", "#", "#"),
    "col.sla": ("SLA", "SLA", "SLA"),
    "col.priority": ("P", "P", "P"),
    "col.channel": ("渠道", "渠道", "Channel"),
    "col.category": ("类别", "類別", "Category"),
    "col.customer": ("客户", "客戶", "Customer"),
    "col.tier": ("级", "級", "T"),
    "col.flags": ("标", "標", "!"),
    "flag.allergy": ("敏", "敏", "A"),
    "col.subject": ("主题", "主旨", "Subject"),
    "queue.search.placeholder": (
        "搜索队列:单号、姓名或主题,回车确认,Esc 取消",
        "搜尋佇列:單號、姓名或主旨,Enter 確認,Esc 取消",
        "Search the queue: number, name or subject; enter to apply, esc to clear",
    ),
    # ticket / conversation
    "ticket.none": (
        "按 n 接下一单,或在队列中选一单按回车",
        "按 n 接下一單,或在佇列中選一單按 Enter",
        "Press n to take the next ticket, or pick one in the queue and press enter",
    ),
    "ticket.header": ("#{id} {subject}", "#{id} {subject}", "#{id} {subject}"),
    "ticket.meta": (
        "{status} · P{priority} · {channel} · {category} · 负责人 {assignee}",
        "{status} · P{priority} · {channel} · {category} · 負責人 {assignee}",
        "{status} · P{priority} · {channel} · {category} · owner {assignee}",
    ),
    "status.open": ("处理中", "處理中", "open"),
    "status.pending": ("等客户", "等客戶", "waiting"),
    "status.resolved": ("已解决", "已解決", "resolved"),
    "status.closed": ("已关闭", "已關閉", "closed"),
    "msg.in": ("客户", "客戶", "customer"),
    "msg.out": ("客服", "客服", "agent"),
    "msg.note": ("内部备注", "內部備註", "internal note"),
    "msg.truncated": (
        "(消息过长,只显示前 {shown} 个字符,共 {total} 个)",
        "(訊息過長,只顯示前 {shown} 個字元,共 {total} 個)",
        "(message too long: first {shown} of {total} characters shown)",
    ),
    "sla.first_response": ("首响", "首響", "first reply"),
    "sla.resolution": ("解决", "解決", "resolve"),
    "sla.state.ok": ("正常", "正常", "ok"),
    "sla.state.at_risk": ("将超时", "將逾時", "at risk"),
    "sla.state.breached": ("已超时", "已逾時", "breached"),
    "sla.state.paused": ("暂停", "暫停", "paused"),
    "sla.state.stopped": ("已停止", "已停止", "stopped"),
    # composer
    "composer.reply": ("回复客户", "回覆客戶", "Reply to customer"),
    "composer.note": (
        "内部备注(客户看不到)",
        "內部備註(客戶看不到)",
        "Internal note (customer cannot see it)",
    ),
    "composer.hint": (
        "Ctrl+S 发送 · Ctrl+T 回复/备注 · F3 找话术",
        "Ctrl+S 傳送 · Ctrl+T 回覆/備註 · F3 找話術",
        "ctrl+s send · ctrl+t reply/note · f3 find a script",
    ),
    "composer.sent": (
        "已发送,等待同步(发件箱)",
        "已傳送,等待同步(寄件匣)",
        "Sent; waiting in the outbox to sync",
    ),
    "composer.noted": ("备注已保存,等待同步", "備註已儲存,等待同步", "Note saved; waiting to sync"),
    "composer.prompts_left": (
        "还有未填的占位符:{names}",
        "還有未填的佔位符:{names}",
        "Placeholders still to fill: {names}",
    ),
    # profile
    "profile.none": ("没有关联客户", "沒有關聯客戶", "No customer on this ticket"),
    "profile.tier": ("等级", "等級", "Tier"),
    "profile.points": ("积分", "積分", "Points"),
    "profile.skin": ("肤质", "膚質", "Skin"),
    "profile.allergies": ("过敏原", "過敏原", "ALLERGIES"),
    "profile.no_allergies": ("无已知过敏", "無已知過敏", "no known allergies"),
    "profile.birthday": ("生日", "生日", "Birthday"),
    "profile.first_purchase": ("首购", "首購", "First purchase"),
    "profile.phone": ("手机", "手機", "Phone"),
    "profile.orders": ("订单", "訂單", "Orders"),
    "profile.batch": ("批次", "批次", "batch"),
    "profile.tickets": ("历史工单", "歷史工單", "Past tickets"),
    "profile.city": ("城市", "城市", "City"),
    "tier.member": ("普通会员", "普通會員", "member"),
    "tier.silver": ("银卡", "銀卡", "silver"),
    "tier.gold": ("金卡", "金卡", "gold"),
    "tier.diamond": ("钻石卡", "鑽石卡", "diamond"),
    "tier.short.member": ("普", "普", "M"),
    "tier.short.silver": ("银", "銀", "S"),
    "tier.short.gold": ("金", "金", "G"),
    "tier.short.diamond": ("钻", "鑽", "D"),
    "cat.pre-sale": ("售前", "售前", "pre-sale"),
    "cat.after-sale": ("售后", "售後", "after"),
    "cat.systems": ("系统", "系統", "systems"),
    "cat.membership": ("会员", "會員", "member"),
    "cat.mall": ("商场", "商場", "mall"),
    "cat.complaint": ("投诉", "投訴", "complaint"),
    "chan.chat": ("在线", "線上", "chat"),
    "chan.wechat": ("微信", "微信", "wechat"),
    "chan.app": ("App", "App", "app"),
    "chan.email": ("邮件", "郵件", "email"),
    "chan.phone": ("电话", "電話", "phone"),
    "chan.desk": ("柜台", "櫃台", "desk"),
    "chan.social": ("社媒", "社群", "social"),
    # knowledge panel
    "kb.placeholder": (
        "搜知识库:两个字、拼音、首字母都行",
        "搜知識庫:兩個字、拼音、首字母都行",
        "Search knowledge: two characters, pinyin or initials",
    ),
    "kb.loading": ("正在加载知识库…", "正在載入知識庫…", "Loading the knowledge base…"),
    "kb.loaded": ("知识库 {n} 篇", "知識庫 {n} 篇", "{n} articles"),
    "kb.skipped": (
        "知识库 {n} 篇,跳过 {skipped} 个有问题的文件:{why}",
        "知識庫 {n} 篇,略過 {skipped} 個有問題的檔案:{why}",
        "{n} articles; {skipped} bad files skipped: {why}",
    ),
    "kb.no_results": (
        "没有找到,换个说法试试",
        "沒有找到,換個說法試試",
        "Nothing found; try other words",
    ),
    "kb.scripts": (
        "话术(按数字键插入)",
        "話術(按數字鍵插入)",
        "Scripts (press the number to insert)",
    ),
    "kb.inserted": ("已插入话术:{title}", "已插入話術:{title}", "Inserted script: {title}"),
    "kb.no_ticket": (
        "先打开一个工单再插入话术",
        "先開啟一個工單再插入話術",
        "Open a ticket before inserting a script",
    ),
    # actions and dialogs
    "action.took": ("已接单 #{id}", "已接單 #{id}", "Took ticket #{id}"),
    "action.queue_empty": ("没有未分配的工单", "沒有未分配的工單", "No unassigned tickets"),
    "action.status": (
        "工单 #{id} 已设为{status}",
        "工單 #{id} 已設為{status}",
        "Ticket #{id} is now {status}",
    ),
    "action.escalated": (
        "工单 #{id} 已升级给主管",
        "工單 #{id} 已升級給主管",
        "Ticket #{id} escalated to a supervisor",
    ),
    "action.need_ticket": ("先打开一个工单", "先開啟一個工單", "Open a ticket first"),
    "action.not_yet": (
        "{what}对话框还没上线,请先用命令行 cs-console {cmd}",
        "{what}對話框尚未上線,請先用命令列 cs-console {cmd}",
        "The {what} dialog is not available yet; use cs-console {cmd} for now",
    ),
    "action.phone": (
        "完整手机号:{phone}(已记入审计)",
        "完整手機號:{phone}(已記入稽核)",
        "Full phone: {phone} (audited)",
    ),
    "escalate.title": (
        "升级工单 #{id} 给主管",
        "升級工單 #{id} 給主管",
        "Escalate ticket #{id} to a supervisor",
    ),
    "escalate.reason": (
        "原因(必填),回车确认,Esc 取消",
        "原因(必填),Enter 確認,Esc 取消",
        "Reason (required); enter to confirm, esc to cancel",
    ),
    "help.title": ("帮助:当前可用的按键", "說明:目前可用的按鍵", "Help: keys you can use now"),
    "help.focused": ("当前窗格", "目前窗格", "Focused pane"),
    "help.screen": ("全局", "全域", "Everywhere"),
    "help.close": ("按 Esc 或 F1 关闭", "按 Esc 或 F1 關閉", "Press esc or f1 to close"),
    "palette.ticket": ("工单", "工單", "Ticket"),
    "palette.customer": ("客户", "客戶", "Customer"),
    "palette.article": ("文章", "文章", "Article"),
    "palette.action": ("操作", "操作", "Action"),
    "error": ("出错:{message}", "出錯:{message}", "Error: {message}"),
}


def set_language(lang: str) -> None:
    global _lang
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; choose from {', '.join(LANGS)}")
    _lang = lang


def language() -> str:
    return _lang


def t(key: str, **values: Any) -> str:
    """The text for ``key`` in the current language, with ``{name}`` fields filled."""
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    text = entry[LANGS.index(_lang)] or entry[0]
    return text.format(**values) if values else text
