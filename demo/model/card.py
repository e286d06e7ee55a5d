"""A model's key facts as a Markdown table in the reader's language, from its config.json and training.json.

The full card (README.md, written by `python -m seq2seq card`) is English prose; these rows carry the facts a
learner needs first, and every number is one of the model's own files.
"""

from __future__ import annotations

from seq2seq.study.modelcard import training_runs

from ..i18n import message


def facts(config: dict, training: dict, lang: str = "en", sets: dict | None = None) -> str:
    """The facts table: architecture, size, vocabulary, training, test BLEU, how many of the first-words set and
    the learner's set come out exactly right (`sets`: the model's `first_words.json` and `learner_set.json`, as
    `python -m seq2seq learners --json` writes them) and data, in `lang`."""
    layers, hidden = config["num_layers"], config["hidden_size"]
    directions = 2 if config.get("bidirectional") else 1
    runs = training_runs(training)  # the runs it continued (init_from), then its own: as the card counts them
    metrics = training.get("metrics") or {}
    bleu = [(metrics.get(split) or {}).get("bleu") for split in ("test_greedy", "test_beam5")]
    split = training.get("split_sizes") or {}
    rows = [
        (message("model_card_layers", lang), message("model_card_layers_value", lang, layers=layers)),
        (message("model_card_hidden", lang), f"{hidden}"),
        (message("model_card_embedding", lang), f"{config['embedding_size']}"),
        (
            message("model_card_context", lang),
            message(
                "model_card_context_value", lang, numbers=2 * layers * hidden * directions, layers=layers, hidden=hidden
            ),
        ),
        (
            message("model_card_source", lang),
            message("model_card_reversed" if config.get("reverse_source") else "model_card_forward", lang),
        ),
        (
            message("model_card_attention", lang),
            message("model_card_with_attention" if config.get("attention") else "model_card_no_attention", lang),
        ),
        (message("model_card_parameters", lang), f"{training.get('parameters', 0):,}"),
        (
            message("model_card_vocabulary", lang),
            message("model_card_vocabulary_value", lang, src=config["src_vocab_size"], tgt=config["tgt_vocab_size"]),
        ),
        (
            message("model_card_training", lang),
            message(
                "model_card_training_value",
                lang,
                runs=len(runs),
                epochs=sum(run.get("epochs", len(run.get("history", []))) for run in runs),
                minutes=sum(run.get("train_seconds", 0) for run in runs) / 60,
                threads=training.get("threads", 1),
            ),
        ),
        (message("model_card_kept", lang), message("model_card_kept_value", lang, epoch=training.get("best_epoch"))),
        (message("model_card_test", lang), " / ".join(f"{b:.2f}" if b is not None else "—" for b in bleu)),
        *_exact_rows(sets or {}, lang),
        (
            message("model_card_data", lang),
            message(
                "model_card_data_value",
                lang,
                train=split.get("train", 0),
                valid=split.get("valid", 0),
                test=split.get("test", 0),
            ),
        ),
    ]
    return "\n".join(["| | |", "|---|---|", *(f"| {name} | {value} |" for name, value in rows)])


def _exact_rows(sets: dict, lang: str) -> list[tuple[str, str]]:
    """One row: exactly right on the first-words set and on the learner's set, where both were scored."""
    if not {"first_words", "learner_set"} <= set(sets):
        return []
    counts = {name: sets[name]["counts"]["all"] for name in ("first_words", "learner_set")}
    return [
        (
            message("model_card_exact", lang, beam=sets["learner_set"]["beam_size"]),
            message(
                "model_card_exact_value",
                lang,
                **{name: f"{count['exact']}/{count['total']}" for name, count in counts.items()},
            ),
        )
    ]
