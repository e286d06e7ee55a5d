"""Every label, help text and message of the app, in English and Chinese.

Gradio's `gr.I18n` picks the language from the browser's locale; messages that a
handler writes into a text box use `message(key, lang)` with the language switch.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "# Sequence to sequence, explained",
        "subtitle": "An attention-free LSTM encoder-decoder (Sutskever, Vinyals & Le, 2014) translates your "
        "sentence. The encoder squeezes the whole sentence into one context vector; the decoder unfolds it, "
        "one token at a time, each chosen from a probability distribution P_t.",
        "tab_translate": "Translate",
        "tab_model": "Model",
        "input_label": "Sentence",
        "input_placeholder": "Type an English or Chinese sentence · 输入英文或中文句子",
        "direction": "Direction",
        "auto": "Auto",
        "decoding": "Decoding",
        "greedy": "Greedy",
        "beam": "Beam search",
        "beam_size": "Beam size",
        "top_k": "Candidates shown per step (top-k)",
        "max_length": "Maximum output length in steps (0: twice the source length + 10)",
        "translate": "Translate",
        "examples": "Examples",
        "translation": "Translation",
        "details": "Score and notes",
        "source_tokens": "Input tokens (id) — <unk> marks words the model has never seen",
        "read_tokens": "What the encoder read, in order (reversed, then <eos>)",
        "context_title": "The context vector: the only bridge between encoder and decoder",
        "decoder_title": "Decoder steps: P_t at every step",
        "step": "Step t",
        "beam_title": "Beam search",
        "n_best": "n-best list",
        "whatif_title": "What if the decoder had chosen another word?",
        "whatif_help": "Pick a step and one of its other candidates: the model is forced to take it, then "
        "continues on its own.",
        "whatif_step": "Step",
        "whatif_token": "Instead, take",
        "whatif_run": "Continue from there",
        "whatif_original": "Original translation",
        "whatif_result": "Forced translation",
        "model_intro": "The two shipped models, trained on Tatoeba English–Chinese pairs.",
        "training_curves": "Training curves",
        "api_title": "API",
        "error_empty": "Type a sentence to translate.",
        "error_no_words": "The input has no letters or digits the model could read (only symbols or emoji).",
        "error_model": "The model could not be loaded: ",
        "error_internal": "Something went wrong while translating; please try another sentence.",
        "notice_truncated": "The input was long: only its beginning was translated.",
        "notice_unknown": "Some words are unknown to the model and were read as <unk>: ",
        "notice_all_unknown": "The model knows none of these words; the translation is a guess from <unk> alone.",
        "notice_converted": "Input normalised (Traditional → Simplified, full-width forms): ",
        "notice_language_mismatch": "The text does not look like the chosen source language; translating anyway.",
        "detected": "Detected direction",
        "log_prob": "log-probability",
        "perplexity": "per-token perplexity",
        "unfinished": "stopped at the length cap before <eos>",
        "replay": "decoding, step",
        "col_rank": "rank",
        "col_translation": "translation",
        "col_score": "log-probability",
        "col_normalized": "score / length",
        "col_finished": "ended with <eos>",
        "language": "Interface language",
    },
    "zh": {
        "title": "# 序列到序列模型图解",
        "subtitle": "一个没有注意力机制的 LSTM 编码器-解码器（Sutskever、Vinyals 与 Le，2014）来翻译你的句子。"
        "编码器把整句话压缩成一个上下文向量；解码器再把它展开，每一步从概率分布 P_t 中选出一个词。",
        "tab_translate": "翻译",
        "tab_model": "模型",
        "input_label": "句子",
        "input_placeholder": "输入英文或中文句子 · Type an English or Chinese sentence",
        "direction": "翻译方向",
        "auto": "自动",
        "decoding": "解码方式",
        "greedy": "贪心",
        "beam": "束搜索",
        "beam_size": "束宽",
        "top_k": "每步显示的候选数（top-k）",
        "max_length": "最大输出长度（步数；0 表示源句长度的两倍加 10）",
        "translate": "翻译",
        "examples": "例句",
        "translation": "译文",
        "details": "得分与说明",
        "source_tokens": "输入词元（编号）— <unk> 表示模型没见过的词",
        "read_tokens": "编码器读入的顺序（倒序，再加 <eos>）",
        "context_title": "上下文向量：编码器与解码器之间唯一的桥梁",
        "decoder_title": "解码步骤：每一步的 P_t",
        "step": "第 t 步",
        "beam_title": "束搜索",
        "n_best": "n-best 列表",
        "whatif_title": "如果解码器选了另一个词呢？",
        "whatif_help": "选一步和它的另一个候选词：模型被强制选它，然后自己继续解码。",
        "whatif_step": "步骤",
        "whatif_token": "改选",
        "whatif_run": "从这里继续",
        "whatif_original": "原译文",
        "whatif_result": "强制后的译文",
        "model_intro": "两个随附的模型，用 Tatoeba 英汉句对训练。",
        "training_curves": "训练曲线",
        "api_title": "API",
        "error_empty": "请输入要翻译的句子。",
        "error_no_words": "输入中没有模型能读的文字或数字（只有符号或表情）。",
        "error_model": "无法加载模型：",
        "error_internal": "翻译时出错了，请换一个句子试试。",
        "notice_truncated": "输入太长，只翻译了开头部分。",
        "notice_unknown": "有些词模型没见过，按 <unk> 读入：",
        "notice_all_unknown": "模型一个词也不认识，译文只是根据 <unk> 的猜测。",
        "notice_converted": "输入已规范化（繁体转简体、全角转半角）：",
        "notice_language_mismatch": "输入看起来不是所选的源语言，仍然照常翻译。",
        "detected": "检测到的方向",
        "log_prob": "对数概率",
        "perplexity": "每词困惑度",
        "unfinished": "达到长度上限，未生成 <eos>",
        "replay": "解码中，第",
        "col_rank": "名次",
        "col_translation": "译文",
        "col_score": "对数概率",
        "col_normalized": "得分 / 长度",
        "col_finished": "以 <eos> 结束",
        "language": "界面语言",
    },
}

DIRECTION_LABELS = {
    "en": {"en-zh": "English → 中文", "zh-en": "中文 → English"},
    "zh": {"en-zh": "英文 → 中文", "zh-en": "中文 → 英文"},
}


def message(key: str, lang: str = "en") -> str:
    """The text for `key` in `lang` ('en' or 'zh'), falling back to English."""
    return STRINGS.get(lang, STRINGS["en"]).get(key) or STRINGS["en"][key]


def i18n():
    """A `gr.I18n` with every string, for labels that follow the browser's locale."""
    import gradio as gr

    return gr.I18n(**{lang: dict(table) for lang, table in STRINGS.items()})
