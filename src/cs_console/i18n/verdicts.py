"""The return rules' sentences (``policy.returns_texts``) as the agent reads them:
``verdict.<key>`` in zh-Hans (the rule's own text), zh-Hant and en (see ``cs_console.i18n``).

zh-Hant was converted with OpenCC (s2twp) and reviewed; a new rule sentence needs all three.
"""

from __future__ import annotations

from cs_console.policy.returns_texts import ZH

# key: (zh-Hant, en); zh-Hans is the policy's text
_HANT_EN: dict[str, tuple[str, str]] = {
    "unknown_reason": (
        "未知的原因代碼 {reason}；可選：{choices}",
        "unknown reason code {reason}; choose from {choices}",
    ),
    "unknown_resolution": (
        "未知的處理方式 {resolution}；可選：{choices}",
        "unknown resolution {resolution}; choose from {choices}",
    ),
    "not_delivered": (
        "訂單尚未簽收，不能退換；未發貨或在途的訂單請按「取消訂單」或「配送延誤」處理",
        "The order has not been delivered, so it cannot be returned; for an order not shipped or in transit use order cancellation or late delivery",
    ),
    "delivered_later": (
        "簽收時間晚於當前時間，請核對訂單資料",
        "The delivery time is later than now; check the order data",
    ),
    "wrong_kind": (
        "{reason}（{code}）不適用於{kind}類商品（{kind_code}）；{suggest}",
        "{reason} ({code}) does not apply to {kind} products ({kind_code}); {suggest}",
    ),
    "suggest.clothing": (
        "服裝鞋履請用 size（換尺碼）",
        "for clothing and shoes use size (size exchange)",
    ),
    "suggest.shoes": (
        "服裝鞋履請用 size（換尺碼）",
        "for clothing and shoes use size (size exchange)",
    ),
    "suggest.electronics": (
        "電子產品請用 faulty（故障退換與保修）",
        "for electronics use faulty (fault returns and warranty)",
    ),
    "suggest.cosmetic": (
        "化妝品請用 unopened / opened / quality / allergy / wrong_shade",
        "for cosmetics use unopened / opened / quality / allergy / wrong_shade",
    ),
    "suggest.other": ("請選擇適用的原因", "choose a reason that applies"),
    "not_returnable": (
        "{product} 不支援無理由退貨（商品設為不可退）",
        "{product} cannot be returned without a reason (the product is set as non-returnable)",
    ),
    "pick_lines": (
        "請選擇要退換的訂單行和數量",
        "Pick the order lines and quantities to return or exchange",
    ),
    "no_line": ("訂單中沒有第 {line} 行", "The order has no line {line}"),
    "no_product": ("商品目錄中沒有 {sku}", "{sku} is not in the product catalogue"),
    "qty_positive": (
        "{sku} 的數量須大於 0（收到 {qty}）",
        "The quantity of {sku} must be more than 0 (got {qty})",
    ),
    "qty_over_bought": (
        "{sku} 只購買了 {bought} 件，不能退換 {asked} 件",
        "Only {bought} of {sku} were bought; {asked} cannot be returned",
    ),
    "qty_held": (
        "{sku} 已有 {held} 件在退換中（{who}），只剩 {left} 件可申請",
        "{held} of {sku} are already in a request ({who}); only {left} can still be requested",
    ),
    "unopened.check": (
        "塑封、封口和瓶口內封完好，無使用痕跡，贈品一併寄回",
        "Film, seal and inner cap intact, no sign of use, free gifts sent back too",
    ),
    "unopened.within": (
        "未拆封：簽收後 {ret} 天內可無理由退貨、{exch} 天內可換貨，本單簽收第 {days} 天 {rules}",
        "Unopened: a no-reason return within {ret} days of delivery and an exchange within {exch} days; this order is on day {days} {rules}",
    ),
    "unopened.shipping": (
        "無理由退貨的寄回運費由顧客承擔，買了運費險的最高補貼 {yuan} 元 {rule}",
        "The customer pays the return shipping of a no-reason return; with shipping insurance up to {yuan} yuan is refunded {rule}",
    ),
    "unopened.exchange_only": (
        "未拆封：已過 {ret} 天無理由退貨期（簽收第 {days} 天），{exch} 天內仍可換貨 {rules}",
        "Unopened: past the {ret}-day no-reason return window (day {days} since delivery); an exchange is still possible within {exch} days {rules}",
    ),
    "unopened.late": (
        "未拆封：簽收已 {days} 天，超過 {exch} 天退換期限 {rule}；商品有質量問題的請改用 quality",
        "Unopened: delivered {days} days ago, past the {exch}-day return and exchange window {rule}; for a quality fault use quality",
    ),
    "opened": (
        "已拆封或用過的化妝品出於衛生安全不支援無理由退換；例外：質量問題簽收後 {quality} 天內 {quality_rule}（改用 quality）、過敏簽收後 {allergy} 天內 {allergy_rule}（改用 allergy）、色號選錯（wrong_shade）、到貨破損 {damage} 小時內（damaged）",
        "Opened or used cosmetics cannot be returned without a reason, for hygiene and safety; exceptions: a quality fault within {quality} days of delivery {quality_rule} (use quality), an allergy within {allergy} days {allergy_rule} (use allergy), a wrong shade (wrong_shade), damage on arrival within {damage} hours (damaged)",
    ),
    "quality.check": (
        "請顧客拍下產品、問題部位和批號（變質、異味、分層、泵頭失靈等）",
        "Ask the customer for photos of the product, the fault and the batch number (spoiled, odd smell, separated, pump broken...)",
    ),
    "quality.within": (
        "質量問題：簽收後 {limit} 天內即使已拆封也可退可換，運費由店鋪承擔；本單簽收第 {days} 天 {rule}",
        "Quality fault: within {limit} days of delivery it can be returned or exchanged even when opened, the shop pays shipping; this order is on day {days} {rule}",
    ),
    "quality.late": (
        "質量問題：簽收已 {days} 天，超過 {limit} 天 {rule}",
        "Quality fault: delivered {days} days ago, past {limit} days {rule}",
    ),
    "allergy.advice.stop": (
        "請顧客立即停用該產品",
        "Ask the customer to stop using the product at once",
    ),
    "allergy.advice.rinse": (
        "用清涼的清水輕輕沖洗接觸部位，暫時不要疊加其他護膚品",
        "Rinse the area gently with cool clean water, and add no other skincare for now",
    ),
    "allergy.advice.doctor": (
        "出現明顯紅腫、水皰、範圍擴大或眼部、呼吸不適的，儘快就醫並保留病歷",
        "With clear swelling, blisters, a spreading rash, or eye or breathing trouble, see a doctor soon and keep the records",
    ),
    "allergy.first": (
        "過敏反應：先請顧客立即停用、用清水沖洗，症狀明顯的儘快就醫；本案例登記為過敏案例交質量團隊",
        "Allergic reaction: first ask the customer to stop using it and rinse with water, and to see a doctor if symptoms are clear; this is recorded as an allergy case for the quality team",
    ),
    "allergy.batch_needed": (
        "過敏案例必須提供產品批號（瓶底、軟管封尾或外盒噴碼），沒有批號無法提交",
        "An allergy case needs the product's batch number (bottle base, tube crimp or box print); it cannot be filed without it",
    ),
    "allergy.batch_mismatch": (
        "提示：顧客提供的批號 {given} 與出庫記錄 {recorded}（{sku}）不一致，請核對",
        "Note: the batch number the customer gave, {given}, differs from the shipping record {recorded} ({sku}); check it",
    ),
    "allergy.check": (
        "請顧客拍下患處、產品正面和批號特寫；記錄症狀、部位和出現時間",
        "Ask for photos of the affected skin, the product front and the batch number; note the symptoms, where and when they started",
    ),
    "allergy.within": (
        "過敏：簽收後 {limit} 天內反饋，即使已用過也可退款或換貨；本單簽收第 {days} 天 {rule}",
        "Allergy: reported within {limit} days of delivery, it can be refunded or exchanged even when used; this order is on day {days} {rule}",
    ),
    "allergy.late": (
        "過敏：簽收已 {days} 天，超過 {limit} 天反饋期 {rule}；照常登記過敏案例，退換需提交主管特別申請",
        "Allergy: delivered {days} days ago, past the {limit}-day reporting window {rule}; record the allergy case as usual, a return needs a supervisor's special request",
    ),
    "damaged.photos": (
        "破損或漏液須有照片（外箱和麵單、內部包裝、破損商品和批號）",
        "Damage or leaks need photos (outer box and label, inner packing, the damaged item and its batch number)",
    ),
    "damaged.within": (
        "到貨破損或漏液：簽收後 {limit} 小時內反饋並有照片，可補發或全額退款，運費由店鋪承擔，店鋪向承運方索賠；本單簽收 {hours} 小時 {rule}",
        "Damaged or leaking on arrival: reported within {limit} hours of delivery with photos, it can be reissued or fully refunded, the shop pays shipping and claims from the carrier; delivered {hours} hours ago {rule}",
    ),
    "damaged.late": (
        "到貨破損：簽收已 {hours} 小時，超過 {limit} 小時 {rule}；產品本身密封不嚴導致漏液的按質量問題在 {quality} 天內處理（改用 quality） {quality_rule}，其他情況提交主管審批",
        "Damaged on arrival: delivered {hours} hours ago, past {limit} hours {rule}; a leak from a badly sealed product is a quality fault within {quality} days (use quality) {quality_rule}, anything else goes to a supervisor",
    ),
    "shade.within": (
        "色號選錯：簽收後 {limit} 天內每個訂單行可免費換色 {free} 次，試過色也可以，寄回運費由店鋪承擔；本單簽收第 {days} 天 {rules}",
        "Wrong shade: within {limit} days of delivery each order line can be exchanged for another shade {free} time(s) free, even after trying it, the shop pays the return shipping; this order is on day {days} {rules}",
    ),
    "shade.late": (
        "色號選錯：簽收已 {days} 天，超過 {limit} 天免費換色期限 {rule}；未拆封的可在 {exch} 天內按普通換貨（unopened）辦理 {exch_rule}",
        "Wrong shade: delivered {days} days ago, past the {limit}-day free shade exchange {rule}; if unopened it can be a normal exchange (unopened) within {exch} days {exch_rule}",
    ),
    "shade.used": (
        "色號選錯：{sku} 已用過 {used} 次免費換色（{ids}），每行 {free} 次 {rule}",
        "Wrong shade: {sku} has already had {used} free shade exchange(s) ({ids}), {free} per line {rule}",
    ),
    "shade.none": (
        "{sku} 沒有色號，不適用色號換貨",
        "{sku} has no shade, so a shade exchange does not apply",
    ),
    "wrong.check": (
        "請顧客拍外箱和麵單、收到的全部商品；先查是否分包裹發出，核對出庫記錄",
        "Ask for photos of the box, the label and everything received; first check whether it shipped in several parcels, and the dispatch record",
    ),
    "wrong.late": (
        "發錯或漏發：簽收已 {days} 天，超過 {limit} 天 {rule}；核實出庫記錄後提交主管審批",
        "Wrong or missing item: delivered {days} days ago, past {limit} days {rule}; check the dispatch record, then ask a supervisor",
    ),
    "wrong.within": (
        "發錯或漏發：簽收後 {limit} 天內反饋，{what}，來回運費由店鋪承擔；本單簽收第 {days} 天 {rule}",
        "Wrong or missing item: reported within {limit} days of delivery, {what}, the shop pays shipping both ways; this order is on day {days} {rule}",
    ),
    "wrong.what.exchange": ("發錯的換成正確商品", "the wrong item is exchanged for the right one"),
    "wrong.what.reissue": ("漏發的補發", "the missing item is sent"),
    "wrong.short": (
        "正確商品 {skus} 庫存不足，無法{remedy}，可改為退款",
        "The right item {skus} is short of stock, so {remedy} is not possible; a refund is",
    ),
    "size.check": (
        "未穿著、未洗滌、吊牌完好，憑小票；鞋底無磨損、鞋盒齊全；改過的和貼身衣物不換",
        "Not worn, not washed, tags on, with the receipt; soles unworn, shoe box complete; altered items and underwear are not exchanged",
    ),
    "size.within": (
        "服裝鞋履換尺碼：購買後 {limit} 天內、未穿著且吊牌完好的可在原門店換尺碼；本單第 {days} 天 {rule}",
        "Clothing and shoes size exchange: within {limit} days of purchase, unworn with tags on, at the store where bought; this order is on day {days} {rule}",
    ),
    "size.late": (
        "服裝鞋履換尺碼：購買已 {days} 天，超過 {limit} 天 {rule}",
        "Clothing and shoes size exchange: bought {days} days ago, past {limit} days {rule}",
    ),
    "faulty.check": (
        "經門店或品牌授權服務點檢測確屬效能故障；進水、摔裂、私拆等人為損壞不在範圍內",
        "The store or an authorised service point confirms a performance fault; water, drops and opening it yourself are not covered",
    ),
    "faulty.return": (
        "電子產品故障：購買（簽收）後 {ret} 天內可退貨、{exch} 天內可換貨、{months} 個月內免費保修；本單第 {days} 天 {rules}",
        "Electronics fault: a return within {ret} days of purchase (delivery), an exchange within {exch} days, free repair within {months} months; this order is on day {days} {rules}",
    ),
    "faulty.exchange": (
        "電子產品故障：已過 {ret} 天退貨期（第 {days} 天），{exch} 天內可換貨，{months} 個月內免費保修 {rules}",
        "Electronics fault: past the {ret}-day return window (day {days}); an exchange within {exch} days, free repair within {months} months {rules}",
    ),
    "faulty.repair": (
        "電子產品故障：已過 {exch} 天換貨期（第 {days} 天），仍在 {months} 個月保修期內，可免費維修 {rules}",
        "Electronics fault: past the {exch}-day exchange window (day {days}), still within the {months}-month warranty: free repair {rules}",
    ),
    "faulty.late": (
        "電子產品故障：已超過 {months} 個月保修期 {rule}，可介紹付費維修",
        "Electronics fault: past the {months}-month warranty {rule}; a paid repair can be offered",
    ),
    "resolution.not_for_reason": (
        "{reason}（{code}）不能用{wanted}（{wanted_code}）處理；可選：{choices}",
        "{reason} ({code}) cannot be handled by {wanted} ({wanted_code}); choose from {choices}",
    ),
    "resolution.outside": (
        "政策內可選的處理方式是 {offered}，{wanted}（{wanted_code}）屬於政策外",
        "Within policy the resolutions are {offered}; {wanted} ({wanted_code}) is outside policy",
    ),
    "label_code": ("{label}（{code}）", "{label} ({code})"),
    "none": ("無", "none"),
    "refund.capped": (
        "退款以實付為限：本單實付 {paid} 元，已退 {refunded} 元，本次最多 {room} 元",
        "A refund is at most what was paid: this order paid {paid} yuan, {refunded} yuan refunded already, at most {room} yuan now",
    ),
    "refund.amount": (
        "退款金額 {total} 元（單價 x 數量{note}，原路退回）",
        "Refund {total} yuan (unit price x quantity{note}, to the original payment)",
    ),
    "refund.discount_note": (
        "，已扣除訂單優惠 {discount} 元按金額分攤的部分",
        ", less the share of the order discount of {discount} yuan by amount",
    ),
    "empty": ("", ""),
    "reissue.stock": (
        "補發需要 {sku} 庫存 {qty} 件，現有 {stock} 件；可改為退款",
        "A reissue needs {qty} of {sku} in stock, there are {stock}; a refund is possible",
    ),
    "target.needed": (
        "換貨請選擇 {sku} 要換成的{what}（目標 SKU）",
        "Choose the {what} to exchange {sku} for (target SKU)",
    ),
    "target.what.shade": ("色號", "shade"),
    "target.what.size": ("尺碼", "size"),
    "target.what.item": ("商品", "item"),
    "target.unknown": (
        "商品目錄中沒有換貨目標 {sku}",
        "The exchange target {sku} is not in the product catalogue",
    ),
    "target.stock": (
        "換貨目標 {sku} 庫存不足：需要 {qty} 件，現有 {stock} 件",
        "The exchange target {sku} is short of stock: {qty} needed, {stock} in stock",
    ),
    "target.same": (
        "換貨目標與原商品相同（{sku}），請選擇另一個{what}",
        "The exchange target is the item itself ({sku}); choose another {what}",
    ),
    "target.other_line": (
        "{what}只能換同一款產品：{target} 與 {sku} 不是同一產品線",
        "A {what} is for the same product only: {target} and {sku} are different product lines",
    ),
    "target.swap.shade": ("換色", "shade exchange"),
    "target.swap.size": ("換尺碼", "size exchange"),
    "target.value_swap": (
        "換貨需等值：{target} 價格 {price} 元，原商品 {original} 元",
        "An exchange must be of equal value: {target} costs {price} yuan, the item {original} yuan",
    ),
    "target.value": (
        "換貨需等值：{target} 價格 {price} 元，原商品 {sku} {original} 元；不等價的請退貨後另購",
        "An exchange must be of equal value: {target} costs {price} yuan, the item {sku} {original} yuan; for a different value, return it and buy the other",
    ),
    "comp.kind": (
        "補償只能是積分（points）或優惠券（coupon），不能是 {wanted}",
        "Compensation is points or a coupon, not {wanted}",
    ),
    "comp.no_lines": (
        "補償按訂單發放，不涉及訂單行",
        "Compensation is given per order, not per order line",
    ),
    "comp.goodwill": (
        "政策外補償（goodwill）：沒有對應的補償規則，須主管審批",
        "Goodwill compensation (goodwill): no compensation rule applies, a supervisor must approve",
    ),
    "comp.delay_already": (
        "本訂單已發放過延誤補償（{id}），積分和優惠券不疊加",
        "This order already had a late-delivery compensation ({id}); points and coupons do not add up",
    ),
    "comp.outside_kind": (
        "本單政策內的補償是{offered}，{chosen}屬於政策外",
        "Within policy this order gets {offered}; {chosen} is outside policy",
    ),
    "comp.positive": (
        "補償數額須大於 0（收到 {amount}）",
        "The compensation must be more than 0 (got {amount})",
    ),
    "comp.points_whole": ("積分須為整數", "Points must be a whole number"),
    "comp.over": (
        "補償 {amount} {unit} 超過政策的 {policy} {unit}",
        "Compensation of {amount} {unit} is more than the policy's {policy} {unit}",
    ),
    "comp.amount": ("補償：{amount} {unit}", "Compensation: {amount} {unit}"),
    "unit.points": ("積分", "points"),
    "unit.yuan": ("元", "yuan"),
    "unit.coupon_yuan": ("元優惠券", "yuan coupon"),
    "delay.no_promise": (
        "訂單沒有承諾送達日期，無法按延誤補償",
        "The order has no promised delivery date, so no late-delivery compensation applies",
    ),
    "delay.coupon": (
        "配送延誤：比承諾送達日期晚 {late} 天（{state}），超過 {after} 天送 {yuan} 元優惠券（代替積分，不疊加） {rules}",
        "Late delivery: {late} days after the promised date ({state}), more than {after} days: a {yuan} yuan coupon (instead of points, not both) {rules}",
    ),
    "delay.points": (
        "配送延誤：比承諾送達日期晚 {late} 天（{state}），超過 {after} 天送 {points} 積分 {rules}",
        "Late delivery: {late} days after the promised date ({state}), more than {after} days: {points} points {rules}",
    ),
    "delay.state.arrived": ("送達", "delivered"),
    "delay.state.not_arrived": ("至今未送達", "not delivered yet"),
    "delay.not_late": (
        "配送延誤：{when}，不屬於延誤，不補償 {rules}",
        "Late delivery: {when}, so it is not late and nothing is due {rules}",
    ),
    "delay.when.arrived_early": ("在承諾送達日期前已送達", "delivered before the promised date"),
    "delay.when.not_due": ("還沒到承諾送達日期", "the promised date has not come yet"),
    "delay.too_little": (
        "配送延誤：晚 {late} 天，未超過 {after} 天，不補償 {rules}",
        "Late delivery: {late} days late, not more than {after} days, so nothing is due {rules}",
    ),
    "no_resolution": ("沒有可用的處理方式", "No resolution is available"),
    "outside_needs_goodwill": (
        "不符合政策：如需特殊處理，請以政策外申請（goodwill）提交主管審批",
        "Outside policy: for special handling, file it as a goodwill exception (goodwill) for a supervisor to approve",
    ),
    "goodwill_allowed": (
        "政策外申請（goodwill）：可以提交，須主管審批後執行",
        "Goodwill exception (goodwill): it can be filed, and a supervisor approves it before it is done",
    ),
    "within": ("符合政策", "Within policy"),
    "over_limit": (
        "金額 {amount} 元超過{who}審批許可權 {limit} 元 {rule}，須主管審批",
        "The amount of {amount} yuan is over the {who} approval limit of {limit} yuan {rule}; a supervisor must approve",
    ),
    "who.trainee": ("實習客服", "trainee's"),
    "who.agent": ("正式客服", "agent's"),
}

TEXTS: dict[str, tuple[str, str, str]] = {f"verdict.{key}": (ZH[key], *_HANT_EN[key]) for key in ZH}
