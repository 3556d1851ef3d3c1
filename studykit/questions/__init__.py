r"""The question engine: templates → seeded parameters → reference implementation → answer key.

Each answer key comes with a worked solution; this package parses and checks answers: `answers`
turns what a student typed into a value (a number, a tensor as nested lists, a shape, a choice
letter or a small expression tree) with a hand-written parser that never calls `eval`, and
`checking` compares that value with the answer key within a tolerance (허용 오차), reporting a
wrong shape first, then the wrong entries, then any recognised misconception (오개념); neither
imports torch, so the terminal quiz can show its first question before torch is loaded.
"""
