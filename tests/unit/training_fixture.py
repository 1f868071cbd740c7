"""Fixture scenarios (written to a tmp dir, so tests do not depend on the shipped files) and a
real cache plus a sandbox for practice tests."""

from __future__ import annotations

from pathlib import Path

ALLERGY = """+++
slug = "fx-allergy"
title = "Redness after a serum"
title_zh = "用精华后脸红"
category = "after-sale"
sets = ["basics"]
channel = "wechat"
target_minutes = 8

[customer]
name = "林晓"
tier = "gold"
allergies = ["香精"]
points = 300

[order]
placed_days_ago = 7
delivered_days_ago = 5
[[order.lines]]
sku = "SR-003"
qty = 1
batch = "B2609C14"
opened = true

[opening]
subject = "用了精华脸好红"
text = "我前天开始用你们的精华,今天整张脸都红了又痒,好难受,怎么办??"

[[followups]]
after_replies = 1
delay_seconds = 20
text = "已经停了。批号是B2609C14。能退吗?"

[expect]
articles = ["allergy-reaction-handling"]
action = "return"
reason = "allergy"
resolution = "refund"
verdict = "allowed"
must_say = [["停用", "停止使用", "stop using"], ["就医", "就诊", "医院", "doctor"], ["批号", "batch"]]
must_not_say = ["肯定是您自己"]
upset = true
+++
好的处理：先请顾客**立即停用**，再登记批号。

## English

Ask her to **stop using** it first, then take the batch number.
"""

PRESALE = """+++
slug = "fx-presale"
title = "Is there alcohol in the toner"
title_zh = "爽肤水有酒精吗"
category = "pre-sale"
sets = ["presale"]
channel = "chat"
target_minutes = 5

[customer]
name = "周雨"
tier = "member"

[opening]
subject = "爽肤水有酒精吗"
text = "你们的爽肤水含酒精吗?我皮肤敏感"

[expect]
articles = ["ingredient-alcohol"]
action = "none"
must_say = [["不含酒精", "无酒精", "alcohol-free"]]
upset = false
+++
Say what is in it, from the ingredient list.
"""


def write_scenarios(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fx-allergy.md").write_text(ALLERGY, encoding="utf-8")
    (folder / "fx-presale.md").write_text(PRESALE, encoding="utf-8")
    return folder


def scenarios(folder: Path):
    from cs_console.training.scenario import load_scenarios

    found, problems = load_scenarios(write_scenarios(folder))
    assert not problems, [str(p) for p in problems]
    return sorted(found, key=lambda s: s.slug)


def products():
    from cs_console.demo.generator import PRODUCTS

    return [{**p.__dict__, "stock": 50, "returnable": 1} for p in PRODUCTS]
