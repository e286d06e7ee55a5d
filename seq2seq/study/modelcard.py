"""A model directory's README.md (model card), written from its own files."""

from __future__ import annotations

from pathlib import Path

from ..checkpoint import WEIGHTS, LoadedModel

LANGUAGE_NAMES = {"en": "English", "zh": "Chinese (Simplified)"}


def _metrics_table(metrics: dict) -> list[str]:
    lines = [
        "| split | decoding | BLEU (multi-ref) | chrF (multi-ref) | BLEU (single-ref) | sources |",
        "|---|---|---|---|---|---|",
    ]
    for split in ("test", "valid"):
        for name, label in (("greedy", "greedy"), ("beam5", "beam 5")):
            m = metrics.get(f"{split}_{name}")
            if m:
                single = m.get("single_reference", {}).get("bleu", "")
                lines.append(f"| {split} | {label} | {m['bleu']:.2f} | {m['chrf']:.2f} | {single} | {m['sentences']} |")
    return lines


def _length_table(metrics: dict) -> list[str]:
    by_length = metrics.get("test_beam5", {}).get("by_length", {})
    if not by_length:
        return []
    lines = ["| source tokens | BLEU (beam 5) | chrF | sources |", "|---|---|---|---|"]
    lines += [f"| {k} | {v['bleu']:.2f} | {v['chrf']:.2f} | {v['sentences']} |" for k, v in by_length.items()]
    return lines


def _history_table(history: list[dict]) -> list[str]:
    if not history:
        return []
    lines = [
        "| epoch | train loss | valid loss | valid perplexity | valid BLEU | learning rate | target tokens/s |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {h['epoch']} | {h['train_loss']:.3f} | {h['valid_loss']:.3f} | {h['valid_perplexity']:.2f} "
        f"| {h['valid_bleu']:.2f} | {h['learning_rate']:g} | {h['train_tokens_per_second']} |"
        for h in history
    ]
    return lines


def training_runs(record: dict) -> list[dict]:
    """The runs that trained a model, first to last: a run that continued another (`--init-from`)
    records it under "init_from", which may record its own."""
    runs, current = [], record
    while current:
        runs.append(current)
        current = current.get("init_from")
    return runs[::-1]


def _runs_lines(record: dict) -> list[str]:
    runs = training_runs(record)
    total = sum(run.get("train_seconds", 0) for run in runs) / 60
    lines = [f"{len(runs)} run(s), {total:.1f} minutes of training in all; each continued the one before it:", ""]
    for number, run in enumerate(runs, 1):
        lines += [
            f"{number}. `{run.get('command', '')}`",
            f"   ({len(run.get('history', []))} epochs, {run.get('train_seconds', 0) / 60:.1f} min)",
        ]
    return lines


def _out_folder(command: str) -> str:
    """The `--out` folder of a training command, or ''."""
    words = command.split()
    return words[words.index("--out") + 1] if "--out" in words[:-1] else ""


def _curves_lines(record: dict) -> list[str]:
    lines = []
    runs = training_runs(record)
    for number, run in enumerate(runs, 1):
        if len(runs) > 1:  # numbered along this model's chain; the output folder names the run in the notes
            out = _out_folder(run.get("command", ""))
            lines += [f"Run {number} of this model{f' (`{out}`)' if out else ''}:", ""]
        lines += [*_history_table(run.get("history", [])), ""]
    return lines


def _extra_pairs_lines(record: dict) -> list[str]:
    """What the last run learned an epoch besides the training split's pairs, all made from that split."""
    config, sizes = record.get("train_config", {}), record.get("split_sizes", {})
    made = []
    if config.get("short_weight", 1) > 1:
        copies = ", the extra copies without final punctuation" if config.get("short_unpunctuated") else ""
        made.append(
            f"each pair whose English side has at most {config.get('short_words')} words, "
            f"{config['short_weight']} times{copies}"
        )
    if config.get("mine_clauses"):
        made.append('the short halves of pairs with one comma a side ("Hello, Tom." → "Hello" | 你好)')
    if config.get("mine_words"):
        made.append('single-word pairs mined by co-occurrence against jieba words ("cat" | 猫)')
    if config.get("synthetic"):
        made.append(
            f"{sizes.get('train_synthetic', '?'):,} back-translated pairs (`{config['synthetic']}`, "
            "`python -m seq2seq diversify`): the other direction's beam-5 translations of the split's sentences, "
            "the real sentence as the target (Sennrich et al., 2016)"
        )
    if not made:
        return []
    return [
        f"- extra pairs an epoch in the last run ({sizes.get('train_extra', '?'):,} in all), made from the training "
        "split only, so under the same licence and attribution, never from valid, test, the learner's set or the "
        "first-words set: " + "; ".join(made)
    ]


def render_card(loaded: LoadedModel, notes: str = "") -> str:
    config, text, record = loaded.model.config, loaded.text, loaded.record
    src, tgt = LANGUAGE_NAMES[text.src_lang], LANGUAGE_NAMES[text.tgt_lang]
    size_mb = (loaded.directory / WEIGHTS).stat().st_size / 1e6
    context_size = 2 * config.num_layers * config.hidden_size
    train_config = record.get("train_config", {})
    order = "reversed" if config.reverse_source else "forward, unlike the paper"
    encoder = "a bidirectional LSTM" if config.bidirectional else "one LSTM"
    bridge = (
        "It also attends to every encoder output at every step (Luong attention): a comparison model, not the paper's."
        if config.attention
        else "There is no attention: the context vector is the only bridge."
    )
    lines = [
        f"# {'LSTM seq2seq with attention' if config.attention else 'Attention-free LSTM seq2seq'}, {src} → {tgt}",
        "",
        "An encoder-decoder as in Sutskever, Vinyals & Le (2014), *Sequence to Sequence Learning with",
        f"Neural Networks*: {encoder} reads the source ({order}) into a fixed-size context vector, the",
        "final `(h, c)` of every layer; a second LSTM starts from it and emits the translation token by",
        f"token. {bridge}",
        "",
        "## Architecture",
        "",
        "| | |",
        "|---|---|",
        f"| layers (encoder, decoder) | {config.num_layers}, {config.num_layers} LSTM"
        f"{' (encoder bidirectional)' if config.bidirectional else ''} |",
        f"| hidden units per layer | {config.hidden_size} |",
        f"| embedding size | {config.embedding_size} |",
        f"| context vector | {context_size} numbers (h and c of {config.num_layers} layers × {config.hidden_size}) |",
        f"| source read | {'reversed' if config.reverse_source else 'forward'}, then `<eos>` |",
        f"| output layer tied to decoder embedding | {'yes' if config.tie_embeddings else 'no'} |",
        f"| dropout | {config.dropout} |",
        f"| parameters | {loaded.model.num_parameters():,} |",
        f"| vocabulary (source → target) | {len(loaded.src_vocab):,} → {len(loaded.tgt_vocab):,} tokens |",
        f"| Chinese units | {'characters' if text.zh_units == 'char' else 'jieba words'} |",
        f"| English casing | {'lowercased, truecased on output' if text.en_lowercase else 'kept as written'} |",
        f"| weights | `{WEIGHTS}`, {size_mb:.1f} MB ({'float16' if train_config.get('half', True) else 'float32'}) |",
        "",
        "## Data",
        "",
        "Tatoeba English–Mandarin pairs as packaged by manythings.org (`cmn.txt`, "
        "https://www.manythings.org/anki/), sentences from https://tatoeba.org, licensed",
        "**CC-BY 2.0 France**; the attribution of every pair is in the third column of the file.",
        "",
        f"- file sha256: `{record.get('data_sha256', '?')}`",
        f"- split (seed {record.get('seed', '?')}, no sentence of either side in two splits): {record.get('split_sizes', {})} pairs",
        "- normalisation: NFKC; Chinese converted to Simplified with OpenCC (`t2s`); exact duplicate pairs dropped",
        *_extra_pairs_lines(record),
        "",
        "## Training",
        "",
        *_runs_lines(record),
        "",
        f"- git commit `{record.get('git_commit', '')}`, {record.get('device', 'cpu')}, {record.get('threads', '?')} thread(s)",
        f"- last run: {record.get('epochs', '?')} epochs in {record.get('train_seconds', 0) / 60:.1f} min "
        f"(resumed runs of its command included); best epoch {record.get('best_epoch', '?')} by validation BLEU",
        "- teacher forcing; Adam (lr {lr}, halved when validation BLEU does not improve); gradients clipped to norm {clip};"
        " uniform(-0.08, 0.08) initialisation; label smoothing {ls}; batches of similar source length ({bs} pairs)".format(
            lr=train_config.get("learning_rate"),
            clip=train_config.get("clip_norm"),
            ls=train_config.get("label_smoothing"),
            bs=train_config.get("batch_size"),
        ),
        "",
        "## Metrics",
        "",
        "sacreBLEU BLEU (tokenize `{}`) and chrF on the test split. Tatoeba often gives one sentence several".format(
            "zh" if text.tgt_lang == "zh" else "13a"
        ),
        "translations: *multi-ref* scores each distinct source once against all of them; *single-ref* scores",
        "every pair on its own. Beam search uses length-normalised scores (log-probability / length).",
        "",
        *_metrics_table(record.get("metrics", {})),
        "",
        "By source length (test, beam 5, multi-ref):",
        "",
        *_length_table(record.get("metrics", {})),
        "",
        "## Training curve",
        "",
        *_curves_lines(record),
    ]
    if notes:
        lines += [notes.strip(), ""]
    return "\n".join(lines)


def write_card(loaded: LoadedModel, notes_path: str | Path | None = None) -> Path:
    try:
        notes = Path(notes_path).read_text(encoding="utf-8") if notes_path else ""
    except UnicodeDecodeError as error:
        raise ValueError(f"{notes_path} is not UTF-8 text ({error.reason})") from error
    path = loaded.directory / "README.md"
    path.write_text(render_card(loaded, notes), encoding="utf-8")
    return path
