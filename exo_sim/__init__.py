"""Neuromusculoskeletal simulation of a person wearing the hip exo, and learning on it."""
