"""Command line: python -m seq2seq {train,evaluate,diversify,translate,bench,counts,card,learners,…} …

An error is one line on stderr, `seq2seq COMMAND: error: WHAT`, naming the file at fault, and exit
status 1 (2 for a usage error, 130 for Ctrl-C); `python -m seq2seq --debug COMMAND …` shows the
traceback instead.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import fields

from .training.loop import TrainConfig


def _add_train_options(parser: argparse.ArgumentParser) -> None:
    defaults = {f.name: f.default for f in fields(TrainConfig) if f.name not in ("data", "out")}
    parser.add_argument("--data", required=True, help="path to Tatoeba cmn.txt")
    parser.add_argument("--out", required=True, help="model directory to write")
    parser.add_argument("--direction", choices=["en-zh", "zh-en", "both"], default=defaults.pop("direction"))
    parser.add_argument("--zh-units", choices=["char", "word"], default=defaults.pop("zh_units"))
    for name, default in defaults.items():
        flag = "--" + name.replace("_", "-")
        if isinstance(default, bool):
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=default)
        else:
            parser.add_argument(flag, type=type(default), default=default)


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _beam(text: str) -> int:
    value = _at_least_one(text)
    if value > 64:
        raise argparse.ArgumentTypeError(f"must be between 1 and 64, got {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m seq2seq", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--debug", action="store_true", help="on an error, show the traceback (give it before COMMAND)")
    commands = parser.add_subparsers(dest="command", required=True)

    _add_train_options(commands.add_parser("train", help="train one direction on the Tatoeba file"))

    p = commands.add_parser("evaluate", help="BLEU/chrF on the test split, greedy and beam 5")
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--split", choices=["test", "valid"], default="test")
    p.add_argument("--beams", type=_beam, nargs="+", default=[1, 5])

    p = commands.add_parser("diversify", help="a model's translations of the training split, as extra training pairs")
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True, help="path to Tatoeba cmn.txt")
    p.add_argument("--beam", type=_beam, default=5)
    p.add_argument("--out", required=True, help="file to write, in cmn.txt's format (for train --synthetic)")

    p = commands.add_parser("translate", help="translate stdin to stdout, one sentence a line")
    p.add_argument("--model", required=True)
    p.add_argument("--beam", type=_beam, default=1)

    p = commands.add_parser("bench", help="load time, decoding latency and training speed as JSON")
    p.add_argument("--model", required=True, nargs="+", help="a model directory, or several: one ensemble")
    p.add_argument("--data", help="Tatoeba file; sentences come from its test split")
    p.add_argument("--sentences", type=_at_least_one, default=200, help="how many test sentences to time")
    p.add_argument("--threads", type=_at_least_one, default=1, help="CPU threads for decoding (the app uses 1)")

    p = commands.add_parser("experiments", help="train the paper's variants and write the results table")
    p.add_argument("--data", required=True, help="path to Tatoeba cmn.txt")
    p.add_argument("--runs", default="experiments/runs", help="directory of the variants' model directories")
    p.add_argument("--out", default="experiments/results", help="writes OUT.json and OUT.md")
    p.add_argument("--epochs", type=_at_least_one, default=8, help="training budget per run")
    p.add_argument("--jobs", type=_at_least_one, default=2, help="runs at the same time, one thread each")
    p.add_argument("--hidden-size", type=_at_least_one, default=128, help="units (and embedding size) of every variant")
    p.add_argument(
        "--stage",
        choices=["train", "score", "all", "sweep"],
        default="all",
        help="sweep: only the shipped models' beam sizes again (after they changed)",
    )
    p.add_argument(
        "--shipped",
        nargs=2,
        default=["assets/models/en-zh", "assets/models/zh-en"],
        metavar=("EN_ZH", "ZH_EN"),
        help="models for the beam-size sweep",
    )

    p = commands.add_parser("counts", help="write source_counts.json: training pairs containing each source token")
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True, help="the Tatoeba file the model was trained on")

    p = commands.add_parser("average", help="average a run's last epochs, chosen by validation BLEU")
    p.add_argument("--run", required=True, help="a training run's model directory (with resume/epoch-N files)")
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True, help="model directory to write the averaged model to")

    p = commands.add_parser("card", help="write the model directory's README.md from its files")
    p.add_argument("--model", required=True)
    p.add_argument("--notes", help="markdown file appended to the card")

    p = commands.add_parser("sentence-space", help="index training sentences' context vectors for a model")
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True, help="directory to write, e.g. assets/sentence_space/en-zh")
    p.add_argument("--size", type=_at_least_one, default=3000, help="how many distinct training sentences")
    p.add_argument("--seed", type=int, default=0)

    p = commands.add_parser("figure3", help="BLEU by source length and word rarity (the paper's Figure 3) as JSON")
    p.add_argument("--data", required=True)
    p.add_argument("--models", nargs="+", required=True, help="model directories")
    p.add_argument("--out", required=True, help="JSON file to write, e.g. assets/analysis/figure3.json")
    p.add_argument("--beams", type=_beam, nargs="+", default=[1, 5])

    p = commands.add_parser("learners", help="the learner's evaluation set: how many come out exactly right")
    p.add_argument("--model", required=True)
    p.add_argument("--data", help="Tatoeba file: says which sentences are in the model's training split")
    p.add_argument(
        "--set", help="the set's JSON file (default: experiments/learner_set.json; or experiments/first_words.json)"
    )
    p.add_argument("--beam", type=_beam, default=5)
    p.add_argument("--json", help="also write the per-sentence results and counts to this JSON file")

    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args, argv)
    except KeyboardInterrupt:
        if args.debug:
            raise
        return 130
    except BrokenPipeError:
        # The reader went away (`… | head`): nothing left to tell it. Point stdout at devnull so
        # that the interpreter's own flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:
        if args.debug:
            raise
        print(f"seq2seq {args.command}: error: {_describe(error)}", file=sys.stderr, flush=True)
        return 1


def _describe(error: Exception) -> str:
    """One line that says what is wrong. The library's own errors (CheckpointError, the ValueErrors
    of data.py, learner_set.py …) name their file; an OSError names its own; anything else is
    unexpected and says which exception it was."""
    from .checkpoint import CheckpointError

    if isinstance(error, OSError) and error.filename is not None:
        files = " -> ".join(str(name) for name in (error.filename, error.filename2) if name is not None)
        message = f"{files}: {error.strerror or error}"
        if isinstance(error, FileExistsError):  # what mkdir says of a file where a directory should go
            message += " and is not a directory"
    elif isinstance(error, UnicodeDecodeError):
        message = f"not UTF-8 text ({error.reason} at byte {error.start})"
    elif isinstance(error, (CheckpointError, OSError, ValueError)):
        message = str(error)
    else:
        message = f"{type(error).__name__}: {error}"
    return " ".join(message.split()) or type(error).__name__


def _stdin_lines() -> Iterator[str]:
    """stdin's lines without their line ends. Bytes that are not UTF-8 become U+FFFD, so that one
    bad line is translated as best it can be instead of ending the run; only "\n" ends a line."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # stdin replaced by a text stream (a test)
        yield from (line.removesuffix("\n") for line in sys.stdin)
        return
    for raw in buffer:
        yield raw.decode("utf-8", errors="replace").removesuffix("\n").removesuffix("\r")


def _print_line(text: str) -> None:
    """One line to stdout as UTF-8 whatever the locale, flushed (a pipe reader waits for it)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        print(text, flush=True)
        return
    buffer.write(text.encode("utf-8", errors="replace") + b"\n")
    buffer.flush()


def _run(args: argparse.Namespace, argv: list[str] | None) -> int:
    if args.command == "train":
        from .training.loop import train

        options = {k: v for k, v in vars(args).items() if k not in ("command", "debug")}
        train(TrainConfig(**options), log=lambda line: print(line, file=sys.stderr, flush=True))
    elif args.command == "evaluate":
        from .data import sides, splits_of
        from .pipeline import Translator
        from .training.evaluation import evaluate

        translator = Translator.load(args.model)
        split = getattr(splits_of(args.data, translator.loaded.record), args.split)
        sources, references = sides(split, translator.text_config.direction)
        report = {"model": args.model, "split": args.split}
        for beam in args.beams:
            result = evaluate(translator, sources, references, beam)
            result.pop("hypotheses")
            report[f"beam{beam}"] = result
        print(json.dumps(report, indent=1, ensure_ascii=False))
    elif args.command == "diversify":
        from .data import splits_of
        from .pipeline import Translator
        from .training.diversify import synthetic_pairs, write_pairs

        translator = Translator.load(args.model)
        pairs = synthetic_pairs(translator, splits_of(args.data, translator.loaded.record).train, args.beam)
        write_pairs(args.out, pairs)
        print(f"{len(pairs)} pairs → {args.out}", file=sys.stderr)
    elif args.command == "translate":
        from .pipeline import Translator

        translator = Translator.load(args.model)
        if not args.debug:
            # Ctrl-C ends this line filter at once, wherever it lands: every answer has gone out flushed,
            # and a KeyboardInterrupt raised inside a buffered read or during interpreter shutdown could
            # otherwise exit 0 with a traceback on stderr, or stall the exit (seen once in 3 CI runs).
            signal.signal(signal.SIGINT, lambda *_: os._exit(130))
        for line in _stdin_lines():
            # One line out per line in; '' for a line with nothing visible on it.
            _print_line(translator.translate_text(line, beam_size=args.beam))
    elif args.command == "experiments":
        from .study.experiments import run_experiments

        run_experiments(args, log=lambda line: print(line, file=sys.stderr, flush=True))
    elif args.command == "counts":
        from .checkpoint import load_model
        from .data import sides, splits_of
        from .diagnosis import count_pairs_containing, counted_tokens, counting_units, write_counts

        loaded = load_model(args.model)
        sources = sides(splits_of(args.data, loaded.record).train, loaded.text.direction)[0]
        counted = [counted_tokens(s, loaded.text) for s in sources]
        print(write_counts(args.model, count_pairs_containing(counted), len(counted), counting_units(loaded.text)))
    elif args.command == "average":
        from .training.averaging import average_run

        log = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
        print(json.dumps(average_run(args.run, args.data, args.out, log), indent=1))
    elif args.command == "card":
        from .checkpoint import load_model
        from .study.modelcard import write_card

        print(write_card(load_model(args.model), args.notes))
    elif args.command == "bench":
        from .study.bench import run_bench

        print(
            json.dumps(
                run_bench(
                    args.model[0] if len(args.model) == 1 else args.model, args.data, args.sentences, args.threads
                ),
                indent=1,
            )
        )
    elif args.command in ("sentence-space", "figure3"):
        _analysis(args, argv)
    elif args.command == "learners":
        _learners(args)
    return 0


def _analysis(args: argparse.Namespace, argv: list[str] | None) -> None:
    """The sentence-space and figure3 commands, one decoding thread each (the app's setting)."""
    import shlex
    import time
    from pathlib import Path

    from .pipeline import Translator, set_inference_threads
    from .study import analysis

    set_inference_threads(1)
    command = shlex.join(["python", "-m", "seq2seq", *(sys.argv[1:] if argv is None else argv)])
    if args.command == "sentence-space":
        started = time.perf_counter()
        space = analysis.sentence_space_for(Translator.load(args.model), args.data, args.size, args.seed)
        space.info["command"] = command
        paths = analysis.save_sentence_space(space, args.out)
        sizes = ", ".join(f"{path} {path.stat().st_size / 1e6:.1f} MB" for path in paths)
        print(f"{len(space)} sentences in {time.perf_counter() - started:.1f} s: {sizes}", file=sys.stderr)
    else:
        log = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
        report = {"command": command, **analysis.figure3(args.data, args.models, args.beams, log)}
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _learners(args: argparse.Namespace) -> None:
    """The learners command: one line per sentence, then the exact count (a benchmark, no threshold)."""
    from pathlib import Path

    from .data import splits_of
    from .pipeline import Translator, set_inference_threads
    from .study import learner_set

    set_inference_threads(1)
    translator = Translator.load(args.model)
    items = learner_set.load_set(args.set or learner_set.SET_PATH)[translator.text_config.direction]
    splits = splits_of(args.data, translator.loaded.record) if args.data else None
    result = learner_set.score(translator, items, args.beam, splits)
    print("\n".join(learner_set.report_lines(result)), flush=True)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
