"""Command line: python -m seq2seq {train,evaluate,translate,bench} …"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import fields

from .training import TrainConfig


def _add_train_options(parser: argparse.ArgumentParser) -> None:
    defaults = {f.name: f.default for f in fields(TrainConfig) if f.name not in ("data", "out")}
    parser.add_argument("--data", required=True, help="path to Tatoeba cmn.txt")
    parser.add_argument("--out", required=True, help="model directory to write")
    parser.add_argument("--direction", choices=["en-zh", "zh-en"], default=defaults.pop("direction"))
    parser.add_argument("--zh-units", choices=["char", "word"], default=defaults.pop("zh_units"))
    for name, default in defaults.items():
        flag = "--" + name.replace("_", "-")
        if isinstance(default, bool):
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=default)
        else:
            parser.add_argument(flag, type=type(default), default=default)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seq2seq", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    _add_train_options(commands.add_parser("train", help="train one direction on the Tatoeba file"))

    p = commands.add_parser("evaluate", help="BLEU/chrF on the test split, greedy and beam 5")
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--split", choices=["test", "valid"], default="test")
    p.add_argument("--beams", type=int, nargs="+", default=[1, 5])

    p = commands.add_parser("translate", help="translate stdin to stdout, one sentence a line")
    p.add_argument("--model", required=True)
    p.add_argument("--beam", type=int, default=1)

    p = commands.add_parser("bench", help="load time, decoding latency and training speed as JSON")
    p.add_argument("--model", required=True)
    p.add_argument("--data", help="Tatoeba file; sentences come from its test split")
    p.add_argument("--sentences", type=int, default=200, help="how many test sentences to time")
    p.add_argument("--threads", type=int, default=1, help="CPU threads for decoding (the app uses 1)")

    p = commands.add_parser("card", help="write the model directory's README.md from its files")
    p.add_argument("--model", required=True)
    p.add_argument("--notes", help="markdown file appended to the card")

    args = parser.parse_args(argv)
    if args.command == "train":
        from .training import train

        options = {k: v for k, v in vars(args).items() if k != "command"}
        train(TrainConfig(**options), log=lambda line: print(line, file=sys.stderr, flush=True))
    elif args.command == "evaluate":
        from .data import splits_of
        from .evaluation import evaluate
        from .pipeline import Translator

        translator = Translator.load(args.model)
        split = getattr(splits_of(args.data, translator.loaded.record), args.split)
        sources = [getattr(p, translator.src_lang) for p in split]
        references = [getattr(p, translator.tgt_lang) for p in split]
        report = {"model": args.model, "split": args.split}
        for beam in args.beams:
            result = evaluate(translator, sources, references, beam)
            result.pop("hypotheses")
            report[f"beam{beam}"] = result
        print(json.dumps(report, indent=1, ensure_ascii=False))
    elif args.command == "translate":
        from .pipeline import Translator

        translator = Translator.load(args.model)
        for line in sys.stdin:
            print(translator.translate_text(line.rstrip("\n"), beam_size=args.beam), flush=True)
    elif args.command == "card":
        from .checkpoint import load_model
        from .modelcard import write_card

        print(write_card(load_model(args.model), args.notes))
    elif args.command == "bench":
        from .bench import run_bench

        print(json.dumps(run_bench(args.model, args.data, args.sentences, args.threads), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
