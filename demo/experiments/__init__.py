"""The Experiments tab: the paper's claims beside our measurements, its Figures 2 and 3."""
