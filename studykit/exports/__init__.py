"""Exports for teachers and flashcard users (내보내기): the bank's variants in other tools' formats.

Every format reads the same list of `studykit.exports.items.ExportItem`: one solved variant in
one language, with its Markdown texts, its key and the half-width each numeric entry accepts.
The data flows one way::

    templates --seeds--> variants --solve--> ExportItem --format--> Moodle XML, GIFT, QTI,
                                                                    Anki deck, worksheet

`studykit export FORMAT ...` (`studykit.exports.commands`) writes one file; the same command
gives the same bytes.
"""
