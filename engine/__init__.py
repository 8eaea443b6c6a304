"""engine: a small NumPy library for worked backprop and optimizer exercises."""
