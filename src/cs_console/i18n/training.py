"""Texts for the training part of the console (see ``cs_console.i18n``)."""

from __future__ import annotations

# key: (zh-Hans, zh-Hant, en)
TEXTS: dict[str, tuple[str, str, str]] = {
    # -- train. (practice mode, grading) --
    "train.banner": ("培训", "培訓", "TRAINING"),
    "train.graded": (
        "工单 #{id} 已评分：{total} / 100",
        "工單 #{id} 已評分：{total} / 100",
        "Ticket #{id} graded: {total} / 100",
    ),
    "train.customer_replied": (
        "顾客在工单 #{id} 回复了",
        "顧客在工單 #{id} 回覆了",
        "The customer replied on ticket #{id}",
    ),
    "train.feedback_title": ("练习评分", "練習評分", "Practice grade"),
    "train.close_hint": ("Esc 或 Enter 关闭", "Esc 或 Enter 關閉", "esc or enter closes"),
    "train.line.greeting": ("问候", "問候", "Greeting"),
    "train.line.empathy": ("共情/致歉", "共情/致歉", "Empathy"),
    "train.line.solution": ("方案符合政策", "方案符合政策", "Solution"),
    "train.line.facts": ("必要信息", "必要資訊", "Required facts"),
    "train.line.forbidden": ("禁用语/硬规则", "禁用語/硬規則", "Forbidden"),
    "train.line.prompts": ("未填占位符", "未填佔位符", "Prompts"),
    "train.line.closing": ("结束语", "結束語", "Closing"),
    "train.line.time": ("用时", "用時", "Time"),
    "train.why.greeting": (
        "第一条回复要先问候顾客",
        "第一則回覆要先問候顧客",
        "the first reply should greet the customer",
    ),
    "train.why.empathy": (
        "顾客情绪不好，要先致歉或表示理解",
        "顧客情緒不好，要先致歉或表示理解",
        "the customer is upset: apologise or show you understand",
    ),
    "train.why.solution": (
        "政策要求的处理没有做（动作、原因或方式）",
        "政策要求的處理沒有做（動作、原因或方式）",
        "the action the policy expects was not taken (action, reason or resolution)",
    ),
    "train.why.facts": (
        "回复里缺少必须告诉顾客的信息",
        "回覆裡缺少必須告訴顧客的資訊",
        "the replies lack facts the customer must be told",
    ),
    "train.why.forbidden": (
        "出现了政策外承诺、责怪顾客或禁用语",
        "出現了政策外承諾、責怪顧客或禁用語",
        "a promise outside policy, blaming the customer or a forbidden phrase",
    ),
    "train.why.prompts": (
        "话术占位符没有填写",
        "話術佔位符沒有填寫",
        "a script prompt was left unfilled",
    ),
    "train.why.closing": (
        "最后一条回复要有结束语",
        "最後一則回覆要有結束語",
        "the last reply should close the conversation",
    ),
    "train.why.time": (
        "超过了目标用时：处理完毕按情景的目标，首次回复按渠道的首响标准",
        "超過了目標用時：處理完畢按情景的目標，首次回覆按渠道的首響標準",
        "over the time target: resolution against the scenario's, the first reply against the "
        "channel's first-response standard",
    ),
    "train.missed": ("缺少", "缺少", "missed"),
    "train.not_applicable": ("（不适用）", "（不適用）", "(does not apply)"),
    "train.time": (
        "用时 {minutes} 分钟，目标 {target} 分钟",
        "用時 {minutes} 分鐘，目標 {target} 分鐘",
        "Time {minutes} min, target {target} min",
    ),
    "train.first_response": (
        "首次回复 {seconds} 秒，目标 {target} 秒（从打开工单算起，占用时分的 40%）",
        "首次回覆 {seconds} 秒，目標 {target} 秒（從開啟工單算起，佔用時分的 40%）",
        "First reply {seconds} s, target {target} s (from opening the ticket; 40% of the time "
        "line)",
    ),
    "train.first_response_none": (
        "没有回复顾客：首次回复目标 {target} 秒，这部分用时分为 0",
        "沒有回覆顧客：首次回覆目標 {target} 秒，這部分用時分為 0",
        "No reply to the customer: the first-reply target was {target} s; that part of the time "
        "line scores 0",
    ),
    "train.article": ("能解答的文章", "能解答的文章", "Article that answers it"),
    "train.verdict": ("适用的政策结论", "適用的政策結論", "Policy verdict"),
    "train.verdict.allowed": ("符合政策，可以办理", "符合政策，可以辦理", "allowed by policy"),
    "train.verdict.refused": ("政策不允许", "政策不允許", "refused by policy"),
    "train.notes": ("好的处理是这样的", "好的處理是這樣的", "What a good handling looks like"),
    "train.started": (
        "培训沙盒：{n} 个练习工单（不会同步，不会进入真实缓存）。结果记在 {db}。",
        "培訓沙盒：{n} 個練習工單（不會同步，不會進入真實快取）。結果記在 {db}。",
        "Training sandbox: {n} practice tickets (never synced, never in the real cache). "
        "Results go to {db}.",
    ),
    "train.summary": (
        "本次练习评分 {n} 单，平均 {avg} 分。",
        "本次練習評分 {n} 單，平均 {avg} 分。",
        "{n} practice ticket(s) graded this session, average {avg}.",
    ),
    "train.progress_title": ("学员培训进度", "學員培訓進度", "Trainees' progress"),
    "train.progress_note": (
        "达标标准：「{set}」中每个情景至少 {mark} 分",
        "達標標準：「{set}」中每個情景至少 {mark} 分",
        "Ready: at least {mark} on every scenario of set {set}",
    ),
    "train.category.pre-sale": ("售前", "售前", "pre-sale"),
    "train.category.after-sale": ("售后", "售後", "after-sale"),
    "train.category.vip": ("VIP 会员", "VIP 會員", "VIP"),
    "train.category.complaint": ("投诉", "投訴", "complaints"),
    "train.category.mall": ("商场服务台", "商場服務台", "mall desk"),
    "train.ready_yes": ("已达标", "已達標", "ready"),
    "train.ready_no": ("未达标", "未達標", "not ready"),
    "train.report_head": (
        "{trainee}（{role}）：练习 {attempts} 次，完成 {done} 个情景，平均 {avg};{ready}",
        "{trainee}（{role}）：練習 {attempts} 次，完成 {done} 個情景，平均 {avg};{ready}",
        "{trainee} ({role}): {attempts} attempts, {done} scenarios done, average {avg}; {ready}",
    ),
    "train.report_ready": (
        "「{set}」及格线 {mark}：通过 {passed}/{total}",
        "「{set}」及格線 {mark}：通過 {passed}/{total}",
        "set {set} at {mark}: passed {passed}/{total}",
    ),
    "train.report_weakest": ("最弱的类别", "最弱的類別", "Weakest topics"),
    "train.report_quiz": (
        "测验 {taken} 次，平均正确率 {avg}%",
        "測驗 {taken} 次，平均正確率 {avg}%",
        "Quizzes: {taken}, average {avg}% right",
    ),
    "train.promoted": (
        "{trainee} 已由实习升为客服（已记入审计日志）。RT 的组才是角色的来源：请 RT 管理员运行 "
        "cs-console rt agent {trainee} --role agent，否则下次同步会恢复 RT 中的角色。",
        "{trainee} 已由實習升為客服（已記入稽核日誌）。RT 的群組才是角色的來源：請 RT 管理員執行 "
        "cs-console rt agent {trainee} --role agent，否則下次同步會恢復 RT 中的角色。",
        "{trainee} raised from trainee to agent (audited). RT's groups are the source of roles: "
        "have an RT admin run `cs-console rt agent {trainee} --role agent`, or the next sync puts "
        "RT's role back.",
    ),
    "key.train_close": ("关闭", "關閉", "Close"),
    "key.train_close.tip": ("关闭评分", "關閉評分", "Close the grade"),
    "key.train_progress": ("培训进度", "培訓進度", "Training"),
    "key.train_progress.tip": (
        "（主管）学员的练习和测验成绩",
        "（主管）學員的練習和測驗成績",
        "(supervisor) trainees' practice and quiz results",
    ),
    # -- qa. (review of live replies, composer warning) --
    "qa.rule.promise": ("政策外承诺", "政策外承諾", "promise outside policy"),
    "qa.rule.blame": ("责怪顾客", "責怪顧客", "blames the customer"),
    "qa.rule.rude": ("不礼貌用语", "不禮貌用語", "rude words"),
    "qa.rule.forbidden": ("禁用语", "禁用語", "forbidden phrase"),
    "qa.rule.prompts": ("未填占位符", "未填佔位符", "unfilled prompt"),
    "qa.rule.stop_use": (
        "过敏工单没有建议停用",
        "過敏工單沒有建議停用",
        "allergy ticket without stop-use advice",
    ),
    "qa.warn": (
        "发送前请检查：{risks}。确认无误再按一次发送。",
        "傳送前請檢查：{risks}。確認無誤再按一次傳送。",
        "Check before sending: {risks}. Press send again to send anyway.",
    ),
    "qa.summary": (
        "检查了 {replies} 条已发送回复，发现 {findings} 个风险点。",
        "檢查了 {replies} 則已送出回覆，發現 {findings} 個風險點。",
        "{replies} sent replies reviewed, {findings} risk points.",
    ),
    # -- quiz. --
    "quiz.ask.article": (
        "顾客说：「{text}」 哪篇文章能解答？",
        "顧客說：「{text}」 哪篇文章能解答？",
        "The customer writes: “{text}” Which article answers it?",
    ),
    "quiz.ask.window": (
        "{text}：期限是多少？",
        "{text}：期限是多少？",
        "{text}: what is the window?",
    ),
    "quiz.ask.script": (
        "顾客说：「{text}」 用哪段话术？",
        "顧客說：「{text}」 用哪段話術？",
        "The customer writes: “{text}” Which reply script fits?",
    ),
    "quiz.right": ("答对了。", "答對了。", "Right."),
    "quiz.wrong": (
        "答错了，正确答案：{answer}",
        "答錯了，正確答案：{answer}",
        "Wrong; the answer is {answer}",
    ),
    "quiz.why": ("依据", "依據", "Why"),
    "quiz.score": ("得分 {right}/{n}", "得分 {right}/{n}", "Score {right}/{n}"),
    "quiz.prompt": ("你的答案（1-{n}）", "你的答案（1-{n}）", "Your answer (1-{n})"),
    "quiz.not_tty": (
        "测验需要在终端里交互作答；脚本请用 --answers 1,3,2,...",
        "測驗需要在終端機裡互動作答；腳本請用 --answers 1,3,2,...",
        "the quiz is interactive and needs a terminal; for scripts pass --answers 1,3,2,...",
    ),
    "quiz.title": ("知识测验", "知識測驗", "Knowledge quiz"),
    "quiz.hint": (
        "按 1-4 作答，n 下一题，Esc 退出",
        "按 1-4 作答，n 下一題，Esc 退出",
        "1-4 answers, n next, esc leaves",
    ),
    "key.quiz_open": ("测验", "測驗", "Quiz"),
    "key.quiz_answer": ("作答", "作答", "Answer"),
    "key.quiz_answer.tip": ("按 1-4 选择答案", "按 1-4 選擇答案", "Pick an answer with 1-4"),
    "key.quiz_next": ("下一题", "下一題", "Next"),
    "key.quiz_next.tip": ("答完后看下一题", "答完後看下一題", "The next question once answered"),
    "key.quiz_leave": ("退出测验", "退出測驗", "Leave"),
    "key.quiz_leave.tip": (
        "记下已答题目的得分并退出",
        "記下已答題目的得分並退出",
        "Keep the score so far and leave",
    ),
    "key.quiz_open.tip": ("知识库测验", "知識庫測驗", "Knowledge quiz"),
}
