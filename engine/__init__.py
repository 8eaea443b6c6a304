"""A small NumPy library for worked backprop and optimizer examples.

Modules: ``activations``, ``losses``, ``network`` (forward/backward, batched over exercises),
``optimizers`` (pure step functions), ``exercises`` (seeded generation as JSON-ready dicts),
``playground`` (toy 2-D data sets, a trainer that keeps its own buffers, the optimizer race).
It never imports studyapp, textual or sympy.
"""
