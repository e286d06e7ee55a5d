"""The benchmarks run and report what they promise (the numbers themselves are printed, not asserted)."""

from __future__ import annotations

import pytest

from demo import bench as app_bench
from seq2seq.bench import decoder_bytes_per_step, run_bench
from seq2seq.pipeline import Translator

from test_shipped_models import MODELS


def test_model_bench_reports_latency_against_the_bandwidth_bound():
    report = run_bench(str(MODELS / "zh-en"))
    translator = Translator.load(MODELS / "zh-en")
    assert report["decoder_weight_bytes_per_step"] == decoder_bytes_per_step(translator)
    assert report["read_bandwidth_gb_s"] > 0 and report["load_seconds_median"] > 0
    for name in ("greedy", "beam5"):
        row = report[name]
        assert row["ms_per_sentence_median"] >= row["ms_per_token_median"] > 0
        ratio = row["ms_per_token_median"] / report["bandwidth_bound_ms_per_token"]
        assert row["ratio_to_bound"] == pytest.approx(ratio, rel=0.02)


def test_app_request_bench_times_a_full_request():
    assert 0 < app_bench.request_seconds(app_bench.TEN_WORD_SENTENCES[0], 5) < 60
