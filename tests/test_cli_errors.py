"""`python -m seq2seq` on what goes wrong, run as a user runs it: missing, corrupt, mismatched and
non-finite model directories, and data, notes and set files that are missing or malformed, give one
line on stderr that names the file, no traceback (unless --debug), and a non-zero exit status; the
translate command survives input that is not UTF-8 and gives '' for lines with nothing visible.

Each case runs through `main(argv)` in this process; a few run the real command in a subprocess, for what
only a process shows: its exit status and streams, answers flushed line by line, Ctrl-C."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from seq2seq.checkpoint import CheckpointError, build_model, save_model
from seq2seq.model import Seq2SeqConfig
from seq2seq.pipeline import Translator
from seq2seq.text import TextConfig
from seq2seq.vocabulary import Vocabulary

from helpers import ROOT, Outcome, number_pairs, run_main, write_tatoeba

MODELS = ROOT / "assets" / "models"
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONUNBUFFERED": ""}  # the command must flush by itself


def command(*args: object) -> list[str]:
    return [sys.executable, "-m", "seq2seq", *map(str, args)]


def run(*args: object, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run(command(*args), input=stdin, capture_output=True, cwd=ROOT, timeout=120, env=ENV)


# --- model directories: a tiny saved model, then one thing broken in each copy ----------------------------


def _json(name: str, data: object) -> Callable[[Path], None]:
    return lambda d: (d / name).write_text(json.dumps(data), encoding="utf-8")


def _edit_config(**changes) -> Callable[[Path], None]:
    def edit(d: Path) -> None:
        config = json.loads((d / "config.json").read_text(encoding="utf-8"))
        (d / "config.json").write_text(json.dumps({**config, **changes}), encoding="utf-8")

    return edit


def _truncate(d: Path) -> None:
    data = (d / "model.safetensors").read_bytes()
    (d / "model.safetensors").write_bytes(data[: len(data) // 2])


def _poison(value: float) -> Callable[[Path], None]:
    def poison(d: Path) -> None:
        weights = load_file(d / "model.safetensors")
        weights["encoder.lstm.weight_hh_l0"][3, 1] = value
        save_file(weights, d / "model.safetensors")

    return poison


def _rm(name: str) -> Callable[[Path], None]:
    return lambda d: (d / name).unlink()


# name: (how to break the copy, the file the message must name, what it must say)
BROKEN = {
    "missing weights": (_rm("model.safetensors"), "", "is missing model.safetensors"),
    "missing vocabulary": (_rm("tgt_vocab.json"), "", "is missing tgt_vocab.json"),
    "config not JSON": (lambda d: (d / "config.json").write_text("{ not json"), "config.json", "not valid JSON"),
    "config null": (_json("config.json", None), "config.json", "expected a JSON object, found null"),
    "config wrong type": (_edit_config(hidden_size="8"), "config.json", "hidden_size must be int"),
    "text bad direction": (_json("text.json", {"src_lang": "en", "tgt_lang": "fr"}), "text.json", "en-fr"),
    "vocabulary not UTF-8": (lambda d: (d / "src_vocab.json").write_bytes(b"\xff\xfe{"), "src_vocab.json", "UTF-8"),
    "vocabulary of numbers": (_json("src_vocab.json", {"tokens": list(range(12))}), "src_vocab.json", "strings"),
    "weights garbage": (
        lambda d: (d / "model.safetensors").write_bytes(b"not weights"),
        "model.safetensors",
        "corrupt",
    ),
    "weights truncated": (_truncate, "model.safetensors", "corrupt"),
    "vocabulary size mismatch": (_edit_config(tgt_vocab_size=99), "tgt_vocab.json", "config.json says 99"),
    "shape mismatch": (_edit_config(hidden_size=16, embedding_size=16), "model.safetensors", "has shape"),
    "NaN weights": (_poison(float("nan")), "model.safetensors", "encoder.lstm.weight_hh_l0 has 1 non-finite"),
    "infinite weights": (_poison(float("-inf")), "model.safetensors", "non-finite"),
    "training record not JSON": (lambda d: (d / "training.json").write_text("nope"), "training.json", "not valid JSON"),
    "counts without counts": (_json("source_counts.json", {}), "source_counts.json", "no 'counts'"),
    "truecase a list": (_json("truecase.json", ["a"]), "truecase.json", "found an array"),
}
SMALL_SPLIT = {"train_config": {"valid_size": 20, "test_size": 20}}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """A tiny saved model, a broken copy of it for each of BROKEN, and data files good and bad."""
    root = tmp_path_factory.mktemp("cli_errors")
    torch.manual_seed(0)
    vocab = Vocabulary(list("abcdefgh"))
    model = build_model(Seq2SeqConfig(12, 12, embedding_size=8, hidden_size=8, num_layers=1, dropout=0.0))
    good = save_model(root / "good", model, TextConfig("en", "zh"), vocab, vocab, record=SMALL_SPLIT)
    other = save_model(root / "zh-en", model, TextConfig("zh", "en"), vocab, vocab, record=SMALL_SPLIT)
    paths = {"good": good, "zh-en": other}
    for number, (name, (breaks, _, _)) in enumerate(BROKEN.items()):
        copy = root / f"broken-{number}"
        copy.mkdir()
        for item in good.iterdir():
            (copy / item.name).write_bytes(item.read_bytes())
        breaks(copy)
        paths[name] = copy
    paths["data"] = write_tatoeba(root / "cmn.txt", number_pairs(300))
    paths["too small"] = write_tatoeba(root / "small.txt", number_pairs(5))
    (root / "columns.txt").write_text("one column only\n", encoding="utf-8")
    (root / "latin1.txt").write_bytes("Tea.\t茶。\tCC\n".encode() + b"Caf\xe9.\t\xbf\tCC\n")
    (root / "set.json").write_text("{ not json", encoding="utf-8")
    (root / "a-file").write_text("not a directory\n", encoding="utf-8")
    paths |= {name: root / name for name in ("columns.txt", "latin1.txt", "set.json", "a-file")}
    paths["nowhere"], paths["fresh"] = root / "nowhere", root / "fresh"
    return paths


# name: (arguments, {placeholder: file}, the path the message must name, what it must say, exit status)
COMMANDS = {
    "model directory missing": (["translate", "--model", "nowhere"], "nowhere", "does not exist", 1),
    "model directory a file": (["translate", "--model", "a-file"], "a-file", "not a directory", 1),
    "data missing": (["evaluate", "--model", "good", "--data", "nowhere"], "nowhere", "No such file", 1),
    "data not Tatoeba": (["evaluate", "--model", "good", "--data", "columns.txt"], "columns.txt:1:", "expected", 1),
    "data not UTF-8": (["counts", "--model", "good", "--data", "latin1.txt"], "latin1.txt:2:", "not UTF-8", 1),
    "data too small": (["evaluate", "--model", "good", "--data", "too small"], "too small", "split", 1),
    "train data missing": (["train", "--data", "nowhere", "--out", "fresh"], "nowhere", "No such file", 1),
    "train out a file": (["train", "--data", "data", "--out", "a-file"], "a-file", "not a model directory", 1),
    "notes missing": (["card", "--model", "good", "--notes", "nowhere"], "nowhere", "No such file", 1),
    "set not JSON": (["learners", "--model", "good", "--set", "set.json"], "set.json", "not valid JSON", 1),
    "not a training run": (["average", "--run", "good", "--data", "data", "--out", "nowhere"], "good", "epochs", 1),
    "ensemble mismatch": (["bench", "--model", "good", "zh-en", "--sentences", "1"], "zh-en", "does not share", 1),
    "bad beam": (["translate", "--model", "good", "--beam", "0"], "", "argument --beam: must be at least 1", 2),
}


def case_of(files: dict[str, Path], name: str) -> tuple[list[object], str, str, int]:
    """(arguments, the path the message must name, what it must say, exit status) of a case of BROKEN
    (translate on the broken copy) or COMMANDS."""
    if name in BROKEN:
        _, file, says = BROKEN[name]
        return ["translate", "--model", files[name]], str(files[name] / file), says, 1
    args, where, says, status = COMMANDS[name]
    stem = where.split(":")[0]
    named = str(files[stem]) + where[len(stem) :] if stem else ""
    return [files.get(arg, arg) for arg in args], named, says, status


def check_error(result: Outcome, command: str, named: str, says: str, status: int) -> None:
    """Exit status `status`, nothing on stdout, and on stderr one line naming the file, no traceback."""
    assert result.status == status, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    if status == 2:  # argparse's usage error: usage, then the error
        assert says in result.stderr.splitlines()[-1]
        return
    [line] = result.stderr.splitlines()
    assert line.startswith(f"seq2seq {command}: error: ")
    assert named in line and says in line, line


@pytest.mark.parametrize("case", [*BROKEN, *COMMANDS])
def test_an_error_is_one_line_naming_the_file(files, case):
    args, named, says, status = case_of(files, case)
    check_error(run_main(*args, stdin=b"abc\n"), str(args[0]), named, says, status)


def test_the_real_command_exits_with_one_line_on_stderr(files):
    """The same contract from the command itself: its exit status and its two streams."""
    args, named, says, status = case_of(files, "NaN weights")
    result = run(*args, stdin=b"abc\n")
    outcome = Outcome(result.returncode, result.stdout.decode(), result.stderr.decode())
    check_error(outcome, str(args[0]), named, says, status)


def test_debug_lets_the_error_through_for_its_traceback(files):
    with pytest.raises(CheckpointError, match="non-finite"):
        run_main("--debug", "translate", "--model", files["NaN weights"])


# --- translate: what comes in on stdin ---------------------------------------------------------------------

INVISIBLE = [b"", b" \t ", b"\x00", b"\x00\x00\x00", "\u200b\u200c\u200d\ufeff".encode(), "\x00 \u200b\u2060".encode()]


def expected_lines(direction: str, lines: list[bytes], beam: int = 1) -> list[str]:
    """What the translate command should print: the translation of each line (without a CR before its
    line end) as decoded with U+FFFD for bytes that are not UTF-8, and '' for a line with nothing visible."""
    translator = Translator.load(MODELS / direction)
    texts = [line.decode("utf-8", errors="replace").removesuffix("\r") for line in lines]
    return [translator.translate_text(text, beam_size=beam) for text in texts]


def test_translate_keeps_one_line_per_line_through_bad_bytes_and_invisible_lines():
    lines = [
        "我喜欢茶。".encode(),
        "我".encode() + b"\xff" + "喜欢茶。".encode() + b"\xfe",  # not UTF-8: replaced, not fatal
        "我\u200b喜欢\u200d茶。".encode(),  # zero-width characters inside a sentence are dropped
        *INVISIBLE,
        "\ufffd".encode(),  # a real U+FFFD
        b"\xe6\x88\x91\xe5\x96",  # a character cut short
        "车站在哪里？\r".encode(),  # a CRLF line end
        "明天要下雨了。".encode(),
        "他是我的朋友。".encode(),  # the last line, with no line end
    ]
    result = run_main("translate", "--model", MODELS / "zh-en", "--beam", 2, stdin=b"\n".join(lines))
    assert result.status == 0 and result.stderr == "", result.stderr
    printed = result.stdout.split("\n")
    assert printed[-1] == "" and len(printed) == len(lines) + 1
    printed = printed[:-1]
    assert printed == expected_lines("zh-en", lines, beam=2)
    assert printed[0] and printed[1] and printed[2] == printed[0]  # the bad line did not stop the rest
    for number, line in enumerate(lines):
        if line in INVISIBLE:
            assert printed[number] == ""
        else:
            assert printed[number] != "", line


def test_translate_answers_each_line_as_it_comes_and_stops_quietly_on_ctrl_c():
    """A line in, its translation out before the next line is sent (flushed per line); Ctrl-C: status 130,
    nothing on stderr."""
    lines = [b"I like tea.", b"\xff\xfe", b"\x00\xe2\x80\x8b", b"Where is the station?"]
    expected = expected_lines("en-zh", lines)
    process = subprocess.Popen(
        command("translate", "--model", MODELS / "en-zh"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=ENV,
    )
    try:
        for line, translation in zip(lines, expected):
            process.stdin.write(line + b"\n")
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], 60)
            assert ready, f"no answer to {line!r} while stdin is still open"
            assert process.stdout.readline().decode("utf-8") == translation + "\n"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 130
        assert process.stderr.read() == b""
    finally:
        process.kill()
        process.wait()
    assert expected[0] and expected[1] and expected[2] == "" and expected[3]
