"""The Model tab: each shipped model's card and training curves."""
