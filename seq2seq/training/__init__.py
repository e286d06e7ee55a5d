"""Making models: the training loop, its resumable state, checkpoint averaging and evaluation."""
