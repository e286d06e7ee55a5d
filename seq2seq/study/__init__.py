"""Looking at trained models: the paper's experiments and figures, the context vector's probes, model cards,
the learner's set and benchmarks. Built on the core one level up; nothing in the core imports it."""
