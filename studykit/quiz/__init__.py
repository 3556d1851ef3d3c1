"""The terminal quiz: sessions, progress storage and spaced repetition."""
