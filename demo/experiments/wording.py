"""The English text of experiments/results.json in the reader's language.

`python -m seq2seq experiments` writes its labels, claims and run note in English from a fixed set of
phrases (seq2seq/study/experiments.py: ROWS, claims(), NOTE). Each phrase is a locale key whose English
value is the phrase itself, so the table below is the only list of them and a rerun that changes no label
keeps every cell translated; a phrase we do not know stays as it was written.
"""

from __future__ import annotations

import re
from functools import cache

from ..i18n import message


def _phrases(lang: str) -> list[str]:
    """Every phrase of results.json, in `lang` (the same order in every language)."""
    return [
        message("exp_p_source_order", lang),
        message("exp_p_reversed_paper", lang),
        message("exp_p_forward", lang),
        message("exp_p_depth", lang),
        message("exp_p_layer_1", lang),
        message("exp_p_layers_2", lang),
        message("exp_p_layers_4", lang),
        message("exp_p_encoder", lang),
        message("exp_p_unidirectional", lang),
        message("exp_p_bidirectional", lang),
        message("exp_p_ensemble", lang),
        message("exp_p_single_seed", lang),
        message("exp_p_ensemble_3", lang),
        message("exp_p_multitask", lang),
        message("exp_p_one_direction", lang),
        message("exp_p_one_model_both", lang),
        message("exp_p_shared_vocabulary", lang),
        message("exp_p_attention", lang),
        message("exp_p_attention_free_paper", lang),
        message("exp_p_luong", lang),
        message("exp_p_claim_reverse", lang),
        message("exp_p_paper_reverse", lang),
        message("exp_p_ours_reverse", lang),
        message("exp_p_claim_deep", lang),
        message("exp_p_paper_deep", lang),
        message("exp_p_ours_deep", lang),
        message("exp_p_claim_ensemble", lang),
        message("exp_p_paper_ensemble", lang),
        message("exp_p_ours_ensemble", lang),
        message("exp_p_claim_beam", lang),
        message("exp_p_paper_beam", lang),
        message("exp_p_beam", lang),
        message("exp_p_shipped_models", lang),
        message("exp_p_claim_bidirectional", lang),
        message("exp_p_not_in_paper", lang),
        message("exp_p_ours_bidirectional", lang),
        message("exp_p_claim_multitask", lang),
        message("exp_p_ours_multitask", lang),
        message("exp_p_claim_attention", lang),
        message("exp_p_paper_attention", lang),
        message("exp_p_ours_attention", lang),
        message("exp_p_vs", lang),
    ]


@cache
def _table(lang: str) -> tuple[re.Pattern, dict[str, str]]:
    """One pattern matching any English phrase (longest first, whole words only) and its translations."""
    english = _phrases("en")
    translated = dict(zip(english, _phrases(lang)))
    alternatives = "|".join(re.escape(phrase) for phrase in sorted(english, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])"), translated


def localise(value: object, lang: str) -> object:
    """`value` with every phrase of results.json in `lang`; numbers and unknown text as they are."""
    if lang == "en" or not isinstance(value, str):
        return value
    pattern, translated = _table(lang)
    return pattern.sub(lambda match: translated[match.group(0)], value)


def settings_lines(settings: dict, lang: str) -> list[str]:
    """The run's settings as "name: value" lines; the note in `lang` from its template when we have it."""
    names = {
        "epochs_per_run": message("exp_epochs_per_run", lang),
        "hidden_size": message("exp_hidden_size", lang),
        "embedding_size": message("exp_embedding_size", lang),
        "threads_per_run": message("exp_threads_per_run", lang),
        "note": message("exp_note", lang),
    }
    lines = []
    for key, value in settings.items():
        if key == "note" and lang != "en" and {"epochs_per_run", "hidden_size"} <= settings.keys():
            value = message(
                "exp_settings_note", lang, epochs=settings["epochs_per_run"], hidden=settings["hidden_size"]
            )
        lines.append(f"{names.get(key, key)}: {value}")
    return lines
