"""Recursive "why?" threads: a thread (its comments as data) in, the next reply out.

The core here is pure: no I/O, no clock, no environment.

- `data`: the values (comments, thread, state, limits, reply)
- `intents`: what a message asks for (why, simpler, example, got it, ...)
- `markers`: the hidden state markers in comment bodies
- `state`: a thread's state rebuilt from its markers
- `descent`: which layer of the principle graph comes next
- `reply`: `next_reply`, the one entry point
- `texts`, `tutor`: the words of a reply, from the graph or from the model
- `guards`: who gets an answer, and the model-reply quota
- `settings`: the guard rails, read from an environment mapping

The edges that gather a thread and act on the reply are the App's thread route
(`reviewbot.app.threads`, also run by the Action) and the terminal loop
(`reviewbot.interactive`). Importing this package imports nothing.
"""
