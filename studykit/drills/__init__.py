"""Code drills: students write each concept themselves, and studykit checks it against torch.

Data flows one way, as it does for the questions:

- `studykit.drills.spec` reads a drill file (``drills/<topic>/<id>.yaml``): plain data, its
  code fields kept as text;
- `studykit.drills.stub` writes the file the student starts from;
- `studykit.drills.sandbox` runs a check in a separate, limited process, where
  `studykit.drills.judge` computes the expected values (`studykit.drills.inputs`,
  `studykit.drills.observe`), runs the student's code under `studykit.drills.guard`, shrinks a
  failing case and names the mistake;
- `studykit.drills.report` words the result; `studykit.drills.progress` keeps it and schedules
  reviews; `studykit.drills.verify` proves every drill; `studykit.drills.commands` is the
  ``studykit drill`` command line.

Only `commands`, `spec`, `stub`, `report`, `progress` and `verify` run in the command's own
process, and none of them imports torch or runs a drill's code.
"""
