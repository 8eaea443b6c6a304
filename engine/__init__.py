"""A small NumPy library for worked backprop and optimizer examples.

Modules: ``activations``, ``losses``, ``network`` (forward/backward, batched over exercises),
``optimizers`` (pure step functions), ``exercises`` (seeded generation as JSON-ready dicts).
It never imports studyapp, textual or sympy.
"""
