"""Text in, translation and trace out: the glue between `text`, the vocabularies and `search`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .checkpoint import CheckpointError, LoadedModel, load_model
from .diagnosis import Diagnosis, diagnose, length_limit, words_of
from .ensemble import Ensemble
from .search import forced, translate
from .text import detokenize, has_visible, normalize, other_script, tokenize_normalized
from .trace import Trace
from .vocabulary import UNK_ID

MAX_INPUT_TOKENS = 100  # longer input is cut here; training sentences have at most ~50


def set_inference_threads(threads: int) -> None:
    """CPU threads for decoding. One is fastest for batch-1 steps this small, and leaves
    the other cores to concurrent requests (measured in `demo/bench.py`)."""
    import torch

    torch.set_num_threads(max(1, threads))


@dataclass
class Source:
    """A sentence as a model reads it: normalised once, tokenised once."""

    text: str  # after normalisation (Simplified Chinese, NFKC, single spaces)
    tokens: list[str]  # as written (case kept), at most MAX_INPUT_TOKENS
    ids: list[int]  # what the encoder is given (a multi-task model's target token first)
    truncated: bool  # True when the input had more than MAX_INPUT_TOKENS tokens
    converted: bool  # True when normalisation changed the input (e.g. Traditional → Simplified)


@dataclass
class Copy:
    """Where the model wrote <unk> (a word outside its target vocabulary): the translation shows the
    source word it most likely stands for instead, marked ⟨word⟩, or ⟨?⟩ when there is none. Without
    attention nothing says which source word an <unk> stands for; we take the unknown source words in
    the order they were written, one per run of <unk>, which is right for names and numbers, the
    usual cause."""

    steps: list[int]  # the decoder steps t (1-based) of one run of <unk>
    source: str  # the source word copied, as written; "" when the source had no unknown word left
    shown: str  # what the translation shows in their place


UNK_MARK = "⟨{}⟩"  # a copied or missing word in a translation: never the literal <unk>


def copies_of(output_ids: list[int], unknown_source: list[str]) -> list[Copy]:
    """One `Copy` per run of <unk> in `output_ids`, matched in order to the unknown source words."""
    runs: list[list[int]] = []
    for t, token_id in enumerate(output_ids, start=1):
        if token_id != UNK_ID:
            continue
        if runs and runs[-1][-1] == t - 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    copies = []
    for number, steps in enumerate(runs):
        source = unknown_source[number] if number < len(unknown_source) else ""
        copies.append(Copy(steps, source, UNK_MARK.format(source or "?")))
    return copies


def unknown_phrases(tokens: list[str], unknown: list[bool]) -> list[str]:
    """Runs of adjacent unknown source tokens as one phrase each ("New York", not "New" and "York"):
    what one run of <unk> in the output most likely stands for."""
    phrases: list[str] = []
    previous = False
    for token, is_unknown in zip(tokens, unknown):
        if is_unknown and previous:
            space = " " if phrases[-1][-1:].isascii() and token[:1].isascii() else ""
            phrases[-1] += space + token
        elif is_unknown:
            phrases.append(token)
        previous = is_unknown
    return phrases


@dataclass
class Translation:
    text: str  # the translation, detokenised
    source: str  # the input after normalisation (Simplified Chinese, NFKC)
    converted: bool  # True when normalisation changed the input (e.g. Traditional → Simplified)
    truncated: bool  # True when the input had more than MAX_INPUT_TOKENS tokens
    unknown: list[str]  # source tokens the model has never seen (shown as <unk>)
    trace: Trace
    diagnosis: Diagnosis | None = None  # why it may be wrong: rare words, length, uncertain steps
    written: list[str] = field(default_factory=list)  # the source tokens as the user wrote them (case kept)
    copies: list[Copy] = field(default_factory=list)  # each run of <unk> in the output, and what is shown
    unknown_phrases: list[str] = field(default_factory=list)  # runs of unknown source words, what copies copy
    other_script: list[str] = field(default_factory=list)  # parts in the other language's script, not read

    def to_dict(self) -> dict:
        return asdict(self)


class Translator:
    """A loaded model directory, ready to translate sentences of its source language."""

    def __init__(self, loaded: LoadedModel):
        self.loaded = loaded
        self.model = loaded.model
        self.text_config = loaded.text
        self.src_vocab, self.tgt_vocab = loaded.src_vocab, loaded.tgt_vocab
        self.length_limit = length_limit(loaded.record)  # read once from training.json, not per sentence

    @classmethod
    def load(cls, directory: str | Path) -> Translator:
        return cls(load_model(directory))

    @classmethod
    def ensemble(cls, directories: list[str | Path]) -> Translator:
        """Several model directories of one direction, decoding as one `Ensemble`."""
        loaded = [load_model(d) for d in directories]
        first = loaded[0]
        shared = lambda item: (item.src_vocab.idx2word, item.tgt_vocab.idx2word, item.text)  # noqa: E731
        for other in loaded[1:]:
            if shared(other) != shared(first):
                raise CheckpointError(
                    f"{other.directory} does not share {first.directory}'s text settings and vocabularies"
                )
        members = Ensemble([item.model for item in loaded]).eval()
        return cls(replace(first, model=members, record={"members": [str(item.directory) for item in loaded]}))

    def for_direction(self, direction: str) -> Translator:
        """The same multi-task model asked for the other direction (its target token changes)."""
        if direction == self.text_config.direction:
            return self
        if not self.text_config.target_token:
            raise ValueError(f"{self.loaded.directory} translates {self.text_config.direction} only")
        src, tgt = direction.split("-")
        return Translator(replace(self.loaded, text=replace(self.text_config, src_lang=src, tgt_lang=tgt)))

    @property
    def src_lang(self) -> str:
        return self.text_config.src_lang

    @property
    def tgt_lang(self) -> str:
        return self.text_config.tgt_lang

    @property
    def _lowercase(self) -> bool:
        """Whether the model reads its source lowercased."""
        return self.src_lang == "en" and self.text_config.en_lowercase

    def read(self, text: str) -> Source:
        """Normalise and tokenise `text` once; everything a translation needs of its source."""
        normalized = normalize(text, self.src_lang)
        cased = tokenize_normalized(normalized, self.src_lang, replace(self.text_config, en_lowercase=False))
        tokens = [t.lower() for t in cased] if self._lowercase else cased
        ids = self.src_vocab.encode(tokens[:MAX_INPUT_TOKENS])
        if self.text_config.target_token:
            ids = [self.src_vocab.word2idx[self.text_config.target_tag], *ids]
        converted = normalized != " ".join(text.split())
        return Source(normalized, cased[:MAX_INPUT_TOKENS], ids, len(tokens) > MAX_INPUT_TOKENS, converted)

    def source_ids(self, text: str) -> tuple[list[int], bool]:
        """Token ids of `text` and whether it had to be truncated."""
        source = self.read(text)
        return source.ids, source.truncated

    def detokenize(self, ids: list[int], unknown_source: list[str] | None = None) -> str:
        """The translation as shown: each run of <unk> replaced by its `Copy` (never the literal <unk>)."""
        return self._shown(ids, copies_of(ids, unknown_source or []))

    def _shown(self, ids: list[int], copies: list[Copy]) -> str:
        """`ids` detokenised with each copy in place of its run of <unk>."""
        tokens = self.tgt_vocab.decode(ids)
        for copy in copies:
            tokens[copy.steps[0] - 1] = copy.shown
            for t in copy.steps[1:]:
                tokens[t - 1] = ""
        return self._join([token for token in tokens if token])

    def scored_text(self, ids: list[int]) -> str:
        """The translation as BLEU scores it: <unk> kept as the model wrote it, as in every reported number."""
        return self._join(self.tgt_vocab.decode(ids))

    def _join(self, tokens: list[str]) -> str:
        return detokenize(tokens, self.tgt_lang, self.loaded.truecase if self.text_config.en_lowercase else None)

    def _result(self, source: Source, trace: Trace) -> Translation:
        trace.label(self.src_vocab, self.tgt_vocab)
        # Report unknown words as the user wrote them (the model may have read them lowercased).
        read = source.ids[1:] if self.text_config.target_token else source.ids
        unknown = [t for t, i in zip(source.tokens, read) if i == UNK_ID]
        phrases = unknown_phrases(source.tokens, [i == UNK_ID for i in read])
        copies = copies_of(trace.output_ids, phrases)
        unread = [part for part in other_script(source.text, self.src_lang) if any(w in unknown for w in part.split())]
        return Translation(
            text=self._shown(trace.output_ids, copies),
            source=source.text,
            converted=source.converted,
            truncated=source.truncated,
            unknown=unknown,
            trace=trace,
            diagnosis=self._diagnose(source, trace, read),
            written=list(source.tokens),
            copies=copies,
            unknown_phrases=phrases,
            other_script=unread,
        )

    def _diagnose(self, source: Source, trace: Trace, read: list[int]) -> Diagnosis:
        """Each token the encoder read, as written, with its training count and whether it was <unk>;
        for Chinese, the jieba word each character belongs to."""
        keys = [t.lower() for t in source.tokens] if self._lowercase else list(source.tokens)
        unknown = [i == UNK_ID for i in read]
        words = words_of(source.text, source.tokens) if self.src_lang == "zh" else None
        counts = self.loaded.source_counts
        return diagnose(source.tokens, keys, unknown, trace, counts, self.length_limit, words)

    def translate(
        self, text: str | Source, beam_size: int = 1, max_length: int | None = None, top_k: int = 10, **options
    ) -> Translation:
        """Translate one sentence (text, or a `Source` already read), with its trace; an empty one
        decodes from `<eos>` alone."""
        source = text if isinstance(text, Source) else self.read(text)
        trace = translate(self.model, source.ids, beam_size, max_length, top_k, **options)
        return self._result(source, trace)

    def what_if(
        self,
        text: str | Source,
        prefix_ids: list[int],
        max_length: int | None = None,
        top_k: int = 10,
        keep_distributions: bool = False,
        record_maths: bool = False,
    ) -> Translation:
        """Force the output to start with `prefix_ids`, then continue greedily."""
        source = text if isinstance(text, Source) else self.read(text)
        trace = forced(
            self.model, source.ids, prefix_ids, max_length, top_k, keep_distributions, record_maths=record_maths
        )
        return self._result(source, trace)

    def translate_text(self, text: str, beam_size: int = 1) -> str:
        """Just the translation string: '' for input with no visible character (empty, whitespace,
        control or zero-width characters only), which the model would otherwise decode from `<eos>`
        alone into a sentence nobody wrote."""
        source = self.read(text)
        if not has_visible(source.text):
            return ""
        return self.translate(source, beam_size=beam_size, top_k=1).text
