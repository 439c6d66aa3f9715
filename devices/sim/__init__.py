"""Simulator twins of every device: the demo, the tour and the tests use them."""
