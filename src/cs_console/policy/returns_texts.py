"""The Chinese sentences the return rules say (``policy.said.Said``), by key.

These are the texts stored with a request and sent to the backend; the i18n catalogue holds
each one as ``verdict.<key>`` in zh-Hans (this text), zh-Hant and en (``i18n/verdicts.py``).
"""

from __future__ import annotations

from typing import Any

#: product kind -> Chinese label (as the rules name them)
KINDS = {
    "cosmetic": "化妆品",
    "clothing": "服装",
    "shoes": "鞋履",
    "electronics": "电子产品",
    "other": "其他",
}


def zh_label(label: Any) -> str:
    """A Label in Chinese: a reason, resolution or product kind (the code when unknown)."""
    from cs_console.policy.returns import REASONS, RESOLUTIONS

    table = {"reason": REASONS, "resolution": RESOLUTIONS, "kind": KINDS}.get(label.kind, {})
    return table.get(label.code, label.code)


ZH: dict[str, str] = {
    "unknown_reason": "未知的原因代码 {reason}；可选：{choices}",
    "unknown_resolution": "未知的处理方式 {resolution}；可选：{choices}",
    "not_delivered": "订单尚未签收，不能退换；未发货或在途的订单请按「取消订单」或「配送延误」处理",
    "delivered_later": "签收时间晚于当前时间，请核对订单数据",
    "wrong_kind": "{reason}（{code}）不适用于{kind}类商品（{kind_code}）；{suggest}",
    "suggest.clothing": "服装鞋履请用 size（换尺码）",
    "suggest.shoes": "服装鞋履请用 size（换尺码）",
    "suggest.electronics": "电子产品请用 faulty（故障退换与保修）",
    "suggest.cosmetic": "化妆品请用 unopened / opened / quality / allergy / wrong_shade",
    "suggest.other": "请选择适用的原因",
    "not_returnable": "{product} 不支持无理由退货（商品设为不可退）",
    "pick_lines": "请选择要退换的订单行和数量",
    "no_line": "订单中没有第 {line} 行",
    "no_product": "商品目录中没有 {sku}",
    "qty_positive": "{sku} 的数量须大于 0（收到 {qty}）",
    "qty_over_bought": "{sku} 只购买了 {bought} 件，不能退换 {asked} 件",
    "qty_held": "{sku} 已有 {held} 件在退换中（{who}），只剩 {left} 件可申请",
    "unopened.check": "塑封、封口和瓶口内封完好，无使用痕迹，赠品一并寄回",
    "unopened.within": (
        "未拆封：签收后 {ret} 天内可无理由退货、{exch} 天内可换货，本单签收第 {days} 天 {rules}"
    ),
    "unopened.shipping": ("无理由退货的寄回运费由顾客承担，买了运费险的最高补贴 {yuan} 元 {rule}"),
    "unopened.exchange_only": (
        "未拆封：已过 {ret} 天无理由退货期（签收第 {days} 天），{exch} 天内仍可换货 {rules}"
    ),
    "unopened.late": (
        "未拆封：签收已 {days} 天，超过 {exch} 天退换期限 {rule}；商品有质量问题的请改用 quality"
    ),
    "opened": (
        "已拆封或用过的化妆品出于卫生安全不支持无理由退换；例外：质量问题签收后 {quality} 天内"
        " {quality_rule}（改用 quality）、过敏签收后 {allergy} 天内 {allergy_rule}（改用 allergy）、"
        "色号选错（wrong_shade）、到货破损 {damage} 小时内（damaged）"
    ),
    "quality.check": "请顾客拍下产品、问题部位和批号（变质、异味、分层、泵头失灵等）",
    "quality.within": (
        "质量问题：签收后 {limit} 天内即使已拆封也可退可换，运费由店铺承担；本单签收第 {days} 天"
        " {rule}"
    ),
    "quality.late": "质量问题：签收已 {days} 天，超过 {limit} 天 {rule}",
    "allergy.advice.stop": "请顾客立即停用该产品",
    "allergy.advice.rinse": "用清凉的清水轻轻冲洗接触部位，暂时不要叠加其他护肤品",
    "allergy.advice.doctor": "出现明显红肿、水疱、范围扩大或眼部、呼吸不适的，尽快就医并保留病历",
    "allergy.first": (
        "过敏反应：先请顾客立即停用、用清水冲洗，症状明显的尽快就医；本案例登记为过敏案例交质量团队"
    ),
    "allergy.batch_needed": (
        "过敏案例必须提供产品批号（瓶底、软管封尾或外盒喷码），没有批号无法提交"
    ),
    "allergy.batch_mismatch": (
        "提示：顾客提供的批号 {given} 与出库记录 {recorded}（{sku}）不一致，请核对"
    ),
    "allergy.check": "请顾客拍下患处、产品正面和批号特写；记录症状、部位和出现时间",
    "allergy.within": (
        "过敏：签收后 {limit} 天内反馈，即使已用过也可退款或换货；本单签收第 {days} 天 {rule}"
    ),
    "allergy.late": (
        "过敏：签收已 {days} 天，超过 {limit} 天反馈期 {rule}；照常登记过敏案例，"
        "退换需提交主管特别申请"
    ),
    "damaged.photos": "破损或漏液须有照片（外箱和面单、内部包装、破损商品和批号）",
    "damaged.within": (
        "到货破损或漏液：签收后 {limit} 小时内反馈并有照片，可补发或全额退款，运费由店铺承担，"
        "店铺向承运方索赔；本单签收 {hours} 小时 {rule}"
    ),
    "damaged.late": (
        "到货破损：签收已 {hours} 小时，超过 {limit} 小时 {rule}；产品本身密封不严导致漏液的按"
        "质量问题在 {quality} 天内处理（改用 quality） {quality_rule}，其他情况提交主管审批"
    ),
    "shade.within": (
        "色号选错：签收后 {limit} 天内每个订单行可免费换色 {free} 次，试过色也可以，寄回运费由"
        "店铺承担；本单签收第 {days} 天 {rules}"
    ),
    "shade.late": (
        "色号选错：签收已 {days} 天，超过 {limit} 天免费换色期限 {rule}；未拆封的可在 {exch} 天内"
        "按普通换货（unopened）办理 {exch_rule}"
    ),
    "shade.used": "色号选错：{sku} 已用过 {used} 次免费换色（{ids}），每行 {free} 次 {rule}",
    "shade.none": "{sku} 没有色号，不适用色号换货",
    "wrong.check": "请顾客拍外箱和面单、收到的全部商品；先查是否分包裹发出，核对出库记录",
    "wrong.late": "发错或漏发：签收已 {days} 天，超过 {limit} 天 {rule}；核实出库记录后提交主管审批",
    "wrong.within": (
        "发错或漏发：签收后 {limit} 天内反馈，{what}，来回运费由店铺承担；本单签收第 {days} 天"
        " {rule}"
    ),
    "wrong.what.exchange": "发错的换成正确商品",
    "wrong.what.reissue": "漏发的补发",
    "wrong.short": "正确商品 {skus} 库存不足，无法{remedy}，可改为退款",
    "size.check": "未穿着、未洗涤、吊牌完好，凭小票；鞋底无磨损、鞋盒齐全；改过的和贴身衣物不换",
    "size.within": (
        "服装鞋履换尺码：购买后 {limit} 天内、未穿着且吊牌完好的可在原门店换尺码；本单第 {days} 天"
        " {rule}"
    ),
    "size.late": "服装鞋履换尺码：购买已 {days} 天，超过 {limit} 天 {rule}",
    "faulty.check": "经门店或品牌授权服务点检测确属性能故障；进水、摔裂、私拆等人为损坏不在范围内",
    "faulty.return": (
        "电子产品故障：购买（签收）后 {ret} 天内可退货、{exch} 天内可换货、{months} 个月内免费保修；"
        "本单第 {days} 天 {rules}"
    ),
    "faulty.exchange": (
        "电子产品故障：已过 {ret} 天退货期（第 {days} 天），{exch} 天内可换货，{months} 个月内"
        "免费保修 {rules}"
    ),
    "faulty.repair": (
        "电子产品故障：已过 {exch} 天换货期（第 {days} 天），仍在 {months} 个月保修期内，可免费维修"
        " {rules}"
    ),
    "faulty.late": "电子产品故障：已超过 {months} 个月保修期 {rule}，可介绍付费维修",
    "resolution.not_for_reason": "{reason}（{code}）不能用{wanted}（{wanted_code}）处理；可选：{choices}",
    "resolution.outside": "政策内可选的处理方式是 {offered}，{wanted}（{wanted_code}）属于政策外",
    "label_code": "{label}（{code}）",
    "none": "无",
    "refund.capped": "退款以实付为限：本单实付 {paid} 元，已退 {refunded} 元，本次最多 {room} 元",
    "refund.amount": "退款金额 {total} 元（单价 x 数量{note}，原路退回）",
    "refund.discount_note": "，已扣除订单优惠 {discount} 元按金额分摊的部分",
    "empty": "",
    "reissue.stock": "补发需要 {sku} 库存 {qty} 件，现有 {stock} 件；可改为退款",
    "target.needed": "换货请选择 {sku} 要换成的{what}（目标 SKU）",
    "target.what.shade": "色号",
    "target.what.size": "尺码",
    "target.what.item": "商品",
    "target.unknown": "商品目录中没有换货目标 {sku}",
    "target.stock": "换货目标 {sku} 库存不足：需要 {qty} 件，现有 {stock} 件",
    "target.same": "换货目标与原商品相同（{sku}），请选择另一个{what}",
    "target.other_line": "{what}只能换同一款产品：{target} 与 {sku} 不是同一产品线",
    "target.swap.shade": "换色",
    "target.swap.size": "换尺码",
    "target.value_swap": "换货需等值：{target} 价格 {price} 元，原商品 {original} 元",
    "target.value": (
        "换货需等值：{target} 价格 {price} 元，原商品 {sku} {original} 元；不等价的请退货后另购"
    ),
    "comp.kind": "补偿只能是积分（points）或优惠券（coupon），不能是 {wanted}",
    "comp.no_lines": "补偿按订单发放，不涉及订单行",
    "comp.goodwill": "政策外补偿（goodwill）：没有对应的补偿规则，须主管审批",
    "comp.delay_already": "本订单已发放过延误补偿（{id}），积分和优惠券不叠加",
    "comp.outside_kind": "本单政策内的补偿是{offered}，{chosen}属于政策外",
    "comp.positive": "补偿数额须大于 0（收到 {amount}）",
    "comp.points_whole": "积分须为整数",
    "comp.over": "补偿 {amount} {unit} 超过政策的 {policy} {unit}",
    "comp.amount": "补偿：{amount} {unit}",
    "unit.points": "积分",
    "unit.yuan": "元",
    "unit.coupon_yuan": "元优惠券",
    "delay.no_promise": "订单没有承诺送达日期，无法按延误补偿",
    "delay.coupon": (
        "配送延误：比承诺送达日期晚 {late} 天（{state}），超过 {after} 天送 {yuan} 元优惠券"
        "（代替积分，不叠加） {rules}"
    ),
    "delay.points": (
        "配送延误：比承诺送达日期晚 {late} 天（{state}），超过 {after} 天送 {points} 积分 {rules}"
    ),
    "delay.state.arrived": "送达",
    "delay.state.not_arrived": "至今未送达",
    "delay.not_late": "配送延误：{when}，不属于延误，不补偿 {rules}",
    "delay.when.arrived_early": "在承诺送达日期前已送达",
    "delay.when.not_due": "还没到承诺送达日期",
    "delay.too_little": "配送延误：晚 {late} 天，未超过 {after} 天，不补偿 {rules}",
    "no_resolution": "没有可用的处理方式",
    "outside_needs_goodwill": "不符合政策：如需特殊处理，请以政策外申请（goodwill）提交主管审批",
    "goodwill_allowed": "政策外申请（goodwill）：可以提交，须主管审批后执行",
    "within": "符合政策",
    "over_limit": "金额 {amount} 元超过{who}审批权限 {limit} 元 {rule}，须主管审批",
    "who.trainee": "实习客服",
    "who.agent": "正式客服",
}
