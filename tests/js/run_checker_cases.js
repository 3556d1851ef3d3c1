// Runs the browser's answer checker on the parity table of tests/js_cases.py (built and
// compared by tests/test_js_checker.py).
//
//   node tests/js/run_checker_cases.js CHECKER INPUT OUTPUT
//
// INPUT (JSON): {"cases": [{"text", "key", "misconceptions", "kind", "variables"}, ...],
// "floats": [...], "unicode": true|false}. OUTPUT (JSON): {"results": [...], "formats": [...],
// "constants": {...}, "unicode": {...}}: one result per case (the check() verdict, or the
// message of what it threw, and what parseAnswer() gave), [pyRepr(x), pyG(x)] per float, the
// port's limits and character sets, and its Unicode tables.
'use strict';

const fs = require('fs');

const [checkerPath, inputPath, outputPath] = process.argv.slice(2);
const checker = require(checkerPath);
const input = JSON.parse(fs.readFileSync(inputPath, 'utf8'));

function run(testCase) {
  const out = {};
  try {
    out.verdict = checker.check(testCase.text, testCase.key, testCase.misconceptions);
  } catch (error) {
    out.thrown = String(error && error.message !== undefined ? error.message : error);
  }
  try {
    const parsed = checker.parseAnswer(testCase.text, testCase.kind, testCase.variables);
    if (parsed.error !== undefined) {
      out.parsed = { error: parsed.error };
    } else {
      out.parsed = {
        text: parsed.text,
        shape: parsed.shape,
        value: testCase.kind === 'expression' ? null : parsed.value,
      };
    }
  } catch (error) {
    out.parsed = { thrown: String(error && error.message !== undefined ? error.message : error) };
  }
  return out;
}

// Every code point: where it is not printable (as runs) and what NFKC makes of it (where that
// changes it), to compare with CPython's tables.
function unicodeTables() {
  const internal = checker._internal;
  const notPrintable = [];
  const nfkc = {};
  let start = -1;
  for (let cp = 0; cp <= 0x110000; cp++) {
    const ch = cp < 0x110000 ? String.fromCodePoint(cp) : null;
    const printable = ch === null || internal.isPrintable(ch);
    if (!printable && start < 0) {
      start = cp;
    } else if (printable && start >= 0) {
      notPrintable.push([start, cp - 1]);
      start = -1;
    }
    if (ch !== null) {
      const folded = internal.nfkc(ch);
      if (folded !== ch) {
        nfkc[cp] = folded;
      }
    }
  }
  return {
    version: checker.UNICODE_VERSION,
    unassigned: internal.unassignedRuns(),
    notPrintable: notPrintable,
    nfkc: nfkc,
  };
}

const output = {
  results: input.cases.map(run),
  formats: (input.floats || []).map((x) => [checker.pyRepr(x), checker.pyG(x)]),
  constants: checker._internal.constants,
};
if (input.unicode) {
  output.unicode = unicodeTables();
}
// JSON has no -0: write it as the string "-0.0" (the Python side reads it back).
fs.writeFileSync(
  outputPath,
  JSON.stringify(output, (name, value) => (Object.is(value, -0) ? '-0.0' : value)),
);
