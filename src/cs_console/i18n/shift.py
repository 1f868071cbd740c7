"""Texts for the shift part of the console (see ``cs_console.i18n``)."""

from __future__ import annotations

# key: (zh-Hans, zh-Hant, en)
TEXTS: dict[str, tuple[str, str, str]] = {
    "key.confirm_yes": ("是", "是", "Yes"),
    "key.confirm_yes.tip": ("确认", "確認", "Confirm"),
    "key.confirm_no": ("否", "否", "No"),
    "key.confirm_no.tip": ("取消，什么都不改", "取消，什麼都不改", "Cancel: nothing changes"),
    "confirm.keys": ("y 确认 · n 或 Esc 取消", "y 確認 · n 或 Esc 取消", "y yes · n or esc no"),
    "key.request_quit": ("退出", "退出", "Quit"),
    "key.request_quit.tip": (
        "退出控制台（有未发送的草稿时先询问）",
        "退出控制台（有未送出的草稿時先詢問）",
        "Leave the console (asks first when drafts are unsent)",
    ),
    "quit.title": ("还有未发送的草稿", "還有未送出的草稿", "Unsent drafts"),
    # no space between a number and the Chinese that follows: Rich wraps at spaces, and a long
    # run of Chinese after one moved to the next line, leaving "1" alone on the first
    "quit.question": (
        "{count}张工单有未发送的回复草稿（{tickets}）。草稿会保留，下次打开工单时还在。现在退出吗？",
        "{count}張工單有未送出的回覆草稿（{tickets}）。草稿會保留，下次開啟工單時還在。現在退出嗎？",
        "{count} ticket(s) have unsent drafts ({tickets}). They are kept and will be there when "
        "you open the ticket again. Quit now?",
    ),
    "resolve.title": ("还没有回复顾客", "還沒有回覆顧客", "No reply sent yet"),
    "resolve.question": (
        "工单#{id}的顾客最后一条消息还没有回复。不回复就标记为已解决吗？",
        "工單#{id}的顧客最後一則訊息還沒有回覆。不回覆就標記為已解決嗎？",
        "The customer's last message on ticket #{id} has no reply. Resolve it without replying?",
    ),
    "key.next_prompt": ("下一个待填", "下一個待填", "Next blank"),
    "key.next_prompt.tip": (
        "选中下一个【占位符】，没有时离开回复框",
        "選取下一個【佔位符】，沒有時離開回覆框",
        "Select the next 【placeholder】；leave the reply box when none is left",
    ),
    "help.screen_here": ("本屏幕", "本畫面", "On this screen"),
    "help.edits_here": ("在这里编辑文字", "在這裡編輯文字", "Edits the text here"),
    "help.letters_outside": (
        "先离开输入框，单字母按键才生效",
        "先離開輸入框，單字母按鍵才生效",
        "Leave the text box first; single-letter keys work outside it",
    ),
    "key.next_pane": ("下一窗格", "下一窗格", "Next pane"),
    "key.next_pane.tip": (
        "移到下一个窗格（小终端上把它显示出来）",
        "移到下一個窗格（小終端機上把它顯示出來）",
        "Move to the next pane (on a small terminal it comes into view)",
    ),
    "escalate.reason_needed": (
        "请写下升级原因（主管会看到），再按 Enter;Esc 取消。",
        "請寫下升級原因（主管會看到），再按 Enter;Esc 取消。",
        "Write why it needs a supervisor (they will read it), then enter; esc cancels.",
    ),
    "tag.allergy": ("过敏", "過敏", "allergy"),
    "tag.angry": ("情绪激动", "情緒激動", "upset"),
    "tag.threat": ("投诉威胁", "投訴威脅", "threat"),
    "palette.placeholder": (
        "工单号、客户名、手机尾号、文章或操作…",
        "工單號、客戶名、手機尾號、文章或操作…",
        "Ticket number, customer, phone tail, article or action…",
    ),
    "composer.draft": ("草稿", "草稿", "draft"),
    "composer.draft_restored": ("已恢复草稿", "已恢復草稿", "Draft restored"),
    "shift.welcome": (
        "欢迎使用 cs-console。这台机器上还没有缓存（{path}）。\n\n"
        "两种开始方式：\n"
        "  cs-console demo               用内置演示数据打开控制台（不连后端）\n"
        "  cs-console rt bootstrap ...   配置 Request Tracker，再 cs-console sync 拉取工单\n\n"
        "加 --lang en 或 --lang zh-Hant 切换界面语言；cs-console --help 列出全部命令。",
        "歡迎使用 cs-console。這台機器上還沒有快取（{path}）。\n\n"
        "兩種開始方式：\n"
        "  cs-console demo               用內建示範資料開啟控制台（不連後端）\n"
        "  cs-console rt bootstrap ...   設定 Request Tracker，再 cs-console sync 拉取工單\n\n"
        "加 --lang en 或 --lang zh-Hans 切換介面語言；cs-console --help 列出全部指令。",
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
    "rx.order": ("选择订单", "選擇訂單", "Order"),
    "rx.pick_order": (
        "这张工单还没有关联订单：先在上方选择顾客的订单",
        "這張工單還沒有關聯訂單：先在上方選擇顧客的訂單",
        "This ticket has no order yet: pick one of the customer's orders above",
    ),
    "rx.pick_reason": ("请选择原因", "請選擇原因", "Choose a reason"),
    "rx.title_order": ("订单", "訂單", "order"),  # the dialog's title: 退货 · 工单 #1 · 订单 SO…
    # an escalation's note starts with the machine mark "[escalated]" (RT reads it): shown as
    "msg.escalated": ("〔已升级〕", "〔已升級〕", "[escalated]"),
    # where an order was placed (orders.channel), as the profile lists the customer's orders
    "ochan.tmall": ("天猫", "天貓", "Tmall"),
    "ochan.jd": ("京东", "京東", "JD"),
    "ochan.official": ("官网", "官網", "our site"),
    "ochan.wechat-mini": ("微信小程序", "微信小程式", "WeChat mini-program"),
    "ochan.store-counter": ("专柜", "專櫃", "store counter"),
    "ochan.mall-desk": ("商场服务台", "商場服務台", "mall desk"),
    "ochan.import": ("导入", "匯入", "imported"),
}
