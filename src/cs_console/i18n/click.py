"""Click's own words (the usage line, its errors, the help's headings) in Chinese, for
``cs_console.cli.click_text``: Click asks ``gettext`` for each text by its English original, so
this table is keyed by that text (Click 8.x), ``english: (zh-Hans, zh-Hant)``. A text missing
here is shown in English as Click wrote it. Not part of ``CATALOGUE``: its keys are sentences.

Metavariables (``[OPTIONS]``, ``COMMAND``, ``FILE``) stay as Click writes them: they name the
slots of a command line, like the option names beside them. So do the texts Click asks for once,
when a command is defined (a path's kind, ``--version``'s help, a confirmation prompt): they are
fixed before any ``--lang`` is read, so they are left out here and stay English in every
language rather than take whichever language was current at import."""

from __future__ import annotations

# Click's English text: (zh-Hans, zh-Hant)
TEXTS: dict[str, tuple[str, str]] = {
    # the usage frame and help
    "Usage:": ("用法：", "用法："),
    "Options": ("选项", "選項"),
    "Commands": ("命令", "指令"),
    "Positional arguments": ("位置参数", "位置參數"),
    "Show this message and exit.": ("显示本帮助并退出。", "顯示本說明並結束。"),
    "Error: {message}": ("错误：{message}", "錯誤：{message}"),
    "Try '{command} {option}' for help.": (
        "输入 '{command} {option}' 查看帮助。",
        "輸入 '{command} {option}' 查看說明。",
    ),
    "Aborted!": ("已中止！", "已中止！"),
    "deprecated": ("已弃用", "已棄用"),
    "env var: {var}": ("环境变量：{var}", "環境變數：{var}"),
    "default: {default}": ("默认：{default}", "預設：{default}"),
    "(dynamic)": ("（动态）", "（動態）"),
    "required": ("必填", "必填"),
    "range": ("范围", "範圍"),
    # usage errors
    "No such option {name!r}.": ("没有选项 {name!r}。", "沒有選項 {name!r}。"),
    "No such option: {name}": ("没有选项：{name}", "沒有選項：{name}"),
    "No such command {name!r}.": ("没有命令 {name!r}。", "沒有指令 {name!r}。"),
    "Did you mean {possibility}?": (
        "你是想输入 {possibility} 吗？",
        "你是想輸入 {possibility} 嗎？",
    ),
    "(Did you mean one of: {possibilities}?)": (
        "（你是想输入其中之一吗：{possibilities}？）",
        "（你是想輸入其中之一嗎：{possibilities}？）",
    ),
    "Missing command.": ("缺少命令。", "缺少指令。"),
    "Missing argument": ("缺少参数", "缺少參數"),
    "Missing option": ("缺少选项", "缺少選項"),
    "Missing parameter": ("缺少参数", "缺少參數"),
    "Missing {param_type}": ("缺少{param_type}", "缺少{param_type}"),
    "Missing parameter: {param_name}": ("缺少参数：{param_name}", "缺少參數：{param_name}"),
    "argument": ("参数", "參數"),
    "option": ("选项", "選項"),
    "parameter": ("参数", "參數"),
    "Invalid value: {message}": ("值无效：{message}", "值無效：{message}"),
    "Invalid value for {param_hint}: {message}": (
        "{param_hint} 的值无效：{message}",
        "{param_hint} 的值無效：{message}",
    ),
    "Got unexpected extra argument ({args})": (
        "多了一个参数（{args}）",
        "多了一個參數（{args}）",
    ),
    "Got unexpected extra arguments ({args})": (
        "多了几个参数（{args}）",
        "多了幾個參數（{args}）",
    ),
    "Option {name!r} requires an argument.": (
        "选项 {name!r} 需要一个值。",
        "選項 {name!r} 需要一個值。",
    ),
    "Option {name!r} requires {nargs} arguments.": (
        "选项 {name!r} 需要 {nargs} 个值。",
        "選項 {name!r} 需要 {nargs} 個值。",
    ),
    "Option {name!r} does not take a value.": (
        "选项 {name!r} 不接受值。",
        "選項 {name!r} 不接受值。",
    ),
    "Argument {name!r} takes {nargs} values.": (
        "参数 {name!r} 需要 {nargs} 个值。",
        "參數 {name!r} 需要 {nargs} 個值。",
    ),
    "Takes {nargs} values but 1 was given.": (
        "需要 {nargs} 个值，只给了 1 个。",
        "需要 {nargs} 個值，只給了 1 個。",
    ),
    "Takes {nargs} values but {len} were given.": (
        "需要 {nargs} 个值，给了 {len} 个。",
        "需要 {nargs} 個值，給了 {len} 個。",
    ),
    "Value must be an iterable.": ("值必须是可迭代的。", "值必須是可迭代的。"),
    "Could not open file {filename!r}: {message}": (
        "无法打开文件 {filename!r}：{message}",
        "無法開啟檔案 {filename!r}：{message}",
    ),
    "unknown error": ("未知错误", "未知錯誤"),
    # values (click.types)
    "{value!r} is not {choice}.": ("{value!r} 不是 {choice}。", "{value!r} 不是 {choice}。"),
    "{value!r} is not one of {choices}.": (
        "{value!r} 不是 {choices} 之一。",
        "{value!r} 不是 {choices} 之一。",
    ),
    "Choose from:\n\t{choices}": ("可选：\n\t{choices}", "可選：\n\t{choices}"),
    "{value!r} is not a valid {number_type}.": (
        "{value!r} 不是有效的数字。",
        "{value!r} 不是有效的數字。",
    ),
    "{value} is not in the range {range}.": (
        "{value} 不在范围 {range} 内。",
        "{value} 不在範圍 {range} 內。",
    ),
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} 不是有效的布尔值。可用的值：{states}",
        "{value!r} 不是有效的布林值。可用的值：{states}",
    ),
    "{value!r} is not a valid UUID.": (
        "{value!r} 不是有效的 UUID。",
        "{value!r} 不是有效的 UUID。",
    ),
    "{value!r} does not match the format {format}.": (
        "{value!r} 不符合格式 {format}。",
        "{value!r} 不符合格式 {format}。",
    ),
    "{value!r} does not match the formats {formats}.": (
        "{value!r} 不符合以下任一格式：{formats}。",
        "{value!r} 不符合以下任一格式：{formats}。",
    ),
    "{len_type} values are required, but {len_value} was given.": (
        "需要 {len_type} 个值，只给了 {len_value} 个。",
        "需要 {len_type} 個值，只給了 {len_value} 個。",
    ),
    "{len_type} values are required, but {len_value} were given.": (
        "需要 {len_type} 个值，给了 {len_value} 个。",
        "需要 {len_type} 個值，給了 {len_value} 個。",
    ),
    "{name} {filename!r} does not exist.": (
        "{filename!r} 不存在。",
        "{filename!r} 不存在。",
    ),
    "{name} {filename!r} is a file.": (
        "{filename!r} 是文件。",
        "{filename!r} 是檔案。",
    ),
    "{name} {filename!r} is a directory.": (
        "{filename!r} 是文件夹。",
        "{filename!r} 是資料夾。",
    ),
    "{name} {filename!r} is not readable.": (
        "{filename!r} 不可读。",
        "{filename!r} 無法讀取。",
    ),
    "{name} {filename!r} is not writable.": (
        "{filename!r} 不可写。",
        "{filename!r} 無法寫入。",
    ),
    "{name} {filename!r} is not executable.": (
        "{filename!r} 不可执行。",
        "{filename!r} 無法執行。",
    ),
    # prompts (click.termui)
    "Repeat for confirmation": ("再输入一次确认", "再輸入一次確認"),
    "Error: The two entered values do not match.": (
        "错误：两次输入的值不一致。",
        "錯誤：兩次輸入的值不一致。",
    ),
    "Error: invalid input": ("错误：输入无效", "錯誤：輸入無效"),
    "Press any key to continue...": ("按任意键继续…", "按任意鍵繼續…"),
}
