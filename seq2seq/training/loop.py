"""Training: teacher forcing, Adam, gradient-norm clipping, validation BLEU, resumable.

Choices, and why:
- uniform(-0.08, 0.08) initialisation and gradient norm clipped at 5, as in the paper;
- Adam (lr 1e-3) instead of the paper's plain SGD at 0.7: on 25k pairs and 2 CPU
  cores it reaches the same loss in far fewer epochs; the learning rate is halved
  whenever validation BLEU does not improve (the paper halved it on a schedule), and
  optionally every epoch in the last minutes of the time budget;
- label smoothing 0.1 and dropout, because 25k pairs overfit a 2-layer LSTM quickly;
- the checkpoint kept is the one with the best validation BLEU.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from tqdm import tqdm

from ..batch import Batch, length_batches
from ..checkpoint import LoadedModel, build_model, save_model
from ..data import Splits, extra_training_pairs, file_sha256, load_splits, read_tatoeba, sides
from ..diagnosis import count_pairs_containing, counted_tokens, counting_units, write_counts
from ..model import Seq2Seq, Seq2SeqConfig, perplexity
from ..pipeline import Translator
from ..text import TextConfig, build_truecase, target_tag, tokenize
from ..vocabulary import PAD_ID, Vocabulary
from .evaluation import evaluate
from .resume import load_state, model_weights, save_state


@dataclass
class TrainConfig:
    data: str  # path to cmn.txt
    out: str  # model directory to write
    direction: str = "en-zh"  # or "both": one multi-task model, a target-language token on the source
    zh_units: str = "char"
    en_lowercase: bool = False
    # The model's shape: Seq2SeqConfig's fields, with its defaults (the one place they are set).
    embedding_size: int = Seq2SeqConfig.embedding_size
    hidden_size: int = Seq2SeqConfig.hidden_size
    num_layers: int = Seq2SeqConfig.num_layers
    dropout: float = Seq2SeqConfig.dropout
    reverse_source: bool = Seq2SeqConfig.reverse_source
    bidirectional: bool = Seq2SeqConfig.bidirectional
    attention: bool = Seq2SeqConfig.attention  # the comparison model of attention.py
    tie_embeddings: bool = Seq2SeqConfig.tie_embeddings
    min_freq: int = 2  # tokens seen fewer times in training become <unk>
    batch_size: int = 64
    learning_rate: float = 1e-3
    clip_norm: float = 5.0
    label_smoothing: float = 0.1
    max_epochs: int = 30
    max_minutes: float = 55.0  # stop training (then evaluate) after this much wall time
    patience: int = 4  # stop after this many epochs without a better validation BLEU
    lr_decay_minutes: float = 0.0  # in the budget's last minutes, halve the learning rate every epoch
    lr_decay_epochs: int = 0  # ... or in the last epochs before max_epochs
    seed: int = 1234  # initialisation and batch order
    split_seed: int = 1234  # which pairs go to train/valid/test: keep it fixed to compare models
    valid_size: int = 1000  # held-out pairs (at least) for model selection
    test_size: int = 2000  # held-out pairs (at least) for the reported metrics
    half: bool = True  # store the final weights as float16
    threads: int = 0  # 0: every CPU core
    final_evaluation: bool = True  # score valid and test, greedy and beam 5, at the end
    init_from: str = ""  # a model directory with the same vocabularies and shape: continue training its weights
    # More of what learners type, from the training split only (data.extra_training_pairs); vocabularies unchanged.
    short_words: int = 3  # a pair is short when its English side has at most this many words
    short_weight: int = 1  # each short training pair is learned this many times an epoch
    short_unpunctuated: bool = False  # ... its extra copies without final punctuation, as learners type
    mine_clauses: bool = False  # also the short halves of pairs with one comma a side ("Hello, Tom.")
    mine_words: bool = False  # also single-word pairs mined by co-occurrence ("cat" | 猫)
    # Back-translation: a file of the other direction's translations of the training split (`python -m seq2seq
    # diversify`, training/diversify.py), learned once an epoch beside it; "" for none.
    synthetic: str = ""


@dataclass
class Prepared:
    text: TextConfig  # for "both": the en-zh view; `Translator.for_direction` gives the other
    src_vocab: Vocabulary
    tgt_vocab: Vocabulary
    truecase: dict[str, str] | None
    train: list[tuple[list[int], list[int]]]
    valid: dict[str, tuple[list[str], list[str]]]  # direction → (sources, references)
    test: dict[str, tuple[list[str], list[str]]]
    sizes: dict = field(default_factory=dict)
    source_counts: dict[str, int] = field(default_factory=dict)  # training pairs containing each source token


def prepare(config: TrainConfig, splits: Splits) -> Prepared:
    """Tokenise the splits and build the vocabularies from the training split only.

    A multi-task model ("both") has one vocabulary of both languages on both
    sides and learns every pair twice, once each way, with the target-language
    token (<2zh> or <2en>) first on the source side (Johnson et al., 2017).
    """
    multi = config.direction == "both"
    directions = ["en-zh", "zh-en"] if multi else [config.direction]
    text = TextConfig(*directions[0].split("-"), config.zh_units, config.en_lowercase, target_token=multi)
    side = lambda pairs, lang: [getattr(p, lang) for p in pairs]  # noqa: E731
    tokens = {lang: [tokenize(s, lang, text) for s in side(splits.train, lang)] for lang in ("en", "zh")}
    if multi:
        shared = Vocabulary.build(tokens["en"] + tokens["zh"], config.min_freq)
        src_vocab = tgt_vocab = Vocabulary(shared.idx2word[4:] + [target_tag("en"), target_tag("zh")])
    else:
        src_lang, tgt_lang = config.direction.split("-")
        src_vocab = Vocabulary.build(tokens[src_lang], config.min_freq)
        tgt_vocab = Vocabulary.build(tokens[tgt_lang], config.min_freq)
    truecase = None
    if "en" in [d[-2:] for d in directions] and config.en_lowercase:
        cased = replace(text, en_lowercase=False)
        truecase = build_truecase([tokenize(s, "en", cased) for s in side(splits.train, "en")])
    weighting = (config.short_weight, config.short_words, config.short_unpunctuated, config.mine_clauses)
    extra = extra_training_pairs(splits.train, *weighting, config.mine_words)
    synthetic = read_tatoeba(config.synthetic) if config.synthetic else []
    extra += synthetic
    for lang in ("en", "zh"):  # after the vocabularies: the extra pairs change no count that built them
        tokens[lang] += [tokenize(getattr(p, lang), lang, text) for p in extra]
    train = []
    for direction in directions:
        src_lang, tgt_lang = direction.split("-")
        tag = [src_vocab.word2idx[target_tag(tgt_lang)]] if multi else []
        train += [(tag + src_vocab.encode(s), tgt_vocab.encode(t)) for s, t in zip(tokens[src_lang], tokens[tgt_lang])]
    sizes = {"train": len(splits.train), "valid": len(splits.valid), "test": len(splits.test)}
    sizes.update({"train_extra": len(extra)} if extra else {})
    sizes.update({"train_synthetic": len(synthetic)} if synthetic else {})
    return Prepared(
        text=text,
        src_vocab=src_vocab,
        tgt_vocab=tgt_vocab,
        truecase=truecase,
        train=train,
        valid={d: sides(splits.valid, d) for d in directions},
        test={d: sides(splits.test, d) for d in directions},
        sizes=sizes,
        source_counts=count_pairs_containing(
            counted_tokens(s, replace(text, src_lang=d[:2], tgt_lang=d[3:]))
            for d in directions
            for s in sides(splits.train, d)[0]
        ),
    )


def loss_on(model: Seq2Seq, batch: Batch, label_smoothing: float = 0.0) -> torch.Tensor:
    """Mean token cross-entropy of the teacher-forced batch (padding ignored)."""
    log_probs = model(batch.src_ids, batch.src_lengths, batch.tgt_in_ids)
    # cross_entropy re-normalises its input; log_softmax of log-probabilities is a no-op.
    return F.cross_entropy(
        log_probs.flatten(0, 1), batch.tgt_out_ids.flatten(), ignore_index=PAD_ID, label_smoothing=label_smoothing
    )


@torch.inference_mode()
def validation_loss(model: Seq2Seq, batches: list[Batch], device: torch.device) -> float:
    model.eval()
    total, tokens = 0.0, 0
    for batch in batches:
        batch = _to(batch, device)
        n = batch.num_target_tokens
        total += float(loss_on(model, batch)) * n
        tokens += n
    return total / max(tokens, 1)


def _to(batch: Batch, device: torch.device) -> Batch:
    if device.type == "cpu":
        return batch
    return Batch(*(t.to(device) for t in (batch.src_ids, batch.src_lengths, batch.tgt_in_ids, batch.tgt_out_ids)))


def _translators(model: Seq2Seq, data: Prepared, out: Path) -> dict[str, Translator]:
    """One translator per direction the model learns (two for a multi-task model)."""
    one = Translator(LoadedModel(model, data.text, data.src_vocab, data.tgt_vocab, data.truecase, {}, out))
    return {d: one.for_direction(d) for d in data.valid}


def _examples(translator: Translator, sources: list[str], references: list[str]) -> list[tuple[list[int], list[int]]]:
    """Held-out pairs as ids, tokenised exactly as at translation time (target token included)."""
    tgt = lambda s: translator.tgt_vocab.encode(tokenize(s, translator.tgt_lang, translator.text_config))  # noqa: E731
    return [(translator.source_ids(s)[0], tgt(r)) for s, r in zip(sources, references)]


def _git_commit() -> str:
    """HEAD's commit, with "-dirty" when tracked files differ from it."""
    here = Path(__file__).resolve().parent
    try:
        git = lambda *a: subprocess.run(["git", *a], cwd=here, capture_output=True, text=True).stdout.strip()  # noqa: E731
        commit = git("rev-parse", "--verify", "-q", "HEAD")
        return commit + ("-dirty" if commit and git("status", "--porcelain", "--untracked-files=no") else "")
    except OSError:
        return ""


def _init_from(model: Seq2Seq, directory: Path, data: Prepared) -> dict:
    """Load a trained model's weights to continue from; its vocabularies and shape must match."""
    from ..checkpoint import load_model

    earlier = load_model(directory)
    if earlier.src_vocab.idx2word != data.src_vocab.idx2word or earlier.tgt_vocab.idx2word != data.tgt_vocab.idx2word:
        raise ValueError(f"{directory}: its vocabularies differ from this data and --min-freq; cannot continue it")
    if replace(earlier.model.config, dropout=model.config.dropout) != model.config:
        raise ValueError(f"{directory}: config.json {earlier.model.config} differs from this run's {model.config}")
    model.load_state_dict(earlier.model.state_dict())
    record = earlier.record
    return {
        "path": str(directory),
        "git_commit": record.get("git_commit", ""),
        "command": record.get("command", ""),
        "epochs": record.get("epochs", 0),
        "train_seconds": record.get("train_seconds", 0.0),
        "history": record.get("history", []),
        **({"init_from": record["init_from"]} if "init_from" in record else {}),  # the whole chain of runs
    }


def check_options(config: TrainConfig) -> None:
    """A ValueError, in the command line's words, for settings that cannot train a model: sizes below
    one, no epoch to run, no valid split to choose the best epoch on."""
    at_least_one = ("embedding_size", "hidden_size", "num_layers", "min_freq", "batch_size", "max_epochs", "patience")
    at_least_one += ("short_words", "short_weight")
    for name in (*at_least_one, "valid_size"):
        if getattr(config, name) < 1:
            raise ValueError(f"--{name.replace('_', '-')} must be at least 1, got {getattr(config, name)}")
    for name in ("test_size", "threads", "max_minutes", "lr_decay_minutes", "lr_decay_epochs", "clip_norm"):
        if getattr(config, name) < 0:
            raise ValueError(f"--{name.replace('_', '-')} must not be negative, got {getattr(config, name)}")
    if not 0 <= config.dropout < 1 or not 0 <= config.label_smoothing < 1:
        raise ValueError(
            f"--dropout and --label-smoothing must be in [0, 1), got {config.dropout}, {config.label_smoothing}"
        )
    if not config.learning_rate > 0:
        raise ValueError(f"--learning-rate must be positive, got {config.learning_rate}")
    if config.tie_embeddings and config.embedding_size != config.hidden_size:
        raise ValueError(
            f"--tie-embeddings needs --embedding-size equal to --hidden-size, got {config.embedding_size} and"
            f" {config.hidden_size} (or give --no-tie-embeddings)"
        )
    if Path(config.out).exists() and not Path(config.out).is_dir():
        raise ValueError(f"{config.out} is a file, not a model directory (--out)")


def train(config: TrainConfig, log=print) -> dict:
    """Train one direction and write the best model (by validation BLEU) to `config.out`."""
    check_options(config)
    started, commit = time.time(), _git_commit()  # before training writes into a tracked model directory
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads or os.cpu_count() or 1)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    out = Path(config.out)

    data = prepare(config, load_splits(config.data, config.split_seed, config.valid_size, config.test_size))
    log(f"{config.direction}: {data.sizes} pairs; vocab {len(data.src_vocab)} → {len(data.tgt_vocab)}; device {device}")
    model_config = Seq2SeqConfig(
        src_vocab_size=len(data.src_vocab),
        tgt_vocab_size=len(data.tgt_vocab),
        embedding_size=config.embedding_size,
        hidden_size=config.hidden_size,
        num_layers=config.num_layers,
        dropout=config.dropout,
        reverse_source=config.reverse_source,
        tie_embeddings=config.tie_embeddings,
        bidirectional=config.bidirectional,
        attention=config.attention,
    )
    model = build_model(model_config).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    generator = torch.Generator().manual_seed(config.seed)
    translators = _translators(model, data, out)
    valid_examples = [ex for d, (s, r) in data.valid.items() for ex in _examples(translators[d], s, r)]
    valid_batches = length_batches(valid_examples, 256)

    progress = {"epoch": 0, "best_bleu": -1.0, "best_epoch": 0, "bad_epochs": 0, "history": [], "train_seconds": 0.0}
    resume_dir = out / "resume"
    if config.init_from and not (resume_dir / "progress.json").is_file():
        progress["init_from"] = _init_from(model, Path(config.init_from), data)
        log(f"initialised from {config.init_from} ({progress['init_from']['train_seconds']} s of earlier training)")
    if (resume_dir / "progress.json").is_file():
        progress = load_state(resume_dir, model, optimizer, generator)
        log(f"resumed after epoch {progress['epoch']} (best valid BLEU {progress['best_bleu']:.2f})")

    budget = config.max_minutes * 60
    while progress["epoch"] < config.max_epochs and progress["bad_epochs"] < config.patience:
        if progress["train_seconds"] >= budget:
            log("time budget reached")
            break
        epoch = progress["epoch"] + 1
        decay_by_time = config.lr_decay_minutes and progress["train_seconds"] >= budget - config.lr_decay_minutes * 60
        if decay_by_time or epoch > config.max_epochs - config.lr_decay_epochs:
            # Anneal before time runs out: a model that never plateaus never gets its rate halved.
            for group in optimizer.param_groups:
                group["lr"] /= 2
        model.train()
        epoch_start, tokens, loss_sum = time.time(), 0, 0.0
        batches = length_batches(data.train, config.batch_size, generator)
        bar = tqdm(batches, desc=f"epoch {epoch}", file=sys.stderr, mininterval=2, disable=None)
        for batch in bar:
            batch = _to(batch, device)
            loss = loss_on(model, batch, config.label_smoothing)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), config.clip_norm)
            optimizer.step()
            n = batch.num_target_tokens
            tokens += n
            loss_sum += loss.item() * n
            bar.set_postfix(loss=f"{loss_sum / tokens:.3f}", tok_s=f"{tokens / (time.time() - epoch_start):.0f}")
        train_seconds = time.time() - epoch_start
        model.eval()
        valid_nll = validation_loss(model, valid_batches, device)
        # A multi-task model is selected on its mean over both directions.
        scores = [evaluate(t, *data.valid[d]) for d, t in _translators(model.cpu(), data, out).items()]
        valid = {m: sum(s[m] for s in scores) / len(scores) for m in ("bleu", "chrf")}
        model.to(device)
        row = {
            "epoch": epoch,
            "train_loss": round(loss_sum / tokens, 4),
            "valid_loss": round(valid_nll, 4),
            "valid_perplexity": round(perplexity(valid_nll), 3),
            "valid_bleu": round(valid["bleu"], 2),
            "valid_chrf": round(valid["chrf"], 2),
            "learning_rate": optimizer.param_groups[0]["lr"],
            "train_tokens_per_second": round(tokens / train_seconds),
            "seconds": round(train_seconds, 1),
        }
        log(json.dumps(row))
        progress["history"].append(row)
        progress["epoch"] = epoch
        progress["train_seconds"] += time.time() - epoch_start
        if valid["bleu"] > progress["best_bleu"]:
            progress.update(best_bleu=valid["bleu"], best_epoch=epoch, bad_epochs=0)
            save_model(out, model.cpu(), data.text, data.src_vocab, data.tgt_vocab, data.truecase)
            model.to(device)
        else:
            progress["bad_epochs"] += 1
            for group in optimizer.param_groups:
                group["lr"] /= 2
        save_state(resume_dir, model, optimizer, generator, progress)
        # Every epoch's weights, for checkpoint averaging (`python -m seq2seq average`).
        save_file(model_weights(model), resume_dir / f"epoch-{epoch}.safetensors")

    return finish(config, data, out, progress, started, commit, log)


def finish(
    config: TrainConfig, data: Prepared, out: Path, progress: dict, started: float, commit: str, log=print
) -> dict:
    """Reload the best weights, store them (float16 if asked), test them and write training.json."""
    from ..checkpoint import load_model

    best = load_model(out)
    save_model(out, best.model, data.text, data.src_vocab, data.tgt_vocab, data.truecase, half=config.half)
    translator = Translator(load_model(out))  # test exactly what is shipped
    results = {}
    for name, beam in (("greedy", 1), ("beam5", 5)) if config.final_evaluation else ():
        for split, sets in (("valid", data.valid), ("test", data.test)):
            for direction, (src, ref) in sets.items():
                r = evaluate(translator.for_direction(direction), src, ref, beam)
                key = f"{split}_{name}" if len(sets) == 1 else f"{direction}/{split}_{name}"
                results[key] = {k: r[k] for k in ("bleu", "chrf", "sentences", "single_reference", "by_length")}
    record = {
        "command": "python -m seq2seq train " + " ".join(sys.argv[2:]) if sys.argv[1:2] == ["train"] else "",
        "git_commit": commit,
        "data_file": Path(config.data).name,
        "data_sha256": file_sha256(config.data),
        "split_sizes": data.sizes,
        "seed": config.seed,
        "train_config": {k: v for k, v in asdict(config).items() if k not in ("data", "out")},
        "parameters": translator.model.num_parameters(),
        "epochs": progress["epoch"],
        "best_epoch": progress["best_epoch"],
        "train_seconds": round(progress["train_seconds"], 1),
        "wall_seconds": round(time.time() - started, 1),
        "threads": torch.get_num_threads(),
        "device": "cuda" if torch.cuda.is_available() else "cpu",
        "history": progress["history"],
        **({"init_from": progress["init_from"]} if "init_from" in progress else {}),
        "metrics": results,
    }
    save_model(
        out, translator.model, data.text, data.src_vocab, data.tgt_vocab, data.truecase, record, half=config.half
    )
    # Pairs of the training split (each direction), not the extra copies learned beside them.
    write_counts(
        out,
        data.source_counts,
        len(data.train) - data.sizes.get("train_extra", 0) * len(data.valid),
        counting_units(data.text),
    )
    log(
        json.dumps(
            {
                "best_valid_bleu": progress["best_bleu"],
                **{k: {m: v[m] for m in ("bleu", "chrf")} for k, v in results.items()},
            }
        )
    )
    return record
