"""The Context lab's probes (`seq2seq.probes`) run on the shipped models, after the input checks.

Each `run_*` returns the checked request(s) and the probe's plain-data result; the tab's views and the
named API endpoints share them. Raises service.InputError for bad input.
"""

from __future__ import annotations

from collections.abc import Sequence

from seq2seq.batched import greedy_batch
from seq2seq.study import analysis, probes

from .. import service, validate
from ..validate import MAX_LAB_CHARS, PARTS, indices, option, prepare


def lab_sentence(text: object, direction: object, field: str = "") -> service.Request:
    """A sentence of the lab, checked and cut to MAX_LAB_CHARS: a probe's work and answer grow with it."""
    return prepare(text, direction, field, MAX_LAB_CHARS)


def run_surgery(
    text: str, direction: str, part: str, layers: str, units: str, operation: str, amount: float, seed: float
) -> tuple[service.Request, probes.Surgery]:
    """Edit the context of the sentence and decode again; raises service.InputError."""
    request = lab_sentence(text, direction)
    translator = service.translator(request.direction)
    config = probes.paper_model(translator).config
    selection = probes.Selection(
        parts=PARTS[option(part, list(PARTS), "lab_part")],
        layers=indices(layers, config.num_layers, 1, "lab_error_layers"),
        units=indices(units, config.hidden_size, 0, "lab_error_units"),
    )
    operation = option(operation, probes.OPERATIONS, "lab_operation")
    result = probes.surgery(
        translator, request.text, selection, operation, validate.amount(amount), validate.seed(seed)
    )
    return request, result


def other(direction: str) -> str:
    """The opposite direction: 'en-zh' → 'zh-en'."""
    source, target = direction.split("-")
    return f"{target}-{source}"


def run_interpolation(
    text_a: str, text_b: str, direction: str, alphas: Sequence[float] | None = None
) -> tuple[service.Request, service.Request, probes.Interpolation]:
    """Decode from blends of the contexts of A and B (both read by A's model); raises service.InputError."""
    a = lab_sentence(text_a, direction)
    b = lab_sentence(text_b, a.direction, "lab_text_b")
    result = probes.interpolate(service.translator(a.direction), a.text, b.text, validate.alphas(alphas))
    return a, b, result


def run_occlusion(text: str, direction: str, mode: str) -> tuple[service.Request, probes.Occlusion]:
    """Occlude each source token in turn; raises service.InputError."""
    request = lab_sentence(text, direction)
    mode = option(mode, probes.OCCLUSIONS, "lab_mode")
    return request, probes.occlude(service.translator(request.direction), request.text, mode)


def run_reference(
    text: str, reference: str, direction: str
) -> tuple[service.Request, service.Request, probes.ReferenceView]:
    """Teacher-force the reference; it is checked as a sentence of the target language. Raises service.InputError."""
    request = lab_sentence(text, direction)
    checked = lab_sentence(reference, other(request.direction), "lab_reference")
    return request, checked, probes.reference_view(service.translator(request.direction), request.text, checked.text)


def run_round_trip(text: str, direction: str) -> tuple[service.Request, probes.RoundTrip]:
    """There with the direction's model, back with the other one; raises service.InputError."""
    request = lab_sentence(text, direction)
    there, back = service.translator(request.direction), service.translator(other(request.direction))
    return request, probes.round_trip(there, back, request.text)


def run_neighbours(
    text: str, direction: str, k: int = service.NEIGHBOURS
) -> tuple[service.Request, analysis.Placement]:
    """(request, analysis.Placement) with each neighbour's greedy translation by the model added as
    'model_translation'; raises service.InputError (also when the direction has no sentence space)."""
    request = lab_sentence(text, direction)
    k = max(1, min(validate.MAX_NEIGHBOURS, int(validate.finite(k, "lab_neighbours"))))
    try:
        space = service.sentence_space(request.direction)
    except FileNotFoundError:
        raise service.InputError("space_missing") from None
    translator = service.translator(request.direction)
    placement = analysis.locate(translator, space, request.text, k)
    # One batch for all of them: a third of the time of one by one, and the same greedy outputs
    # (a batch rounds differently only in the 7th digit).
    sources = [translator.source_ids(neighbour["text"])[0] for neighbour in placement.neighbours]
    for neighbour, output in zip(placement.neighbours, greedy_batch(translator.model, sources)):
        neighbour["model_translation"] = translator.detokenize(output)
    return request, placement
