"""Figures of the notes' ideas and of the labs, drawn with matplotlib.

One module per topic holds the figures of that topic, each a function returning a matplotlib
``Figure``; `studykit.plots.style` gives every figure the same look (readable on the site's
light and dark palettes: transparent background, mid-grey ink, colour-blind-safe colours) and
writes it byte for byte the same for the same numbers (`save`).
"""
