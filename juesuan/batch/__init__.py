"""Many documents at once: parse, check and store them in parallel, bounded and resumable.

:mod:`.supervise` runs one function over many inputs in worker processes (each input bounded in
time and memory, one bad input never stopping the run); :mod:`.run` is ``juesuan batch``'s
engine on top of it and of the store.
"""
