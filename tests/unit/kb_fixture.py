"""A small knowledge base written into a temporary folder, for the kb and search tests."""

from __future__ import annotations

from pathlib import Path

ENTRIES: dict[str, tuple[str, str]] = {
    "return-unopened": (
        "articles",
        """+++
slug = "return-unopened"
title = "Returning unopened products"
title_zh = "未拆封商品退货"
category = "after-sale"
question = "没拆封的东西可以退吗？"
aliases = ["没拆封能退吗", "未拆封退货", "退貨", "return unopened"]
tags = ["退货", "售后"]
+++

签收后 {{policy.return_unopened_days}} 天内、包装未拆封的商品可以无理由退货。

## 话术 · 同意退货
{{customer_name}}您好，您的订单{{order_no}}中的{{product}}签收未满{{policy.return_unopened_days}}天且未拆封，可以退货。{{cursor}}
""",
    ),
    "return-opened": (
        "articles",
        """+++
slug = "return-opened"
title = "Opened or used products: returns and exceptions"
title_zh = "已拆封商品退货"
category = "after-sale"
question = "用过了还能退吗？"
aliases = ["用过能退吗", "已拆封退货", "开封了还能退吗", "opened return"]
tags = ["退货", "售后"]
+++

已拆封或使用过的商品，有质量问题的 {{policy.quality_issue_days}} 天内可以退换。

## 话术 · 质量问题
{{customer_name}}您好，已拆封的商品如有质量问题，可以在{{policy.quality_issue_days}}天内为您办理。{{cursor}}
""",
    ),
    "allergy-reaction-handling": (
        "articles",
        """+++
slug = "allergy-reaction-handling"
title = "Handling an allergic reaction after use"
title_zh = "使用后过敏反应的处理"
category = "after-sale"
question = "用了精华脸上又红又痒怎么办？"
aliases = ["用了过敏", "脸又红又痒", "過敏", "allergic reaction"]
tags = ["过敏", "售后"]
+++

请顾客立即停用，用清水洗净；出现红肿、刺痛持续不退请就医。

## 话术 · 先停用
{{customer_name}}您好，请先停止使用{{product}}，用清水洗净。{{cursor}}
""",
    ),
    "points-redemption": (
        "articles",
        """+++
slug = "points-redemption"
title = "Redeeming member points"
title_zh = "积分兑换"
category = "membership"
question = "我的积分怎么用？"
aliases = ["积分怎么用", "积分换礼品", "redeem points"]
tags = ["积分", "会员"]
+++

{{policy.points_per_yuan_redeemed}} 积分可抵 1 元。

## 话术 · 兑换说明
{{customer_name}}您好，您目前有{{points}}积分，每{{policy.points_per_yuan_redeemed}}积分可抵1元。
""",
    ),
    "nursing-room": (
        "articles",
        """+++
slug = "nursing-room"
title = "Nursing rooms"
title_zh = "母婴室位置"
category = "mall"
question = "请问母婴室在哪里？"
aliases = ["哺乳室", "母婴室在哪", "nursing room"]
tags = ["设施"]
+++

母婴室在 2F 东侧。

## 话术 · 位置
您好，母婴室在2F东侧洗手间旁。
""",
    ),
    "sunscreen-reapply": (
        "articles",
        """+++
slug = "sunscreen-reapply"
title = "SPF, PA and reapplying sunscreen"
title_zh = "防晒霜多久补涂"
category = "pre-sale"
question = "防晒要多久补一次？"
aliases = ["防晒补涂", "SPF", "sunscreen reapply"]
tags = ["防晒"]
+++

户外每 2 小时补涂一次。

## 话术 · 补涂
您好，户外活动建议每2小时补涂一次防晒。
""",
    ),
    "refund-timeline": (
        "articles",
        """+++
slug = "refund-timeline"
title = "How long a refund takes"
title_zh = "退款到账时间"
category = "after-sale"
question = "钱多久能退到我账户？"
aliases = ["退款多久到账", "refund how long", "refund time"]
tags = ["退款"]
+++

支付宝、微信 {{policy.refund_wallet_workdays}} 个工作日内到账。

## 话术 · 到账时间
您好，退款会在{{policy.refund_wallet_workdays}}个工作日内原路退回。
""",
    ),
    "foundation-shade-matching": (
        "articles",
        """+++
slug = "foundation-shade-matching"
title = "Choosing a foundation shade online"
title_zh = "粉底液色号选择"
category = "pre-sale"
question = "网上买粉底怎么选色号？"
aliases = ["粉底色号", "遮瑕色号", "foundation shade"]
tags = ["底妆"]
+++

看颈部肤色选色号。

## 话术 · 选色
您好，建议参考颈部肤色选择{{shade}}附近的色号。
""",
    ),
    "regulator-or-media-threat": (
        "articles",
        """+++
slug = "regulator-or-media-threat"
title = "A customer threatens to go to a regulator or the media"
title_zh = "客户扬言投诉到消协或媒体"
category = "complaint"
question = "再不处理我就打12315!"
aliases = ["要去消协", "打12315", "曝光你们", "media threat"]
tags = ["投诉"]
+++

保持冷静，立即升级。

## 话术 · 安抚
{{customer_name}}您好，非常理解您的心情，我马上为您升级处理。{{cursor}}
""",
    ),
    "script-greeting": (
        "scripts",
        """+++
slug = "script-greeting"
title = "Greeting"
title_zh = "开场问候"
category = "script"
aliases = ["打招呼", "你好", "greeting"]
+++

## 话术 · 在线
{{customer_name}}您好，我是{{agent_name}}，很高兴为您服务。{{cursor}}

## 话术 · 电话
您好，这里是客服中心，我是{{agent_name}}。
""",
    ),
}


def write_kb(root: Path, entries: dict[str, tuple[str, str]] | None = None) -> Path:
    """Write ``entries`` (default: ``ENTRIES``) as a knowledge base under ``root``; returns it."""
    for slug, (sub, text) in (entries or ENTRIES).items():
        folder = root / sub
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug}.md").write_text(text, encoding="utf-8")
    (root / "articles").mkdir(parents=True, exist_ok=True)
    (root / "scripts").mkdir(parents=True, exist_ok=True)
    return root
