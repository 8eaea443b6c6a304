"""The playground: small networks trained on 2-D toy data, and optimizers raced on test surfaces.

Modules: ``datasets`` (seeded 2-D point sets and their labels), ``surfaces`` (test functions with
analytic gradients), ``race`` (optimizer paths from one start, using ``engine.optimizers``),
``trainer`` (a network trained full-batch or mini-batch, with a log and a decision grid).
NumPy only, like the rest of the engine.
"""
