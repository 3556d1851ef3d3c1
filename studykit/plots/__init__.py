"""Figures of the notes' ideas and of the labs, drawn with matplotlib.

One module per topic holds the figures of that topic, each a function returning a matplotlib
``Figure``; `studykit.plots.style` gives every figure the same look (readable on the site's
light and dark palettes: transparent background, mid-grey ink, colour-blind-safe colours) and
writes it byte for byte the same for the same numbers (`save`).

Every figure is drawn in the reader's language: its function takes ``language`` (``"en"`` or
``"ko"``) and writes its words through `studykit.plots.labels` (loss → 손실, epoch → 에포크,
validation accuracy → 검증 정확도), with the Hangul from a small vendored font
(``plots/fonts``), so a Korean figure needs no system font and no download.
"""
