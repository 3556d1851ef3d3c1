// Renders every formula of the built study site with the vendored KaTeX (tests/test_site_math.py).
//
//   node tests/js/katex_check.js KATEX INPUT OUTPUT
//
// KATEX: docs/assets/vendor/katex/katex.min.js. INPUT (JSON): [{"where", "tex", "display"}, ...],
// one per formula, as docs/assets/js/loader.js renders it in the browser (the TeX between the
// delimiters, display for \[ \]). OUTPUT (JSON): {"rendered": N, "errors": [{"where", "tex",
// "error"}, ...]}: every formula that KaTeX refuses with throwOnError, with its message.
'use strict';

const fs = require('fs');

const [katexPath, inputPath, outputPath] = process.argv.slice(2);
const katex = require(katexPath);
const formulas = JSON.parse(fs.readFileSync(inputPath, 'utf8'));

const errors = [];
for (const formula of formulas) {
  try {
    katex.renderToString(formula.tex, { displayMode: formula.display, throwOnError: true });
  } catch (error) {
    errors.push({ where: formula.where, tex: formula.tex, error: String(error.message || error) });
  }
}
fs.writeFileSync(outputPath, JSON.stringify({ rendered: formulas.length, errors: errors }));
