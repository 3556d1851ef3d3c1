/*
 * studykit-checker.js: the answer parser and checker of `studykit.questions.answers` and
 * `studykit.questions.checking` (with the modules they are made of: answer_messages,
 * answer_tokens, answer_tree, answer_parser, answer_evaluation, precision, expression_samples,
 * key_values), ported line by line to dependency-free JavaScript (ES2019), so
 * the quiz pages of the study site check a typed answer in the browser with the same rules, and
 * the same messages, as the Python checker. tests/test_js_checker.py proves the parity on a table
 * of several hundred answers.
 *
 * Use:
 *   browser  <script src="assets/js/studykit-checker.js"></script>  defines window.StudykitChecker
 *   Node     const StudykitChecker = require("./studykit-checker.js");
 *
 *   StudykitChecker.parseAnswer(text, kind, variables, options, lang)
 *     -> {kind, value, shape, text}, or {error: "<the one-line message of Python's AnswerError>"}
 *        value: a number (number, integer, tensor of shape []), nested arrays of numbers (tensor),
 *        an array of sizes (shape), one capital letter (choice) or a syntax tree (expression).
 *        options: a choice question's option texts (optional); lang: the message's language.
 *   StudykitChecker.check(text, key, misconceptions, lang)
 *     -> {understood, correct, message, misconception, feedback, wrong, undecided}
 *        understood: false (with correct false and the parser's message) where Python's check
 *        raises AnswerError, like `studykit check --json`; otherwise the fields of Python's
 *        Verdict (wrong: the wrong positions of a tensor, as arrays of 0-based indices).
 *        lang: "en" or "ko" (the language of every message); when left out, key.lang, else "en".
 *   StudykitChecker.answerFormat(key, lang)
 *     -> the one-line statement of how to answer ("Give the answer to 3 significant figures.",
 *        "유효숫자 3자리로 답하십시오."), as Python's answer_format and Key.data()'s "format".
 *   key: {kind, value, shape, precision: {sigfigs, decimals, fraction}, options, tolerance:
 *        {rel, abs, sigfigs}, variables, domain, lang}, as `studykit show --json` emits it in
 *        its "answer" field (pass that object whole: it carries the precision and the options);
 *        the whole `show --json` object is accepted too. A missing or null precision with no
 *        tolerance is the kind's default (DEFAULT_PRECISION); a key with a tolerance and no
 *        precision is graded by the tolerance; missing variables are found in the key's
 *        expression, as in Python; a missing domain ([a, b], where an expression's variables
 *        range) is DEFAULT_DOMAIN; missing options: any letter, no option numbers.
 *   misconceptions: [{name, value, feedback}, ...], in order.
 *   StudykitChecker.MESSAGES: {parse: {en, ko}, check: {en, ko}}, Python's two message tables.
 *
 * Errors: parseAnswer and check throw an Error (never return one) only for a broken question: an
 * unknown kind, bad variable names, a key or misconception value that is not of the kind (Python
 * raises ValueError/TypeError there). A bad answer is never thrown.
 *
 * Differences from Python:
 *   - The only one in what is checked: where the expected expression is defined at fewer than
 *     MIN_SAMPLE_POINTS of the sample points (a question whose domain is wrong: Python answers
 *     "cannot be checked: ..."), the verdict is {understood: true, correct: false, undecided:
 *     true, message: UNDECIDED_MESSAGE} and no misconception is tried; where that happens while
 *     trying a misconception, the verdict keeps correct: false and its message, names no
 *     misconception and has undecided: true. Everywhere else undecided is false. The message
 *     is CHECK_MESSAGES[lang].undecided.
 *   - Floating point: exp, log and powers (allowed in every numeric answer, where the last bit
 *     can show in "expected a whole number, got ..." or decide whether a value is whole) are
 *     computed here correctly rounded, in double-double arithmetic; the browser's Math.pow is
 *     not (V8: 10 ** -4 === 0.00009999999999999999). CPython calls the platform's libm: glibc
 *     is correctly rounded except in a fraction of a percent of cases, where it is one unit in
 *     the last place off (e.g. 13 ** -0.25, and 10.0 ** 23, which also makes Python's sigfigs
 *     test treat a key of 1e23 as a number of the decade 1e22). sin, cos and tanh (expression
 *     answers only, compared with a tolerance) use Math.sin/cos/tanh.
 *   - Unicode: normalization and the printable test follow the Unicode version of the CPython
 *     the table below was made with (UNICODE_VERSION): code points unassigned there are left
 *     as they are and shown as U+XXXX, as CPython does, even where the browser knows them. A
 *     browser older than that version may normalize the newest characters differently.
 */
(function (root, factory) {
  'use strict';
  var api = factory();
  if (typeof module === 'object' && module && module.exports) {
    module.exports = api;
  }
  if (root) {
    root.StudykitChecker = api;
  }
})(typeof window !== 'undefined' ? window : null, function () {
  'use strict';

  // --- constants (answer_tokens.py, answer_parser.py, answer_evaluation.py, answers.py) ---

  var UNICODE_VERSION = '14.0.0';
  var KINDS = ['number', 'integer', 'tensor', 'shape', 'choice', 'expression'];
  var MAX_LENGTH = 2000;
  var MAX_RAW_LENGTH = 4 * MAX_LENGTH;
  var MAX_DEPTH = 6;
  var MAX_TOKENS = 1000;
  var MAX_DIGITS = 30;
  var MAX_EXPONENT = 1000.0;
  var MAX_MAGNITUDE = 1e300;
  var MAX_POWERS = 8;

  var SPACE = ' \t\n\r\f\v';
  var DIGITS = '0123456789';
  var NAME_START = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_';
  var NAME_REST = NAME_START + DIGITS;
  var OPERATORS = '+-*/^()[],.%';
  var PI = '\u03c0';
  var SIGMA = '\u03c3';
  var SINGLE_NAMES = PI + SIGMA; // one-character names outside ASCII: pi, sigmoid
  var ELLIPSIS = '\u2026';
  var SUPERSCRIPTS = '\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207a\u207b';
  var VULGAR_FRACTIONS =
    '\u00bc\u00bd\u00be\u2150\u2151\u2152\u2153\u2154\u2155\u2156\u2157\u2158\u2159\u215a' +
    '\u215b\u215c\u215d\u215e\u215f\u2189';
  var REPLACEMENTS = {};
  '\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d'.split('').forEach(function (c) {
    REPLACEMENTS[c] = '-';
  });
  '\u00d7\u00b7\u22c5\u2217'.split('').forEach(function (c) {
    REPLACEMENTS[c] = '*';
  });
  '\u00f7\u2044\u2215'.split('').forEach(function (c) {
    REPLACEMENTS[c] = '/';
  });
  var NUMBER_FUNCTIONS = ['sqrt', 'exp', 'log', 'ln'];
  var EXPRESSION_FUNCTIONS = [
    'sqrt', 'exp', 'log', 'ln', 'sin', 'cos', 'tanh', 'sinh', 'cosh', 'sech',
    'sigmoid', SIGMA, 'softplus', 'relu', 'abs'
  ];
  var FUNCTION_NAMES = {
    number: 'sqrt, exp, log (ln)',
    expression: 'sqrt, exp, log (ln), sin, cos, tanh, sinh, cosh, sech, sigmoid (' + SIGMA +
      '), softplus, relu, abs'
  };
  var CANONICAL_FUNCTIONS = { ln: 'log' };
  CANONICAL_FUNCTIONS[SIGMA] = 'sigmoid';
  var CONSTANTS = ['pi', 'e'];
  var LANGUAGES = ['en', 'ko'];
  var MAX_OPTIONS = 8;
  var RESERVED = EXPRESSION_FUNCTIONS.concat(CONSTANTS, ['torch', 'tensor', 'Size']);
  var NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
  var DIMS_PATTERN = /^[0-9]+(?:[ \t]*[xX*][ \t]*[0-9]+)+$/;
  var DIMS_SEPARATOR = /[ \t]*[xX*][ \t]*/;
  var CHOICE_PATTERN = /^(?:\(([A-Za-z])\)|([A-Za-z])[).]?)$/;
  var OPTION_NUMBER_PATTERN = /^(?:\(([0-9]{1,3})\)|([0-9]{1,3})[).]?)$/;

  // --- constants (precision.py, expression_samples.py, checking.py) -----------------------

  var DEFAULT_DOMAIN = [-5.0, 5.0];
  var SAMPLE_COUNT = 32;
  var SAMPLE_STRIDE = 13;
  var MIN_SAMPLE_POINTS = 8;
  var MAX_DOMAIN = 1e300;
  var SAMPLE_POINTS = samplePoints(DEFAULT_DOMAIN);
  var MAX_FIGURES = 15;
  var MAX_LISTED = 3;
  var EPSILON = Math.pow(2, -52);
  var TIE_SLACK = 1e-9;
  var WHOLE_SLACK = 1e-6;
  var DEFAULT_TOLERANCE = {
    number: { rel: 5e-3, abs: 1e-6, sigfigs: null },
    integer: { rel: 0, abs: 0, sigfigs: null },
    tensor: { rel: 5e-3, abs: 1e-6, sigfigs: null },
    shape: { rel: 0, abs: 0, sigfigs: null },
    choice: { rel: 0, abs: 0, sigfigs: null },
    expression: { rel: 1e-6, abs: 1e-9, sigfigs: null }
  };
  var EXACT = { sigfigs: null, decimals: null, fraction: false };
  var DEFAULT_PRECISION = {
    number: { sigfigs: 3, decimals: null, fraction: false },
    integer: EXACT,
    tensor: { sigfigs: 3, decimals: null, fraction: false },
    shape: EXACT,
    choice: EXACT,
    expression: null
  };
  var NOT_VARIABLES = [
    'sqrt', 'exp', 'log', 'ln', 'sin', 'cos', 'tanh', 'sinh', 'cosh', 'sech', 'sigmoid',
    'softplus', 'relu', 'abs', 'pi', 'e'
  ];

  // --- messages (answers.MESSAGES and checking.MESSAGES, the same tables) ---------------------

  var PARSE_MESSAGES = {
    "en": {
      "empty": "empty answer",
      "too_long": "answer longer than {limit} characters",
      "too_deep": "nesting deeper than {limit} levels",
      "too_many_tokens": "answer has more than {limit} numbers and symbols",
      "bad_character": "unexpected character {quoted} at position {position}",
      "too_many_digits": "number {number} has more than {limit} digits",
      "out_of_range": "number {number} is out of range",
      "too_large": "number too large: {what} is over 1e300",
      "missing_closer": "missing '{closer}' for the '{opener}' at position {position}",
      "expected_closer": "expected '{closer}' at position {position}, found '{found}'",
      "missing_operator": "missing operator before '{found}' at position {position} (multiply with *, like 2*x)",
      "after_power": "missing operator before '{found}' at position {position} (after a power, write * or put the exponent in parentheses: e^2*x or e^(2x))",
      "after_division": "missing operator before '{found}' at position {position} (after /, put a product in parentheses: 1/(2x) or x/2)",
      "unexpected": "unexpected '{found}' at position {position}",
      "unexpected_in_tensor": "unexpected '{found}' at position {position} (write a list in brackets, like [1, 2])",
      "unexpected_end": "unexpected end of answer (expected a number or '(')",
      "too_many_powers": "more than {limit} powers in a row (at position {position})",
      "needs_parentheses": "'{name}' needs parentheses, like {name}(2) (at position {position})",
      "unknown_name": "unknown name '{name}' (allowed: {allowed})",
      "missing_comma": "missing ',' before '{found}' at position {position}",
      "expected_comma": "expected ',' or '{closer}' at position {position}, found '{found}'",
      "division_by_zero": "division by zero in {what}",
      "sqrt_negative": "sqrt of a negative number in {what}",
      "log_nonpositive": "log of a non-positive number in {what}",
      "exponent_too_large": "exponent too large: {what} is over the limit of {limit}",
      "zero_negative_power": "division by zero: 0 to a negative power in {what}",
      "negative_fractional_power": "negative number to a fractional power in {what}",
      "row_length": "row {row} has {count} {entries}, expected {expected}",
      "list_length": "the list at {index} has {count} {entries}, expected {expected}",
      "item_is_number": "the item at {index} is a number, expected a list",
      "item_is_list": "the item at {index} is a list, expected a number",
      "not_whole": "expected a whole number, got {value}",
      "shape_negative": "shape entries cannot be negative, got -{found}",
      "shape_not_whole": "shape entries must be whole numbers, got {found}",
      "shape_expected": "expected a shape like (2, 3)",
      "shape_found": "expected a shape like (2, 3), found '{found}' at position {position}",
      "choice_expected": "expected one letter like B or (b), got '{found}'",
      "choice_expected_letters": "expected the letter of an option ({letters}), like B or (b), got '{found}'",
      "choice_expected_numbered": "expected the letter ({letters}) or the number ({numbers}) of an option, got '{found}'",
      "not_an_option": "not one of the options ({letters})",
      "not_an_option_value": "{found} is not one of the options: answer with its letter ({letters})"
    },
    "ko": {
      "empty": "답이 비어 있습니다",
      "too_long": "답이 {limit}자를 넘습니다",
      "too_deep": "괄호가 {limit}단계보다 깊게 겹쳐 있습니다",
      "too_many_tokens": "답에 쓴 수와 기호가 {limit}개를 넘습니다",
      "bad_character": "{position}번째 글자에 쓸 수 없는 문자가 있습니다: {quoted}",
      "too_many_digits": "수가 너무 깁니다: {number} ({limit}자리 초과)",
      "out_of_range": "수가 범위를 벗어났습니다: {number}",
      "too_large": "수가 너무 큽니다: {what} (1e300 초과)",
      "missing_closer": "{position}번째 글자의 '{opener}'를 닫는 '{closer}'가 없습니다",
      "expected_closer": "{position}번째 글자에는 '{closer}'가 와야 합니다. 입력: '{found}'",
      "missing_operator": "{position}번째 글자 '{found}' 앞에 연산자가 없습니다 (곱셈은 2*x처럼 *로 씁니다)",
      "after_power": "{position}번째 글자 '{found}' 앞에 연산자가 없습니다 (거듭제곱 뒤에서는 e^2*x처럼 *를 쓰거나 e^(2x)처럼 지수를 괄호로 묶으십시오)",
      "after_division": "{position}번째 글자 '{found}' 앞에 연산자가 없습니다 (/ 뒤의 곱은 1/(2x)처럼 괄호로 묶거나 x/2처럼 쓰십시오)",
      "unexpected": "이 자리에 올 수 없는 기호입니다: '{found}' ({position}번째 글자)",
      "unexpected_in_tensor": "이 자리에 올 수 없는 기호입니다: '{found}' ({position}번째 글자). 목록은 [1, 2]처럼 대괄호로 씁니다",
      "unexpected_end": "답이 중간에 끝났습니다 (수나 '('가 와야 합니다)",
      "too_many_powers": "거듭제곱이 {limit}번 넘게 이어집니다 ({position}번째 글자)",
      "needs_parentheses": "'{name}' 뒤에는 {name}(2)처럼 괄호가 필요합니다 ({position}번째 글자)",
      "unknown_name": "알 수 없는 이름입니다: '{name}' (쓸 수 있는 이름: {allowed})",
      "missing_comma": "{position}번째 글자 '{found}' 앞에 쉼표(,)가 없습니다",
      "expected_comma": "{position}번째 글자에는 ',' 또는 '{closer}'가 와야 합니다. 입력: '{found}'",
      "division_by_zero": "0으로 나눌 수 없습니다: {what}",
      "sqrt_negative": "음수의 제곱근입니다: {what}",
      "log_nonpositive": "0 이하인 수의 로그입니다: {what}",
      "exponent_too_large": "지수가 너무 큽니다: {what} (한도 {limit} 초과)",
      "zero_negative_power": "0으로 나눌 수 없습니다: 0의 음수 거듭제곱 {what}",
      "negative_fractional_power": "음수의 분수 거듭제곱입니다: {what}",
      "row_length": "{row}번째 행의 원소가 {count}개입니다 ({expected}개여야 합니다)",
      "list_length": "인덱스 {index} 목록의 원소가 {count}개입니다 ({expected}개여야 합니다)",
      "item_is_number": "인덱스 {index}의 항목이 수입니다 (목록이어야 합니다)",
      "item_is_list": "인덱스 {index}의 항목이 목록입니다 (수여야 합니다)",
      "not_whole": "정수가 아닙니다: {value}",
      "shape_negative": "모양의 크기는 음수일 수 없습니다: -{found}",
      "shape_not_whole": "모양의 크기는 정수여야 합니다: {found}",
      "shape_expected": "모양을 (2, 3)처럼 쓰십시오",
      "shape_found": "모양을 (2, 3)처럼 쓰십시오. {position}번째 글자: '{found}'",
      "choice_expected": "B나 (b)처럼 선택지의 글자 하나로 답하십시오. 입력: '{found}'",
      "choice_expected_letters": "선택지의 글자({letters})로 답하십시오. 입력: '{found}'",
      "choice_expected_numbered": "선택지의 글자({letters})나 번호({numbers})로 답하십시오. 입력: '{found}'",
      "not_an_option": "선택지에 없는 답입니다 ({letters})",
      "not_an_option_value": "선택지에 없는 값입니다: {found} (선택지의 글자 {letters} 중 하나로 답하십시오)"
    }
  };

  var CHECK_MESSAGES = {
    "en": {
      "correct": "correct",
      "incorrect": "incorrect",
      "shape": "expected shape {want}, got {got}",
      "one_element": " (write a one-element tensor in brackets, like [2.5])",
      "no_brackets": " (write a single number without brackets)",
      "entry_off": "entry {index} is off",
      "entries_off": "entries {indices} are off",
      "positions": "{first} and {last}",
      "positions_more": "{listed} and {count} more",
      "imprecise": "not precise enough. {format}",
      "entry_imprecise": "entry {index} is not precise enough. {format}",
      "entries_imprecise": "entries {indices} are not precise enough. {format}",
      "not_whole_entry": "entry {index} must be a whole number, got {value}",
      "not_equivalent": "not equivalent to the expected expression",
      "undefined_at": "undefined at {where} ({reason})",
      "cannot_check": "cannot be checked: the expected expression is defined at fewer than {minimum} of the {count} sample points in [{lo}, {hi}]",
      "undecided": "cannot be checked here: too few sample points where both expressions are defined",
      "format_number_sigfigs": "Give the answer to {n} {figures}.",
      "format_number_decimals": "Give the answer to {n} {places}.",
      "format_number_whole": "Give the answer rounded to a whole number.",
      "format_number_exact": "Give the exact value.",
      "format_number_within": "Give the answer to within {within} of the exact value.",
      "format_fraction_sigfigs": "Give the answer as a fraction (like 2/3) or as a decimal to {n} {figures}.",
      "format_fraction_decimals": "Give the answer as a fraction (like 2/3) or as a decimal to {n} {places}.",
      "format_fraction_whole": "Give the answer as a fraction (like 2/3) or rounded to a whole number.",
      "format_fraction_exact": "Give the exact value, as a fraction (like 2/3) or a decimal.",
      "format_tensor_sigfigs": "Give each entry to {n} {figures}.",
      "format_tensor_decimals": "Give each entry to {n} {places}.",
      "format_tensor_whole": "Give each entry rounded to a whole number.",
      "format_tensor_exact": "Give each entry exactly.",
      "format_tensor_within": "Give each entry to within {within} of the exact value.",
      "format_integer": "Give a whole number.",
      "format_shape": "Give the exact shape, like (2, 3).",
      "format_choice": "Answer with the letter of one option ({letters}).",
      "format_choice_numbered": "Answer with the letter ({letters}) or the number ({numbers}) of one option.",
      "format_choice_any": "Answer with the letter of one option.",
      "format_expression": "Give a formula in {variables}, like 2x(1 - x); you may use + - * / ^, {functions}, pi and e.",
      "variables_and": "{first} and {last}"
    },
    "ko": {
      "correct": "정답입니다",
      "incorrect": "틀렸습니다",
      "shape": "모양이 다릅니다: 정답은 {want}, 입력한 답은 {got}입니다",
      "one_element": " (원소가 하나인 텐서는 [2.5]처럼 대괄호로 씁니다)",
      "no_brackets": " (수 하나는 대괄호 없이 씁니다)",
      "entry_off": "인덱스 {index}의 원소가 틀렸습니다",
      "entries_off": "인덱스 {indices}의 원소가 틀렸습니다",
      "positions": "{first}, {last}",
      "positions_more": "{listed} 외 {count}개",
      "imprecise": "정밀도가 부족합니다. {format}",
      "entry_imprecise": "인덱스 {index} 원소의 정밀도가 부족합니다. {format}",
      "entries_imprecise": "인덱스 {indices} 원소의 정밀도가 부족합니다. {format}",
      "not_whole_entry": "인덱스 {index}의 원소는 정수여야 합니다: {value}",
      "not_equivalent": "정답 식과 같지 않습니다",
      "undefined_at": "{where}에서 정의되지 않습니다 ({reason})",
      "cannot_check": "채점할 수 없습니다: 정답 식이 [{lo}, {hi}]의 표본점 {count}개 중 {minimum}개 미만에서만 정의됩니다",
      "undecided": "여기서는 채점할 수 없습니다: 두 식이 모두 정의되는 표본점이 너무 적습니다",
      "format_number_sigfigs": "유효숫자 {n}자리로 답하십시오.",
      "format_number_decimals": "소수점 아래 {n}자리까지 답하십시오.",
      "format_number_whole": "반올림해 정수로 답하십시오.",
      "format_number_exact": "정확한 값으로 답하십시오.",
      "format_number_within": "오차가 {within} 이내가 되도록 답하십시오.",
      "format_fraction_sigfigs": "분수(예: 2/3)나 유효숫자 {n}자리 소수로 답하십시오.",
      "format_fraction_decimals": "분수(예: 2/3)나 소수점 아래 {n}자리까지의 소수로 답하십시오.",
      "format_fraction_whole": "분수(예: 2/3)나 반올림한 정수로 답하십시오.",
      "format_fraction_exact": "분수(예: 2/3)나 소수로 정확한 값을 답하십시오.",
      "format_tensor_sigfigs": "각 원소를 유효숫자 {n}자리로 답하십시오.",
      "format_tensor_decimals": "각 원소를 소수점 아래 {n}자리까지 답하십시오.",
      "format_tensor_whole": "각 원소를 반올림해 정수로 답하십시오.",
      "format_tensor_exact": "각 원소를 정확한 값으로 답하십시오.",
      "format_tensor_within": "각 원소의 오차가 {within} 이내가 되도록 답하십시오.",
      "format_integer": "정수로 답하십시오.",
      "format_shape": "모양을 (2, 3)처럼 정확히 답하십시오.",
      "format_choice": "선택지의 글자({letters})로 답하십시오.",
      "format_choice_numbered": "선택지의 글자({letters})나 번호({numbers})로 답하십시오.",
      "format_choice_any": "선택지의 글자로 답하십시오.",
      "format_expression": "{variables}에 대한 식으로 답하십시오(예: 2x(1 - x)). + - * / ^, {functions}, pi, e를 쓸 수 있습니다.",
      "variables_and": "{first}, {last}"
    }
  };


  var NOT_EQUIVALENT = CHECK_MESSAGES.en.not_equivalent;
  var UNDECIDED_MESSAGE = CHECK_MESSAGES.en.undecided;

  /** Python's str.format for the message patterns: {name} fields only. */
  function fill(pattern, fields) {
    return pattern.replace(/\{([a-z_]+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(fields, name) ? String(fields[name]) : whole;
    });
  }

  function languageOf(lang) {
    return Object.prototype.hasOwnProperty.call(CHECK_MESSAGES, lang) ? lang : 'en';
  }

  /** A checker message (checking._say). */
  function say(lang, code, fields) {
    return fill(CHECK_MESSAGES[languageOf(lang)][code], fields || {});
  }

  /** SAMPLE_COUNT points over [a, b], the midpoints of equal cells (checking.sample_points). */
  function samplePoints(domain) {
    var lo = domain[0];
    var hi = domain[1];
    var n = SAMPLE_COUNT;
    var points = [];
    for (var k = 0; k < n; k++) {
      points.push(lo + ((hi - lo) * (2 * k + 1)) / (2 * n));
    }
    return points;
  }

  /** An answer that cannot be read: message (English) and messages (per language). */
  function AnswerError(message, messages) {
    this.name = 'AnswerError';
    this.message = message;
    this.messages = messages || { en: message };
  }
  AnswerError.prototype = Object.create(Error.prototype);
  AnswerError.prototype.constructor = AnswerError;
  AnswerError.prototype.inLanguage = function (lang) {
    return this.messages[lang] || this.messages.en || this.message;
  };

  /** The AnswerError of parser message `code`, in every language (answers._error). */
  function answerError(code, fields) {
    var messages = {};
    LANGUAGES.forEach(function (lang) {
      messages[lang] = fill(PARSE_MESSAGES[lang][code], fields || {});
    });
    return new AnswerError(messages.en, messages);
  }

  function letterRange(count) {
    return count === 1 ? 'A' : 'A\u2013' + String.fromCharCode(65 + count - 1);
  }

  function numberRange(count) {
    return count === 1 ? '1' : '1\u2013' + count;
  }

  function has(set, ch) {
    return ch.length === 1 && set.indexOf(ch) >= 0;
  }

  function contains(list, item) {
    return list.indexOf(item) >= 0;
  }

  // --- Unicode as CPython sees it ----------------------------------------------------------
  // Code points unassigned (category Cn) in UNICODE_VERSION, as runs "gap.length" in base 36:
  // gap = start - (end of the previous run) - 1, length = end - start (".0" left out). Made with
  //   import unicodedata
  //   cn = [c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cn"]
  // (runs of consecutive code points); tests/test_js_checker.py checks it against CPython.
  var UNASSIGNED_RUNS =
    'oo.1,6.3,7,1,k,b1,12.1,1e.1,3,1j.7,r.3,6.a,7i,1o.1,2t.d,1n.1,1d.1,f,s.1,1,b.4,v,2.5,6k,' +
    '8.1,2.1,m,7,1.2,4.1,9.1,2.1,4.7,1.3,2,5.1,p.1,3,6.3,2.1,m,7,2,2,2.1,1,5.3,2.1,3.2,1.6,4,' +
    '1.6,h.9,3,9,3,m,7,2,5.1,a,3,3.1,1.e,4.1,c.6,7,3,8.1,2.1,m,7,2,5.1,9.1,2.1,3.6,3.3,2,5.1,' +
    'i.9,2,6.2,3,4.2,2,1,2.2,2.2,3.2,c.3,5.2,3,4.1,1.5,1.d,l.4,d,3,n,g.1,9,3,4.6,2,3.1,1.1,4.1,' +
    'a.6,m,3,n,a,5.1,9,3,4.6,2.5,2,4.1,a,2.c,d,3,1f,3,6.3,g.1,q,3,i.2,o,9,1.1,7.2,1.3,6,1,8.5,' +
    'a.1,3.b,1m.3,t.10,2,1,5,o,1,n.1,5,1,6.1,a.1,4.v,20,10.3,13,10,f,d.10,5i,1.4,1.1,ah,4.1,7,' +
    '1,4.1,15,4.1,x,4.1,7,1,4.1,f,1l,4.1,1v.1,w.2,q.5,2e.1,6.1,il.2,2h.6,m.8,o.8,k.b,d,3,2.b,' +
    '2m.1,a.5,a.5,q.5,2h.6,17.4,1y.9,v,c.3,c.3,1.2,16.1,5.a,18.3,q.5,b.2,1q.1,1t,t.1,b.5,a.5,' +
    'e.1,v.1c,25.2,1b,38.7,1o.2,f.2,1o.6,17.1,b.7,17.4,eu.1,6.1,12.1,6.1,8,1,1,1,v.1,1h,f,e.1,' +
    '6,j.1,3,9,2t,c.1,r,d.2,x.e,x.e,3w.3,if.o,b.k,1ec.1,w,9p.4,19,1.4,1.1,1k.6,2.d,o.8,7,7,7,7,' +
    '7,7,7,7,3i.x,q,2h.b,5y.p,c.3,1s,2e.1,2v.4,17,2m,2c.b,1b,mlp.2,1j.8,9o.j,54.7,5n.4,2,1,5.n,' +
    '1n.2,a.5,1k.7,1y.7,c.5,38.a,u.2,26,b.3,x,1j.8,e.1,a.1,2v.n,s.9,6.1,6.1,6.8,7,7,1o.3,3i.1,' +
    'a.5,8mc.b,n.3,1d.3,6su.1,2y.11,7.b,5.4,q,5,1,2,2,3h.f,cd.1,1i.6,1.v,16.5,1f,j,4.3,5,3r.1,' +
    '1,5a.2,6.1,6.1,6.1,3.2,7,7.9,5.1,c,q,j,2,f.1,e.x,3f.4,3.3,19.2,2g,d.2,1.1a,1a.3l,t.2,1d.e,' +
    's.3,10.8,u.4,17.4,u,11.3,e.15,4e.1,a.5,10.3,10.3,14.7,1g.a,c,f,7,2,b,f,7,2.1u,8n.8,m.9,' +
    '8.n,6,16,9.1w,6.1,1,18,2.2,1.1,n,20.7,9.1b,j,2.4,x.2,r.4,1.1r,1k.3,k.1,1e,2.4,8,3,t.1,3.3,' +
    'a.6,9.6,1s.v,13.3,c.8,1i.2,t.1,r.4,q.6,4.b,7.27,21.1i,1f.c,1f.6,1a.7,a.85,v,16,3.1,2.25,' +
    '14.7,16.l,q.11,s.j,n.8,26.3,10.8,1w.9,1.1,p.6,a.5,1h,i.7,13.8,2o,k.a,i,18.1s,7,1,4,f,b.5,' +
    '1n.4,a.5,4,8.1,2.1,m,7,2,5,a.1,2.1,3.1,1.5,1.4,7.1,7.2,5.3u,2k,5.t,20.7,a.4l,1i.1,12.x,' +
    '1x.a,a.5,d.i,1m.5,a.1h,r.1,f.3,n.54,1o.2r,2b.b,8.1,1.1,8,2,u,2.1,c.8,a.1x,8.1,1a.1,b.q,' +
    '20.7,2b.c,21.7a,9,19,e.9,t.2,w.1,m,e.20,7,2,18.2,1,2,9.7,a.5,6,2,11,2,6.6,a.8l,p.52,1.e,' +
    '1e.c,pn.2t,33,5.a,5g.217,2r.c,tr,9.346,g7.6ns,ft.6,v,a.3,29,a.5,u.1,6.9,1y.9,a,7,l.4,j.j3,' +
    '2j.2s,23.3,1l.6,h.1r,5.a,2.d,4qg.7,ye.15,9.6w6,4,7,2,83.18,3.g,4.7,b0.1s3,2z.4,d.2,9.6,' +
    'a.1,8.3mj,1a.1,n.8,38.1n,6u.9,13.1,5e.k,1y.49,k.b,2f.8,p.3q,2d,1z,2.1,1.1,2.1,4,c,1,7,1t,' +
    '4.1,8,7,s,4,5,1.2,7,9g.1,84.1,ji.e,5,f.un,v.68,7,h.1,7,2,5.5w,19.2,e.1,a.3,2.8v,v.g,1m.4,' +
    '1.yn,7,4,2,f,5h.1,g.14,24.3,a.3,2.ls,1w.23,1p.5d,4,r,2,1.1,1,a,4,1,1.5,1.3,1,1,1,3,2,1.1,' +
    '1,1,1,1,1,2,1.1,4,7,4,4,1,a,h.4,3,5,h.1f,2.7h,18.3,2s.b,f.1,f,f,11.9,4u.1j,t.c,18.3,9.6,' +
    '2.d,6.49,rc.4,g.2,d.2,38.b,2h.6,c.3,1.e,c.3,1k.7,a.5,14.7,u.1,2.25,9g.b,e.1,5.2,5.2,7.8,' +
    't.2,b.4,6.9,a.5,8.7,7.8,43,1j.10,a.sl,wyo.v,37d.6,66.1,4g2.d,5rl.2e6,f2.15t,3t7.fcfp,1.t,' +
    '2o.3j,6o.1e6n,1eke.1,1eke.1';
  var UNASSIGNED = null; // [start0, end0, start1, end1, ...], decoded on first use

  function unassignedRuns() {
    if (UNASSIGNED === null) {
      var runs = [];
      var previous = -1;
      UNASSIGNED_RUNS.split(',').forEach(function (item) {
        var parts = item.split('.');
        var start = previous + 1 + parseInt(parts[0], 36);
        var end = start + (parts.length > 1 ? parseInt(parts[1], 36) : 0);
        runs.push(start, end);
        previous = end;
      });
      UNASSIGNED = runs;
    }
    return UNASSIGNED;
  }

  function isUnassigned(cp) {
    var runs = unassignedRuns();
    var lo = 0;
    var hi = runs.length / 2 - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (cp < runs[2 * mid]) {
        hi = mid - 1;
      } else if (cp > runs[2 * mid + 1]) {
        lo = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  var NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zs}\p{Zl}\p{Zp}]$/u;

  /** Python's str.isprintable for one code point: not in a category C* or Z*, or the space. */
  function isPrintable(ch) {
    if (ch === ' ') {
      return true;
    }
    return !(isUnassigned(ch.codePointAt(0)) || NOT_PRINTABLE.test(ch));
  }

  /** NFKC, leaving code points that CPython's tables do not know as they are (starters). */
  function nfkc(text) {
    var out = '';
    var run = '';
    for (var ch of text) {
      if (isUnassigned(ch.codePointAt(0))) {
        out += run.normalize('NFKC') + ch;
        run = '';
      } else {
        run += ch;
      }
    }
    return out + run.normalize('NFKC');
  }

  // --- Python's float formatting -------------------------------------------------------------

  /** The digits and decimal exponent of the shortest repr of a finite x != 0. */
  function shortestDigits(x) {
    var parts = Math.abs(x).toExponential().split('e');
    return { digits: parts[0].replace('.', ''), exponent: parseInt(parts[1], 10) };
  }

  /** Python's repr(float). */
  function pyRepr(x) {
    if (x !== x) {
      return 'nan';
    }
    if (x === Infinity || x === -Infinity) {
      return x > 0 ? 'inf' : '-inf';
    }
    if (x === 0) {
      return Object.is(x, -0) ? '-0.0' : '0.0';
    }
    var sign = x < 0 ? '-' : '';
    var d = shortestDigits(x);
    var digits = d.digits;
    var exponent = d.exponent;
    if (exponent < -4 || exponent >= 16) {
      var mantissa = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
      var e = Math.abs(exponent);
      return sign + mantissa + 'e' + (exponent < 0 ? '-' : '+') + (e < 10 ? '0' : '') + e;
    }
    var point = exponent + 1;
    if (point <= 0) {
      return sign + '0.' + '0'.repeat(-point) + digits;
    }
    if (point >= digits.length) {
      return sign + digits + '0'.repeat(point - digits.length) + '.0';
    }
    return sign + digits.slice(0, point) + '.' + digits.slice(point);
  }

  /** Python's format(x, "g"): 6 significant digits, trailing zeros dropped. */
  function pyG(x) {
    if (x !== x) {
      return 'nan';
    }
    if (x === Infinity || x === -Infinity) {
      return x > 0 ? 'inf' : '-inf';
    }
    if (x === 0) {
      return Object.is(x, -0) ? '-0' : '0';
    }
    var parts = x.toExponential(5).split('e');
    var exponent = parseInt(parts[1], 10);
    if (exponent < -4 || exponent >= 6) {
      var mantissa = parts[0].replace(/\.?0+$/, '');
      var e = Math.abs(exponent);
      return mantissa + 'e' + (exponent < 0 ? '-' : '+') + (e < 10 ? '0' : '') + e;
    }
    return x.toFixed(Math.max(0, 5 - exponent)).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  }

  /** Python's repr(str), for the few messages that quote a name. */
  function pyStrRepr(s) {
    var quote = s.indexOf("'") >= 0 && s.indexOf('"') < 0 ? '"' : "'";
    var body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
    body = body.replace(/\t/g, '\\t');
    if (quote === "'") {
      body = body.replace(/'/g, "\\'");
    }
    return quote + body + quote;
  }

  // --- correctly rounded exp, log and pow (double-double arithmetic) -------------------------
  // CPython's math module calls the C library, and glibc's exp, log and pow are correctly
  // rounded (in all but astronomically rare cases); the browser's Math.exp/log/pow are not (V8
  // gives 10 ** -4 === 0.00009999999999999999). These work in double-double precision (about
  // 106 bits) and round once at the end.

  var F64 = new Float64Array(1);
  var U32 = new Uint32Array(F64.buffer);
  var HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

  /** 2^k exactly, for an integer k in [-1074, 1023]. */
  function pow2(k) {
    if (k >= -1022) {
      U32[HIGH] = (k + 1023) * 1048576;
      U32[1 - HIGH] = 0;
    } else {
      var bit = k + 1074;
      U32[HIGH] = bit >= 32 ? Math.pow(2, bit - 32) : 0;
      U32[1 - HIGH] = bit < 32 ? Math.pow(2, bit) : 0;
    }
    return F64[0];
  }

  function ldexp(v, k) {
    while (k > 1023) {
      v *= pow2(1023);
      k -= 1023;
    }
    while (k < -1022) {
      v *= pow2(-1022);
      k += 1022;
    }
    return v * pow2(k);
  }

  /** floor(log2(x)) for a finite x > 0, subnormal numbers included. */
  function exponentOf(x) {
    F64[0] = x;
    var biased = (U32[HIGH] >>> 20) & 0x7ff;
    if (biased === 0) {
      F64[0] = x * 18014398509481984; // 2^54
      return ((U32[HIGH] >>> 20) & 0x7ff) - 1023 - 54;
    }
    return biased - 1023;
  }

  function twoSum(a, b) {
    var s = a + b;
    var bb = s - a;
    return [s, a - (s - bb) + (b - bb)];
  }

  function fastTwoSum(a, b) {
    var s = a + b;
    return [s, b - (s - a)];
  }

  function split(a) {
    if (Math.abs(a) > 6.69692879491417e299) {
      // 2^996: scale so that 134217729 * a cannot overflow
      var scaled = split(a * 3.725290298461914e-9);
      return [scaled[0] * 268435456, scaled[1] * 268435456];
    }
    var t = 134217729 * a;
    var hi = t - (t - a);
    return [hi, a - hi];
  }

  function twoProd(a, b) {
    var p = a * b;
    var x = split(a);
    var y = split(b);
    return [p, x[0] * y[0] - p + x[0] * y[1] + x[1] * y[0] + x[1] * y[1]];
  }

  function ddAdd(a, b) {
    var s = twoSum(a[0], b[0]);
    var t = twoSum(a[1], b[1]);
    var c = fastTwoSum(s[0], s[1] + t[0]);
    return fastTwoSum(c[0], c[1] + t[1]);
  }

  function ddSub(a, b) {
    return ddAdd(a, [-b[0], -b[1]]);
  }

  function ddMul(a, b) {
    var p = twoProd(a[0], b[0]);
    return fastTwoSum(p[0], p[1] + (a[0] * b[1] + a[1] * b[0]));
  }

  function ddMulD(a, d) {
    var p = twoProd(a[0], d);
    return fastTwoSum(p[0], p[1] + a[1] * d);
  }

  function ddDiv(a, b) {
    var q1 = a[0] / b[0];
    var r = ddSub(a, ddMulD(b, q1));
    var q2 = r[0] / b[0];
    r = ddSub(r, ddMulD(b, q2));
    var q3 = r[0] / b[0];
    return ddAdd(fastTwoSum(q1, q2), [q3, 0]);
  }

  // ln 2 = LN2_1 + LN2_2 + LN2_3, the first two with 40 significant bits (so k * LN2_i is exact
  // for |k| < 2^13).
  var LN2_1 = 0.6931471805592082;
  var LN2_2 = 7.371002565161996e-13;
  var LN2_3 = 5.8029889835956905e-25;
  var LOG2E = 1.4426950408889634;
  var SQRT2 = 1.4142135623730951;
  var EXP_TERMS = 27;
  var LOG_TERMS = 22;
  var LOG_COEFFICIENTS = []; // 1/(2n + 1) in double-double
  for (var n = 0; n <= LOG_TERMS; n++) {
    LOG_COEFFICIENTS.push(ddDiv([1, 0], [2 * n + 1, 0]));
  }

  /** exp(r) for |r| <= 0.35 in double-double: the Taylor series in Horner form. */
  function ddExpSmall(r) {
    var p = [1, 0];
    for (var i = EXP_TERMS; i >= 1; i--) {
      p = ddAdd([1, 0], ddDiv(ddMul(r, p), [i, 0]));
    }
    return p;
  }

  /** exp(xh + xl) as [k, d]: the value is (d[0] + d[1]) * 2^k. */
  function expParts(xh, xl) {
    var k = Math.round(xh * LOG2E);
    var r = twoSum(xh - k * LN2_1, -k * LN2_2);
    r = ddAdd(r, [-k * LN2_3, 0]);
    r = ddAdd(r, [xl, 0]);
    return [k, ddExpSmall(r)];
  }

  /** (d[0] + d[1]) * 2^k, d > 0, rounded once to the nearest double (ties to even). */
  function finalize(d, k) {
    var e = exponentOf(d[0]) + k;
    if (e >= -1022) {
      return ldexp(d[0] + d[1], k);
    }
    if (e < -1076) {
      return 0;
    }
    // Subnormal: count in units of 2^-1074 and round to an integer.
    var j = k + 1074;
    var wh = ldexp(d[0], j);
    var wl = ldexp(d[1], j);
    var whole = Math.floor(wh);
    var fraction = wh - whole;
    if (fraction > 0.5 || (fraction === 0.5 && (wl > 0 || (wl === 0 && whole % 2 === 1)))) {
      whole += 1;
    }
    return whole * pow2(-1074);
  }

  function crExp(x) {
    if (x !== x) {
      return NaN;
    }
    if (x === 0) {
      return 1;
    }
    if (x > 709.8) {
      return Infinity;
    }
    if (x < -745.2) {
      return 0;
    }
    var parts = expParts(x, 0);
    return finalize(parts[1], parts[0]);
  }

  /** log(x) for a finite x > 0 in double-double. */
  function ddLog(x) {
    var e = exponentOf(x);
    var m = ldexp(x, -e);
    if (m > SQRT2) {
      m /= 2;
      e += 1;
    }
    // log(m) = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), s = (m - 1)/(m + 1), |s| <= 0.172
    var s = ddDiv([m - 1, 0], twoSum(m, 1));
    var z = ddMul(s, s);
    var sum = LOG_COEFFICIENTS[LOG_TERMS];
    for (var i = LOG_TERMS - 1; i >= 0; i--) {
      sum = ddAdd(LOG_COEFFICIENTS[i], ddMul(z, sum));
    }
    var logM = ddMul(ddMulD(s, 2), sum);
    if (e === 0) {
      return logM;
    }
    var logTwo = ddAdd(twoSum(e * LN2_1, e * LN2_2), [e * LN2_3, 0]);
    return ddAdd(logTwo, logM);
  }

  function crLog(x) {
    if (x !== x || x < 0) {
      return NaN;
    }
    if (x === 0) {
      return -Infinity;
    }
    if (x === Infinity) {
      return Infinity;
    }
    var d = ddLog(x);
    return d[0] + d[1];
  }

  function isOddInteger(y) {
    return Number.isInteger(y) && Math.abs(y) < 9007199254740992 && Math.abs(y % 2) === 1;
  }

  function crPow(x, y) {
    if (y === 0 || x === 1) {
      return 1;
    }
    if (x !== x || y !== y) {
      return NaN;
    }
    if (x === 0) {
      var odd = Object.is(x, -0) && isOddInteger(y);
      if (y > 0) {
        return odd ? -0 : 0;
      }
      return odd ? -Infinity : Infinity;
    }
    if (x < 0 && !Number.isInteger(y)) {
      return NaN;
    }
    if (!isFinite(x) || !isFinite(y)) {
      return Math.pow(x, y);
    }
    var ax = Math.abs(x);
    var result;
    if (Number.isInteger(y) && Math.abs(y) <= 64) {
      // Exact where the result fits in 106 bits, so halfway cases round to even like glibc.
      var e = exponentOf(ax);
      var m = ldexp(ax, -e);
      var count = Math.abs(y);
      var acc = [1, 0];
      var base = [m, 0];
      for (;;) {
        if (count % 2 === 1) {
          acc = ddMul(acc, base);
        }
        count = Math.floor(count / 2);
        if (count === 0) {
          break;
        }
        base = ddMul(base, base);
      }
      if (y < 0) {
        acc = ddDiv([1, 0], acc);
      }
      result = finalize(acc, e * y);
    } else {
      var t = ddMulD(ddLog(ax), y);
      if (t[0] > 709.8) {
        result = Infinity;
      } else if (t[0] < -745.2) {
        result = 0;
      } else {
        var parts = expParts(t[0], t[1]);
        result = finalize(parts[1], parts[0]);
      }
    }
    return x < 0 && isOddInteger(y) ? -result : result;
  }

  // --- normalization and caps ----------------------------------------------------------------

  function strip(chars) {
    var start = 0;
    var end = chars.length;
    while (start < end && has(SPACE, chars[start])) {
      start++;
    }
    while (end > start && has(SPACE, chars[end - 1])) {
      end--;
    }
    return chars.slice(start, end);
  }

  /** The normalized text as an array of code points (positions count code points). */
  function normalizeChars(text) {
    var chars = Array.from(text);
    var pieces = [];
    var i = 0;
    while (i < chars.length) {
      var ch = chars[i];
      if (has(SUPERSCRIPTS, ch)) {
        var j = i;
        while (j < chars.length && has(SUPERSCRIPTS, chars[j])) {
          j++;
        }
        pieces.push('^(' + chars.slice(i, j).join('') + ')');
        i = j;
        continue;
      }
      pieces.push(has(VULGAR_FRACTIONS, ch) ? '(' + ch + ')' : ch);
      i++;
    }
    var folded = Array.from(nfkc(pieces.join('')));
    for (var k = 0; k < folded.length; k++) {
      if (Object.prototype.hasOwnProperty.call(REPLACEMENTS, folded[k])) {
        folded[k] = REPLACEMENTS[folded[k]];
      }
    }
    return strip(folded);
  }

  /** Python's normalize(): fold the ways to type a symbol into one ASCII spelling. */
  function normalize(text) {
    return normalizeChars(text).join('');
  }

  function checkCaps(chars) {
    if (chars.length === 0) {
      throw answerError('empty');
    }
    if (chars.length > MAX_LENGTH) {
      throw answerError('too_long', { limit: MAX_LENGTH });
    }
    var depth = 0;
    for (var i = 0; i < chars.length; i++) {
      var ch = chars[i];
      if (ch === '(' || ch === '[') {
        depth += 1;
        if (depth > MAX_DEPTH) {
          throw answerError('too_deep', { limit: MAX_DEPTH });
        }
      } else if (ch === ')' || ch === ']') {
        depth = Math.max(depth - 1, 0);
      }
    }
  }

  /** A piece of the answer fit for a one-line message: spaces squeezed, controls spelled out. */
  function show(text, limit) {
    if (limit === undefined) {
      limit = 30;
    }
    var shown = [];
    for (var ch of text) {
      if (has(SPACE, ch)) {
        if (shown.length === 0 || shown[shown.length - 1] !== ' ') {
          shown.push(' ');
        }
      } else if (isPrintable(ch)) {
        shown.push(ch);
      } else {
        var hex = ch.codePointAt(0).toString(16).toUpperCase();
        while (hex.length < 4) {
          hex = '0' + hex;
        }
        Array.prototype.push.apply(shown, ('U+' + hex).split(''));
      }
    }
    return shown.length <= limit
      ? shown.join('')
      : shown.slice(0, limit - 1).join('') + ELLIPSIS;
  }

  // --- tokens --------------------------------------------------------------------------------

  function token(kind, text, start) {
    return { kind: kind, text: text, start: start };
  }

  function tokenize(chars) {
    var tokens = [];
    var i = 0;
    var n = chars.length;
    while (i < n) {
      var ch = chars[i];
      var end;
      if (has(SPACE, ch)) {
        i += 1;
        continue;
      }
      if (tokens.length === MAX_TOKENS) {
        throw answerError('too_many_tokens', { limit: MAX_TOKENS });
      }
      if (has(DIGITS, ch) || (ch === '.' && i + 1 < n && has(DIGITS, chars[i + 1]))) {
        end = numberEnd(chars, i);
        tokens.push(token('number', chars.slice(i, end).join(''), i));
      } else if (has(SINGLE_NAMES, ch)) {
        end = i + 1;
        tokens.push(token('name', ch, i));
      } else if (has(NAME_START, ch)) {
        end = i + 1;
        while (end < n && has(NAME_REST, chars[end])) {
          end += 1;
        }
        tokens.push(token('name', chars.slice(i, end).join(''), i));
      } else if (ch === '*' && i + 1 < n && chars[i + 1] === '*') {
        end = i + 2;
        tokens.push(token('op', '**', i));
      } else if (has(OPERATORS, ch)) {
        end = i + 1;
        tokens.push(token('op', ch, i));
      } else {
        var quote = ch === "'" ? '"' : "'";
        throw answerError('bad_character', { quoted: quote + show(ch) + quote, position: i + 1 });
      }
      i = end;
    }
    tokens.push(token('end', '', n));
    return tokens;
  }

  function numberEnd(chars, start) {
    var n = chars.length;
    var i = start;
    while (i < n && has(DIGITS, chars[i])) {
      i += 1;
    }
    if (i < n && chars[i] === '.') {
      i += 1;
      while (i < n && has(DIGITS, chars[i])) {
        i += 1;
      }
    }
    var mantissa = chars.slice(start, i).join('');
    var exponent = '';
    if (i < n && (chars[i] === 'e' || chars[i] === 'E')) {
      var j = i + 1;
      if (j < n && (chars[j] === '+' || chars[j] === '-')) {
        j += 1;
      }
      if (j < n && has(DIGITS, chars[j])) {
        var k = j;
        while (k < n && has(DIGITS, chars[k])) {
          k += 1;
        }
        exponent = chars.slice(j, k).join('').replace(/^0+/, '');
        i = k;
      }
    }
    var literal = chars.slice(start, i).join('');
    if (mantissa.replace('.', '').length > MAX_DIGITS) {
      throw answerError('too_many_digits', { number: show(literal), limit: MAX_DIGITS });
    }
    if (exponent.length > 3) {
      throw answerError('out_of_range', { number: show(literal) });
    }
    if (Math.abs(Number(literal)) > MAX_MAGNITUDE) {
      throw answerError('too_large', { what: show(literal) });
    }
    return i;
  }

  /** The indices of the "(" tokens that open a tuple: a comma at their level, or nothing. */
  function tupleParentheses(tokens) {
    var tuples = {};
    var stack = [];
    for (var i = 0; i < tokens.length; i++) {
      var t = tokens[i];
      if (t.kind !== 'op') {
        continue;
      }
      if (t.text === '(' || t.text === '[') {
        stack.push(i);
        if (t.text === '(' && tokens[i + 1].text === ')') {
          tuples[i] = true;
        }
      } else if (t.text === ')' || t.text === ']') {
        stack.pop();
      } else if (t.text === ',' && stack.length && tokens[stack[stack.length - 1]].text === '(') {
        tuples[stack[stack.length - 1]] = true;
      }
    }
    return tuples;
  }

  // --- the syntax tree -----------------------------------------------------------------------
  // Nodes are plain objects {type, ..., start, end}; type is one of "number" (value, text),
  // "constant" (name "pi" | "e"), "variable" (name), "call" (fn, argument), "negate" (operand),
  // "power" (base, exponent), "sum" and "product" (first, rest: [[op, node], ...]).

  function withSpan(node, start, end) {
    var copy = {};
    for (var key in node) {
      if (Object.prototype.hasOwnProperty.call(node, key)) {
        copy[key] = node[key];
      }
    }
    copy.start = start;
    copy.end = end;
    return copy;
  }

  // --- the parser ----------------------------------------------------------------------------

  function Parser(chars, tokens, functions, variables, flags) {
    this.chars = chars;
    this.tokens = tokens;
    this.index = 0;
    this.functions = functions;
    this.variables = variables;
    flags = flags || {};
    this.implicit = !!flags.implicit; // juxtaposition multiplies (expression answers)
    this.percent = !!flags.percent; // "%" divides by 100 (number and tensor answers)
    this.tuples = flags.tuples || {}; // the "(" tokens that open a list (tensor answers)
  }

  Parser.prototype.peek = function (ahead) {
    return this.tokens[Math.min(this.index + (ahead || 0), this.tokens.length - 1)];
  };

  Parser.prototype.at = function () {
    var t = this.peek();
    if (t.kind !== 'op') {
      return false;
    }
    for (var i = 0; i < arguments.length; i++) {
      if (t.text === arguments[i]) {
        return true;
      }
    }
    return false;
  };

  Parser.prototype.advance = function () {
    var t = this.tokens[this.index];
    if (t.kind !== 'end') {
      this.index += 1;
    }
    return t;
  };

  Parser.prototype.close = function (bracket, opened) {
    if (this.at(bracket)) {
      return this.advance();
    }
    var t = this.peek();
    if (t.kind === 'end') {
      throw answerError('missing_closer', {
        closer: bracket,
        opener: opened.text,
        position: opened.start + 1
      });
    }
    throw answerError('expected_closer', {
      closer: bracket,
      position: t.start + 1,
      found: show(t.text)
    });
  };

  Parser.prototype.finish = function (code) {
    var t = this.peek();
    if (t.kind === 'end') {
      return;
    }
    var where = { found: show(t.text), position: t.start + 1 };
    if (t.kind === 'number' || t.kind === 'name' || t.text === '(') {
      throw answerError('missing_operator', where);
    }
    throw answerError(code || 'unexpected', where);
  };

  Parser.prototype.unexpected = function (t) {
    if (t.kind === 'end') {
      return answerError('unexpected_end');
    }
    return answerError('unexpected', { found: show(t.text), position: t.start + 1 });
  };

  Parser.prototype.expr = function () {
    var first = this.term();
    var rest = [];
    while (this.at('+', '-')) {
      var op = this.advance().text === '+' ? '+' : '-';
      rest.push([op, this.term()]);
    }
    if (rest.length === 0) {
      return first;
    }
    return {
      type: 'sum',
      first: first,
      rest: rest,
      start: first.start,
      end: rest[rest.length - 1][1].end
    };
  };

  Parser.prototype.term = function () {
    var first = this.unary();
    var rest = [];
    var last = first;
    var divided = false;
    for (;;) {
      if (this.at('*', '/')) {
        var op = this.advance().text === '*' ? '*' : '/';
        last = this.unary();
        divided = op === '/';
        rest.push([op, last]);
      } else if (this.implicit && this.startsImplicitFactor()) {
        var t = this.peek();
        var where = { found: show(t.text), position: t.start + 1 };
        if (divided) {
          throw answerError('after_division', where);
        }
        if (this.endsInPower(last)) {
          throw answerError('after_power', where);
        }
        last = this.power();
        rest.push(['*', last]);
      } else {
        break;
      }
    }
    if (rest.length === 0) {
      return first;
    }
    return {
      type: 'product',
      first: first,
      rest: rest,
      start: first.start,
      end: rest[rest.length - 1][1].end
    };
  };

  /** Whether the next token starts a factor multiplied without "*" (answer_parser.py explains). */
  Parser.prototype.startsImplicitFactor = function () {
    var t = this.peek();
    if (t.kind === 'name') {
      if (t.text === 'e' && this.tokens[this.index - 1].kind === 'number') {
        var after = this.peek(1).text;
        return after === '^' || after === '**';
      }
      return true;
    }
    return t.kind === 'op' && t.text === '(';
  };

  /** Whether a factor ends in a bare exponent: e^2 or x^-n, not e^(2x) or (x^2). */
  Parser.prototype.endsInPower = function (node) {
    if (node.type === 'negate' && isSign(this.chars[node.start])) {
      return this.endsInPower(node.operand);
    }
    if (node.type !== 'power' || node.start !== node.base.start) {
      return false;
    }
    var exponent = node.exponent;
    while (exponent.type === 'negate' && isSign(this.chars[exponent.start])) {
      exponent = exponent.operand;
    }
    return !(this.chars[exponent.start] === '(' && this.chars[exponent.end - 1] === ')');
  };

  function isSign(ch) {
    return ch === '+' || ch === '-';
  }

  Parser.prototype.signs = function () {
    var negative = false;
    while (this.at('+', '-')) {
      if (this.advance().text === '-') {
        negative = !negative;
      }
    }
    return negative;
  };

  Parser.prototype.unary = function () {
    var start = this.peek().start;
    var negative = this.signs();
    var node = this.power();
    return negative ? { type: 'negate', operand: node, start: start, end: node.end } : node;
  };

  Parser.prototype.power = function () {
    var base = this.atom();
    var parts = [[base, false, base.start]];
    while (this.at('**', '^')) {
      var op = this.advance();
      if (parts.length > MAX_POWERS) {
        throw answerError('too_many_powers', { limit: MAX_POWERS, position: op.start + 1 });
      }
      var start = this.peek().start;
      var negative = this.signs();
      parts.push([this.atom(), negative, start]);
    }
    var last = parts[parts.length - 1];
    var node = last[0];
    if (last[1]) {
      node = { type: 'negate', operand: last[0], start: last[2], end: last[0].end };
    }
    for (var i = parts.length - 2; i >= 0; i--) {
      var atom = parts[i][0];
      node = { type: 'power', base: atom, exponent: node, start: atom.start, end: node.end };
      if (parts[i][1]) {
        node = { type: 'negate', operand: node, start: parts[i][2], end: node.end };
      }
    }
    return node;
  };

  Parser.prototype.atom = function () {
    var t = this.peek();
    var node;
    if (t.kind === 'number') {
      this.advance();
      var length = Array.from(t.text).length;
      if (this.percent && this.at('%')) {
        // The decimal point moves two places (83.33% is exactly the float 0.8333).
        this.advance();
        return {
          type: 'number',
          value: hundredth(t.text),
          text: t.text + '%',
          start: t.start,
          end: t.start + length + 1
        };
      }
      node = {
        type: 'number',
        value: Number(t.text),
        text: t.text,
        start: t.start,
        end: t.start + length
      };
    } else if (t.kind === 'name') {
      this.advance();
      return this.name(t);
    } else if (this.at('(')) {
      var opened = this.advance();
      var inner = this.expr();
      var closed = this.close(')', opened);
      node = withSpan(inner, opened.start, closed.start + 1);
    } else {
      throw this.unexpected(t);
    }
    if (this.percent && this.at('%')) {
      var sign = this.advance();
      var end = sign.start + 1;
      var hundred = { type: 'number', value: 100, text: '100', start: sign.start, end: end };
      node = { type: 'product', first: node, rest: [['/', hundred]], start: node.start, end: end };
    }
    return node;
  };

  /** A number literal divided by 100, as the decimal literal with its point moved. */
  function hundredth(literal) {
    var parts = literal.toLowerCase().split('e');
    var exponent = parts.length > 1 ? parseInt(parts[1], 10) : 0;
    return Number(parts[0] + 'e' + (exponent - 2));
  }

  Parser.prototype.name = function (t) {
    var name = t.text;
    var end = t.start + Array.from(name).length;
    if (contains(this.functions, name)) {
      if (!this.at('(')) {
        throw answerError('needs_parentheses', { name: name, position: t.start + 1 });
      }
      var opened = this.advance();
      var argument = this.expr();
      var closed = this.close(')', opened);
      var fn = CANONICAL_FUNCTIONS[name] || name;
      return { type: 'call', fn: fn, argument: argument, start: t.start, end: closed.start + 1 };
    }
    if (name === 'pi' || name === PI) {
      return { type: 'constant', name: 'pi', start: t.start, end: end };
    }
    if (name === 'e') {
      return { type: 'constant', name: 'e', start: t.start, end: end };
    }
    if (contains(this.variables, name)) {
      return { type: 'variable', name: name, start: t.start, end: end };
    }
    var allowed = this.variables.concat(this.functions, CONSTANTS).join(', ');
    throw answerError('unknown_name', { name: show(name), allowed: allowed });
  };

  Parser.prototype.item = function () {
    var closer;
    if (this.at('[')) {
      closer = ']';
    } else if (this.at('(') && this.tuples[this.index]) {
      closer = ')';
    } else {
      return evaluateIn(this.expr(), {}, this.chars);
    }
    var opened = this.advance();
    var items = [];
    while (!this.at(closer)) {
      items.push(this.item());
      if (this.at(',')) {
        this.advance();
        continue;
      }
      if (this.at(closer)) {
        break;
      }
      var t = this.peek();
      if (t.kind === 'end') {
        throw answerError('missing_closer', {
          closer: closer,
          opener: opened.text,
          position: opened.start + 1
        });
      }
      var where = { found: show(t.text), position: t.start + 1 };
      if (t.kind === 'number' || t.kind === 'name' || t.text === '(' || t.text === '[') {
        throw answerError('missing_comma', where);
      }
      where.closer = closer;
      throw answerError('expected_comma', where);
    }
    this.advance();
    return items;
  };

  // --- evaluation ----------------------------------------------------------------------------

  /** Evaluate a tree with the parser's guards; `chars` (the parsed text, or null) is quoted. */
  function evaluateIn(node, env, chars) {
    switch (node.type) {
      case 'number':
        return node.value;
      case 'constant':
        return node.name === 'pi' ? Math.PI : Math.E;
      case 'variable':
        if (!Object.prototype.hasOwnProperty.call(env, node.name)) {
          throw new Error('no value given for variable ' + pyStrRepr(node.name));
        }
        return bounded(Number(env[node.name]), node, chars);
      case 'negate':
        return -evaluateIn(node.operand, env, chars);
      case 'call':
        return callFunction(node, evaluateIn(node.argument, env, chars), chars);
      case 'power':
        return power(node, env, chars);
      case 'sum': {
        var total = evaluateIn(node.first, env, chars);
        for (var i = 0; i < node.rest.length; i++) {
          var value = evaluateIn(node.rest[i][1], env, chars);
          total = node.rest[i][0] === '+' ? total + value : total - value;
          bounded(total, node, chars);
        }
        return total;
      }
      default: {
        var result = evaluateIn(node.first, env, chars);
        for (var j = 0; j < node.rest.length; j++) {
          var factor = evaluateIn(node.rest[j][1], env, chars);
          if (node.rest[j][0] === '/' && factor === 0) {
            throw answerError('division_by_zero', { what: quote(node, chars) });
          }
          result = node.rest[j][0] === '*' ? result * factor : result / factor;
          bounded(result, node, chars);
        }
        return result;
      }
    }
  }

  function quote(node, chars, fallback) {
    if (chars && chars.length) {
      return show(chars.slice(node.start, node.end).join(''));
    }
    return fallback === undefined ? 'the expression' : fallback;
  }

  function bounded(value, node, chars) {
    if (!(isFinite(value) && Math.abs(value) <= MAX_MAGNITUDE)) {
      throw answerError('too_large', { what: quote(node, chars) });
    }
    return value;
  }

  function callFunction(node, x, chars) {
    switch (node.fn) {
      case 'sqrt':
        if (x < 0) {
          throw answerError('sqrt_negative', { what: quote(node, chars) });
        }
        return Math.sqrt(x);
      case 'log':
        if (x <= 0) {
          throw answerError('log_nonpositive', { what: quote(node, chars) });
        }
        return crLog(x);
      case 'exp':
      case 'sinh':
      case 'cosh':
        return bounded(growing(node.fn, x), node, chars);
      default:
        return smooth(node.fn, x);
    }
  }

  /** exp, sinh or cosh; Infinity past any float (answers._growing). */
  function growing(fn, x) {
    if (Math.abs(x) > 709) {
      return fn === 'sinh' && x < 0 ? -Infinity : Infinity;
    }
    if (fn === 'exp') {
      return crExp(x);
    }
    return fn === 'sinh' ? Math.sinh(x) : Math.cosh(x);
  }

  /** The functions that are finite wherever x is (answers._smooth). */
  function smooth(fn, x) {
    var t;
    switch (fn) {
      case 'sin':
        return Math.sin(x);
      case 'cos':
        return Math.cos(x);
      case 'tanh':
        return Math.tanh(x);
      case 'sech':
        t = crExp(-Math.abs(x));
        return (2 * t) / (1 + t * t);
      case 'sigmoid':
        if (x >= 0) {
          return 1 / (1 + crExp(-x));
        }
        t = crExp(x);
        return t / (1 + t);
      case 'softplus':
        return Math.max(x, 0) + Math.log1p(crExp(-Math.abs(x)));
      case 'relu':
        return x > 0 ? x : 0;
      default:
        return Math.abs(x);
    }
  }

  function power(node, env, chars) {
    // The exponent first: a tower is evaluated from the top and stops at the first huge value.
    var y = evaluateIn(node.exponent, env, chars);
    if (Math.abs(y) > MAX_EXPONENT) {
      var shown = quote(node.exponent, chars, pyRepr(y));
      throw answerError('exponent_too_large', { what: shown, limit: pyG(MAX_EXPONENT) });
    }
    var x = evaluateIn(node.base, env, chars);
    if (x === 0 && y < 0) {
      throw answerError('zero_negative_power', { what: quote(node, chars) });
    }
    if (x < 0 && y !== Math.floor(y)) {
      throw answerError('negative_fractional_power', { what: quote(node, chars) });
    }
    return bounded(crPow(x, y), node, chars);
  }

  function children(node) {
    switch (node.type) {
      case 'call':
        return [node.argument];
      case 'negate':
        return [node.operand];
      case 'power':
        return [node.base, node.exponent];
      case 'sum':
      case 'product':
        return [node.first].concat(
          node.rest.map(function (pair) {
            return pair[1];
          })
        );
      default:
        return [];
    }
  }

  function hasVariables(node) {
    return node.type === 'variable' || children(node).some(hasVariables);
  }

  /** Evaluate every variable-free part of an expression, so the number guards apply there. */
  function guardConstants(node, chars) {
    if (!hasVariables(node)) {
      evaluateIn(node, {}, chars);
      return;
    }
    children(node).forEach(function (child) {
      guardConstants(child, chars);
    });
    if (node.type === 'power' && !hasVariables(node.exponent)) {
      var y = evaluateIn(node.exponent, {}, chars);
      if (Math.abs(y) > MAX_EXPONENT) {
        throw answerError('exponent_too_large', {
          what: quote(node.exponent, chars),
          limit: pyG(MAX_EXPONENT)
        });
      }
    }
  }

  // --- shapes of nested lists ----------------------------------------------------------------

  function tensorShape(value) {
    return shapeAt(value, []);
  }

  function sameList(a, b) {
    if (a.length !== b.length) {
      return false;
    }
    for (var i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) {
        return false;
      }
    }
    return true;
  }

  function shapeAt(value, path) {
    if (!Array.isArray(value)) {
      return [];
    }
    if (value.length === 0) {
      return [0];
    }
    var first = shapeAt(value[0], path.concat([0]));
    for (var i = 1; i < value.length; i++) {
      var shape = shapeAt(value[i], path.concat([i]));
      if (!sameList(shape, first)) {
        raiseRagged(shape, first, path.concat([i]));
      }
    }
    return [value.length].concat(first);
  }

  function zeros(n) {
    var out = [];
    for (var i = 0; i < n; i++) {
      out.push(0);
    }
    return out;
  }

  function raiseRagged(shape, expected, path) {
    var common = Math.min(shape.length, expected.length);
    for (var d = 0; d < common; d++) {
      if (shape[d] !== expected[d]) {
        var where = path.concat(zeros(d));
        var n = shape[d];
        var m = expected[d];
        var sizes = { count: n, entries: n === 1 ? 'entry' : 'entries', expected: m };
        if (where.length === 1) {
          sizes.row = where[0] + 1;
          throw answerError('row_length', sizes);
        }
        sizes.index = indexText(where);
        throw answerError('list_length', sizes);
      }
    }
    var at = path.concat(zeros(common));
    if (shape.length < expected.length) {
      throw answerError('item_is_number', { index: indexText(at) });
    }
    throw answerError('item_is_list', { index: indexText(at) });
  }

  function indexText(path) {
    return '[' + path.join(', ') + ']';
  }

  // --- the kinds -----------------------------------------------------------------------------

  function checkVariables(variables) {
    variables.forEach(function (name) {
      if (typeof name !== 'string' || !NAME_PATTERN.test(name) || contains(RESERVED, name)) {
        throw new Error(
          'variables must be plain names other than ' + RESERVED.join(', ') + ', got ' +
            (typeof name === 'string' ? pyStrRepr(name) : String(name))
        );
      }
    });
  }

  function codePointLength(text, limit) {
    var count = 0;
    for (var i = 0; i < text.length; i++) {
      var unit = text.charCodeAt(i);
      if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
        var next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          i++;
        }
      }
      count++;
      if (count > limit) {
        break;
      }
    }
    return count;
  }

  /**
   * Parse; throws AnswerError for a bad answer and Error for a bad kind, variables or options.
   * options: a choice question's option texts (answers.parse_answer).
   */
  function parse(text, kind, variables, options) {
    if (!contains(KINDS, kind)) {
      throw new Error('kind must be one of ' + KINDS.join(', ') + ', got ' + String(kind));
    }
    variables = variables === undefined || variables === null ? ['x'] : Array.from(variables);
    checkVariables(variables);
    options = options === undefined || options === null ? [] : Array.from(options);
    if (options.length > MAX_OPTIONS) {
      throw new Error('a choice question has at most ' + MAX_OPTIONS + ' options');
    }
    return parseText(String(text), kind, variables, options);
  }

  function parseText(text, kind, variables, options) {
    if (codePointLength(text, MAX_RAW_LENGTH) > MAX_RAW_LENGTH) {
      throw answerError('too_long', { limit: MAX_LENGTH });
    }
    var chars = normalizeChars(text);
    var normalized = chars.join('');
    checkCaps(chars);
    if (kind === 'choice') {
      return parseChoice(chars, options);
    }
    if (kind === 'shape') {
      return parseShape(chars);
    }
    var tokens = tokenize(chars);
    var parser;
    if (kind === 'expression') {
      parser = new Parser(chars, tokens, EXPRESSION_FUNCTIONS, variables, { implicit: true });
      var tree = parser.expr();
      parser.finish();
      guardConstants(tree, chars);
      return { kind: kind, value: tree, shape: [], text: normalized };
    }
    if (kind === 'tensor') {
      parser = new Parser(chars, tokens, NUMBER_FUNCTIONS, [], {
        percent: true,
        tuples: tupleParentheses(tokens)
      });
      return parseTensor(parser, normalized);
    }
    parser = new Parser(chars, tokens, NUMBER_FUNCTIONS, [], { percent: true });
    var value = evaluateIn(parser.expr(), {}, chars);
    parser.finish();
    if (kind === 'number') {
      return { kind: kind, value: value, shape: [], text: normalized };
    }
    if (value !== Math.floor(value)) {
      throw answerError('not_whole', { value: pyRepr(value) });
    }
    return { kind: kind, value: value === 0 ? 0 : value, shape: [], text: normalized };
  }

  function parseTensor(parser, normalized) {
    var first = parser.peek();
    var second = parser.peek(1);
    var third = parser.peek(2);
    var skip = 0;
    if (first.text === 'torch' && second.text === '.' && third.text === 'tensor') {
      skip = 3;
    } else if (first.kind === 'name' && first.text === 'tensor') {
      skip = 1;
    }
    var opened = null;
    if (skip && parser.peek(skip).text === '(') {
      for (var i = 0; i < skip; i++) {
        parser.advance();
      }
      opened = parser.advance();
    }
    var value = parser.item();
    if (opened !== null) {
      parser.close(')', opened);
    }
    parser.finish('unexpected_in_tensor');
    return { kind: 'tensor', value: value, shape: tensorShape(value), text: normalized };
  }

  /** A size as canonical decimal digits (sizes may have up to 30 digits). */
  function canonicalDigits(digits) {
    var stripped = digits.replace(/^0+/, '');
    return stripped === '' ? '0' : stripped;
  }

  function shapeAnswer(digitList, normalized) {
    return {
      kind: 'shape',
      value: digitList.map(Number),
      shape: [digitList.length],
      text: normalized,
      digits: digitList
    };
  }

  function parseShape(chars) {
    var text = chars.join('');
    if (DIMS_PATTERN.test(text)) {
      var parts = text.split(DIMS_SEPARATOR);
      for (var p = 0; p < parts.length; p++) {
        if (parts[p].length > MAX_DIGITS) {
          throw answerError('too_many_digits', { number: show(parts[p]), limit: MAX_DIGITS });
        }
      }
      return shapeAnswer(parts.map(canonicalDigits), text);
    }
    var tokens = tokenize(chars).slice(0, -1);
    var names = tokens.slice(0, 4).map(function (t) {
      return t.text;
    });
    if (names[0] === 'torch' && names[1] === '.' && names[2] === 'Size' && names[3] === '(' &&
        names.length === 4) {
      tokens = stripPair(tokens.slice(3), '(', ')');
    } else if (names[0] === 'Size' && names[1] === '(') {
      tokens = stripPair(tokens.slice(1), '(', ')');
    }
    if (tokens.length && tokens[0].text === '(') {
      tokens = stripPair(tokens, '(', ')');
    } else if (tokens.length && tokens[0].text === '[') {
      tokens = stripPair(tokens, '[', ']');
    }
    var dims = [];
    for (var i = 0; i < tokens.length; i++) {
      var t = tokens[i];
      if (i % 2 === 1) {
        if (t.text !== ',') {
          throw shapeError(t);
        }
        continue;
      }
      if (t.kind === 'op' && t.text === '-' && i + 1 < tokens.length) {
        throw answerError('shape_negative', { found: show(tokens[i + 1].text) });
      }
      if (t.kind !== 'number') {
        throw shapeError(t);
      }
      if (!/^[0-9]*$/.test(t.text)) {
        throw answerError('shape_not_whole', { found: show(t.text) });
      }
      dims.push(canonicalDigits(t.text));
    }
    return shapeAnswer(dims, text);
  }

  function stripPair(tokens, opener, closer) {
    if (tokens.length < 2 || tokens[tokens.length - 1].text !== closer) {
      throw answerError('missing_closer', {
        closer: closer,
        opener: opener,
        position: tokens[0].start + 1
      });
    }
    return tokens.slice(1, -1);
  }

  function shapeError(t) {
    if (t.kind === 'end') {
      return answerError('shape_expected');
    }
    return answerError('shape_found', { found: show(t.text), position: t.start + 1 });
  }

  /** The options' values when every option is a number, else null (answers.number_options). */
  function numberOptions(options) {
    var values = [];
    for (var i = 0; i < options.length; i++) {
      try {
        values.push(parseText(String(options[i]), 'number', [], []).value);
      } catch (error) {
        if (error instanceof AnswerError) {
          return null;
        }
        throw error;
      }
    }
    return values.length ? values : null;
  }

  function parseChoice(chars, options) {
    var text = chars.join('');
    var compact = chars
      .filter(function (ch) {
        return !has(SPACE, ch);
      })
      .join('');
    var count = options.length;
    var letters = count ? letterRange(count) : '';
    var match = CHOICE_PATTERN.exec(compact);
    if (match !== null) {
      var letter = (match[1] || match[2]).toUpperCase();
      if (count && letter.charCodeAt(0) - 65 >= count) {
        throw answerError('not_an_option', { letters: letters });
      }
      return { kind: 'choice', value: letter, shape: [], text: text };
    }
    if (count) {
      var values = numberOptions(options);
      if (values !== null) {
        return choiceByValue(text, values, letters);
      }
      var number = OPTION_NUMBER_PATTERN.exec(compact);
      if (number !== null) {
        var position = parseInt(number[1] || number[2], 10);
        if (!(position >= 1 && position <= count)) {
          throw answerError('not_an_option', { letters: letters });
        }
        return { kind: 'choice', value: String.fromCharCode(64 + position), shape: [], text: text };
      }
      throw answerError('choice_expected_numbered', {
        letters: letters,
        numbers: numberRange(count),
        found: show(text, 20)
      });
    }
    throw answerError('choice_expected', { found: show(text, 20) });
  }

  /** The option whose value was typed (options that are numbers), or an AnswerError. */
  function choiceByValue(text, values, letters) {
    var typed;
    try {
      typed = parseText(text, 'number', [], []);
    } catch (error) {
      if (error instanceof AnswerError) {
        throw answerError('choice_expected_letters', { letters: letters, found: show(text, 20) });
      }
      throw error;
    }
    for (var i = 0; i < values.length; i++) {
      if (typed.value === values[i]) {
        return { kind: 'choice', value: String.fromCharCode(65 + i), shape: [], text: text };
      }
    }
    throw answerError('not_an_option_value', { found: show(text, 20), letters: letters });
  }

  /**
   * Parse what a student typed as an answer of the given kind.
   * Returns {kind, value, shape, text} or {error: message}, the message in `lang` (English when
   * left out); throws Error for a bad kind, variables or options (a bug in the question, not the
   * answer).
   */
  function parseAnswer(text, kind, variables, options, lang) {
    try {
      var answer = parse(text, kind, variables, options);
      var out = { kind: answer.kind, value: answer.value, shape: answer.shape, text: answer.text };
      return out;
    } catch (error) {
      if (error instanceof AnswerError) {
        return { error: error.inLanguage(languageOf(lang)) };
      }
      throw error;
    }
  }

  /** Evaluate an expression tree at a point, e.g. evaluate(tree, {x: 0.3}); throws on failure. */
  function evaluate(node, env) {
    return evaluateIn(node, env, null);
  }

  // --- checking ------------------------------------------------------------------------------

  function decade(magnitude) {
    var k = Math.floor(Math.log10(magnitude));
    if (tenTo(k) > magnitude) {
      k -= 1;
    } else if (k < 308 && tenTo(k + 1) <= magnitude) {
      k += 1;
    }
    return k;
  }

  /** 10.0 ** k correctly rounded, as CPython computes it (the decimal literal "1ek"). */
  function tenTo(k) {
    return Number('1e' + k);
  }

  /** The rounding unit of a precision at the key (checking.Precision.unit). */
  function precisionUnit(precision, expected) {
    if (precision.decimals !== null) {
      return tenTo(-precision.decimals);
    }
    if (precision.sigfigs === null || expected === 0 || !isFinite(expected)) {
      return 0;
    }
    return tenTo(decade(Math.abs(expected)) - precision.sigfigs + 1);
  }

  /**
   * Whether a number is close enough to the expected one (checking.close): by a precision
   * ({precision: true, sigfigs, decimals, fraction}) or a tolerance ({rel, abs, sigfigs}).
   */
  function close(given, expected, tol) {
    if (!(isFinite(given) && isFinite(expected))) {
      return false;
    }
    var diff = Math.abs(given - expected);
    var floatError = 4 * EPSILON * Math.abs(expected);
    if (tol.precision) {
      return diff <= 0.5 * precisionUnit(tol, expected) * (1 + TIE_SLACK) + floatError;
    }
    if (tol.sigfigs === null || tol.sigfigs === undefined) {
      return diff <= tol.abs + tol.rel * Math.abs(expected);
    }
    if (expected === 0) {
      return diff <= tol.abs;
    }
    var halfUnit = 0.5 * tenTo(decade(Math.abs(expected)) - tol.sigfigs + 1);
    return diff <= halfUnit * (1 + TIE_SLACK) + floatError;
  }

  /** The precisions with fewer digits, nearest first (checking.Precision.coarser). */
  function coarser(precision) {
    var out = [];
    var n;
    if (precision.sigfigs !== null) {
      for (n = precision.sigfigs - 1; n >= 1; n--) {
        out.push(makePrecision({ sigfigs: n }));
      }
    } else if (precision.decimals !== null) {
      for (n = precision.decimals - 1; n >= 0; n--) {
        out.push(makePrecision({ decimals: n }));
      }
    }
    return out;
  }

  /** Whether `given` is `expected` correctly rounded to fewer digits than asked. */
  function roundedCoarser(given, expected, precision) {
    var list = coarser(precision);
    for (var i = 0; i < list.length; i++) {
      var unit = precisionUnit(list[i], expected);
      if (unit === 0) {
        continue;
      }
      var steps = given / unit;
      if (!isFinite(steps)) {
        continue;
      }
      var whole = Math.abs(steps - Math.floor(steps + 0.5)) <= WHOLE_SLACK;
      if (whole && close(given, expected, list[i])) {
        return true;
      }
    }
    return false;
  }

  /** A precision as the checker holds it, from its JSON form; null for null or undefined. */
  function makePrecision(raw) {
    if (raw === undefined || raw === null) {
      return null;
    }
    var precision = {
      precision: true,
      sigfigs: raw.sigfigs === undefined ? null : raw.sigfigs,
      decimals: raw.decimals === undefined ? null : raw.decimals,
      fraction: raw.fraction === undefined ? false : raw.fraction
    };
    [['sigfigs', 1], ['decimals', 0]].forEach(function (pair) {
      var value = precision[pair[0]];
      var valid = Number.isInteger(value) && value >= pair[1] && value <= MAX_FIGURES;
      if (value !== null && !valid) {
        throw new Error('precision ' + pair[0] + ' must be an int from ' + pair[1] + ' to ' +
          MAX_FIGURES + ', got ' + value);
      }
    });
    if (precision.sigfigs !== null && precision.decimals !== null) {
      throw new Error('a precision gives sigfigs or decimals, not both');
    }
    if (typeof precision.fraction !== 'boolean') {
      throw new Error('precision fraction must be true or false, got ' + precision.fraction);
    }
    return precision;
  }

  function isExact(precision) {
    return precision.sigfigs === null && precision.decimals === null;
  }

  /** The nearest tolerance of a precision (checking.Precision.tolerance). */
  function precisionTolerance(precision) {
    if (precision.decimals !== null) {
      return { rel: 0, abs: 0.5 * tenTo(-precision.decimals), sigfigs: null };
    }
    return { rel: 0, abs: 0, sigfigs: precision.sigfigs };
  }

  function makeTolerance(raw, kind) {
    if (raw === undefined || raw === null) {
      return DEFAULT_TOLERANCE[kind];
    }
    var tol = {
      rel: raw.rel === undefined || raw.rel === null ? 0 : raw.rel,
      abs: raw.abs === undefined || raw.abs === null ? 0 : raw.abs,
      sigfigs: raw.sigfigs === undefined ? null : raw.sigfigs
    };
    ['rel', 'abs'].forEach(function (name) {
      var value = tol[name];
      if (!(typeof value === 'number' && isFinite(value) && value >= 0)) {
        throw new Error('tolerance ' + name + ' must be a finite number >= 0, got ' + value);
      }
    });
    if (tol.sigfigs !== null && !(Number.isInteger(tol.sigfigs) && tol.sigfigs >= 1)) {
      throw new Error('tolerance sigfigs must be an int >= 1, got ' + tol.sigfigs);
    }
    return tol;
  }

  function namesIn(value) {
    if (typeof value !== 'string') {
      return [];
    }
    // Number literals first: the e in 1e5 or 2.5E-3 is not a variable.
    var found = [];
    var word = '';
    var text = value.replace(/(^|[^A-Za-z0-9_.])(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/g, '$1 ') + ' ';
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (/[A-Za-z0-9_]/.test(ch) && (word || !/[0-9]/.test(ch))) {
        word += ch;
        continue;
      }
      if (word && !contains(found, word) && !contains(NOT_VARIABLES, word)) {
        found.push(word);
      }
      word = '';
    }
    return found;
  }

  /**
   * The key in the checker's form: kind, expected answer, precision (null: graded by the
   * tolerance), tolerance, options and variables (checking.Key).
   */
  function makeKey(key) {
    if (key && key.answer && typeof key.answer === 'object' && !Array.isArray(key.answer)) {
      key = {
        kind: key.answer.kind,
        value: key.answer.value,
        shape: key.answer.shape,
        precision: key.answer.precision,
        options: key.answer.options || key.options,
        tolerance: key.tolerance,
        variables: key.answer.variables || key.variables,
        domain: key.answer.domain || key.domain
      };
    }
    var kind = key.kind;
    if (!contains(KINDS, kind)) {
      throw new Error('key kind must be one of ' + KINDS.join(', ') + ', got ' + String(kind));
    }
    var domain = makeDomain(key.domain);
    var options = makeOptions(key.options, kind);
    var precision = makePrecision(key.precision);
    var given = key.tolerance !== undefined && key.tolerance !== null;
    if (precision === null && !given && DEFAULT_PRECISION[kind] !== null) {
      precision = makePrecision(DEFAULT_PRECISION[kind]);
    }
    if (precision !== null && kind === 'expression') {
      throw new Error('an expression key has no precision (it is compared as a function)');
    }
    if (precision !== null && !isExact(precision) &&
        (kind === 'integer' || kind === 'shape' || kind === 'choice')) {
      throw new Error(
        'a key of kind ' + pyStrRepr(kind) + ' is exact: it takes no sigfigs or decimals'
      );
    }
    var tolerance = given || precision === null
      ? makeTolerance(key.tolerance, kind)
      : precisionTolerance(precision);
    var variables = key.variables && key.variables.length ? Array.from(key.variables) : null;
    if (variables === null) {
      var found = kind === 'expression' ? namesIn(key.value) : [];
      variables = ['x'].concat(
        found.filter(function (name) {
          return name !== 'x';
        })
      );
    }
    var expected = asAnswer(key.value, kind, variables, 'key', options);
    if (key.shape && key.shape.length && !sameList(key.shape.map(Number), expected.shape)) {
      throw new Error(
        'key shape ' + shapeText(key.shape.map(String)) + ' does not match the shape ' +
          shapeText(expected.shape.map(String)) + ' of its value'
      );
    }
    return {
      kind: kind,
      precision: precision,
      tolerance: tolerance,
      rule: precision !== null ? precision : tolerance,
      options: options,
      variables: variables,
      domain: domain,
      expected: expected
    };
  }

  function makeOptions(raw, kind) {
    if (raw === undefined || raw === null || raw.length === 0) {
      return [];
    }
    if (kind !== 'choice') {
      throw new Error('only a choice key has options, not a key of kind ' + pyStrRepr(kind));
    }
    if (!Array.isArray(raw) || !raw.every(function (o) {
      return typeof o === 'string';
    })) {
      throw new TypeError('key options must be a sequence of texts');
    }
    if (raw.length > MAX_OPTIONS) {
      throw new Error('a choice key has at most ' + MAX_OPTIONS + ' options, got ' + raw.length);
    }
    return raw.slice();
  }

  function makeDomain(raw) {
    if (raw === undefined || raw === null) {
      return DEFAULT_DOMAIN;
    }
    var ok = Array.isArray(raw) && raw.length === 2 && raw.every(function (end) {
      return typeof end === 'number';
    });
    if (!ok) {
      throw new Error('key domain must be two numbers (a, b), got ' + JSON.stringify(raw));
    }
    if (!(-MAX_DOMAIN <= raw[0] && raw[0] < raw[1] && raw[1] <= MAX_DOMAIN)) {
      throw new Error(
        'key domain must be an interval (a, b) with a < b, both finite and at most ' +
          pyG(MAX_DOMAIN) + ' in size, got ' + JSON.stringify(raw)
      );
    }
    return [raw[0], raw[1]];
  }

  function toFloat(value, what) {
    if (typeof value !== 'number') {
      throw new TypeError(what + ' must be a number, got ' + typeof value);
    }
    if (!(isFinite(value) && Math.abs(value) <= 1e300)) {
      throw new Error(what + ' must be finite and at most 1e300 in size, got ' + value);
    }
    return value;
  }

  function toNested(value, what) {
    if (Array.isArray(value)) {
      return value.map(function (item) {
        return toNested(item, what);
      });
    }
    return toFloat(value, what);
  }

  /** A key or misconception value as the answer a parse of its text would give. */
  function asAnswer(value, kind, variables, what, options) {
    if (typeof value === 'string') {
      try {
        return parse(value, kind, variables, options);
      } catch (error) {
        if (error instanceof AnswerError) {
          throw new Error(
            'invalid ' + what + ' ' + pyStrRepr(value) + ' for kind ' + pyStrRepr(kind) + ': ' +
              error.message
          );
        }
        throw error;
      }
    }
    if (kind === 'expression' && value && typeof value === 'object' && value.type) {
      return { kind: kind, value: value, shape: [], text: '' };
    }
    if (kind === 'choice' || kind === 'expression') {
      throw new TypeError(what + ' of kind ' + pyStrRepr(kind) + ' must be text');
    }
    if (kind === 'shape') {
      var ok = Array.isArray(value) && value.every(function (v) {
        return typeof v === 'number' && Number.isInteger(v) && v >= 0;
      });
      if (!ok) {
        throw new TypeError(what + " of kind 'shape' must be a list of sizes");
      }
      return shapeAnswer(value.map(function (v) {
        return canonicalDigits(String(v));
      }), '');
    }
    if (kind === 'tensor') {
      var nested = toNested(value, what);
      try {
        return { kind: kind, value: nested, shape: tensorShape(nested), text: '' };
      } catch (error) {
        if (error instanceof AnswerError) {
          throw new Error(what + ' is not a rectangular tensor: ' + error.message);
        }
        throw error;
      }
    }
    var number = toFloat(value, what);
    if (kind === 'integer' && number !== Math.floor(number)) {
      throw new Error(what + " of kind 'integer' must be a whole number, got " + value);
    }
    return { kind: kind, value: number, shape: [], text: '' };
  }

  function verdict(correct, message, wrong) {
    return {
      understood: true,
      correct: correct,
      message: message,
      misconception: null,
      feedback: null,
      wrong: wrong || [],
      undecided: false
    };
  }

  /**
   * Compare two parsed values of the same kind (checking._compare); `samples` are the given
   * expression's, shared by the comparisons of one check.
   */
  function compare(given, expected, tol, key, lang, samples) {
    var kind = expected.kind;
    if ((kind === 'tensor' || kind === 'shape') && !sameList(given.shape, expected.shape)) {
      return verdict(false, shapeMessage(given, expected, lang));
    }
    if (kind === 'tensor') {
      return compareTensors(given.value, expected.value, expected.shape, tol, lang);
    }
    if (kind === 'expression') {
      var found = agreeAtSamples(
        samples || new Samples(given, key),
        new Samples(expected, key),
        tol,
        lang
      );
      if (found === null) {
        var undecided = verdict(false, say(lang, 'undecided'));
        undecided.undecided = true;
        return undecided;
      }
      return found;
    }
    var same;
    if (kind === 'number' || kind === 'integer') {
      same = close(given.value, expected.value, tol);
    } else if (kind === 'shape') {
      same = sameList(given.digits, expected.digits);
    } else {
      same = given.value === expected.value;
    }
    if (same) {
      return verdict(true, say(lang, 'correct'));
    }
    if (kind === 'shape') {
      return verdict(false, shapeMessage(given, expected, lang));
    }
    return verdict(false, say(lang, 'incorrect'));
  }

  function shapeText(shape) {
    if (shape.length === 1) {
      return '(' + shape[0] + ',)';
    }
    return '(' + shape.join(', ') + ')';
  }

  function shapeMessage(given, expected, lang) {
    var want;
    var got;
    if (expected.kind === 'shape') {
      want = expected.digits;
      got = given.digits;
    } else {
      want = expected.shape.map(String);
      got = given.shape.map(String);
    }
    var message = say(lang, 'shape', { want: shapeText(want), got: shapeText(got) });
    if (expected.kind === 'tensor' && sameList(want, ['1']) && got.length === 0) {
      message += say(lang, 'one_element');
    } else if (expected.kind === 'tensor' && want.length === 0 && sameList(got, ['1'])) {
      message += say(lang, 'no_brackets');
    }
    return message;
  }

  function flatten(value) {
    if (Array.isArray(value)) {
      var out = [];
      value.forEach(function (item) {
        Array.prototype.push.apply(out, flatten(item));
      });
      return out;
    }
    return [value];
  }

  function unravel(flat, shape) {
    var index = [];
    for (var d = shape.length - 1; d >= 0; d--) {
      index.unshift(flat % shape[d]);
      flat = Math.floor(flat / shape[d]);
    }
    return index;
  }

  function compareTensors(given, expected, shape, tol, lang) {
    var g = flatten(given);
    var e = flatten(expected);
    var wrong = [];
    for (var i = 0; i < e.length; i++) {
      if (!close(g[i], e[i], tol)) {
        wrong.push(unravel(i, shape));
      }
    }
    if (wrong.length === 0) {
      return verdict(true, say(lang, 'correct'));
    }
    if (shape.length === 0) {
      return verdict(false, say(lang, 'incorrect'), wrong);
    }
    if (wrong.length === 1) {
      return verdict(false, say(lang, 'entry_off', { index: indexText(wrong[0]) }), wrong);
    }
    return verdict(false, say(lang, 'entries_off', { indices: positions(wrong, lang) }), wrong);
  }

  /** Two or more positions for a message (checking._positions). */
  function positions(wrong, lang) {
    var listed = wrong.slice(0, MAX_LISTED).map(indexText);
    if (wrong.length > MAX_LISTED) {
      return say(lang, 'positions_more', {
        listed: listed.join(', '),
        count: wrong.length - MAX_LISTED
      });
    }
    return say(lang, 'positions', {
      first: listed.slice(0, -1).join(', '),
      last: listed[listed.length - 1]
    });
  }

  /** An expression's values at the key's sample points, each computed on first use. */
  function Samples(answer, key) {
    this.node = answer.value;
    this.chars = Array.from(answer.text || '');
    this.envs = sampleEnvs(key.variables, key.domain);
    this.values = new Array(this.envs.length);
  }

  /** The value at point k, or the AnswerError saying why there is none. */
  Samples.prototype.at = function (k) {
    if (this.values[k] === undefined) {
      try {
        this.values[k] = evaluateIn(this.node, this.envs[k], this.chars);
      } catch (error) {
        if (!(error instanceof AnswerError)) {
          throw error;
        }
        this.values[k] = error;
      }
    }
    return this.values[k];
  };

  function sampleEnvs(variables, domain) {
    var points = samplePoints(domain);
    var n = points.length;
    var envs = [];
    for (var k = 0; k < n; k++) {
      var env = {};
      for (var j = 0; j < variables.length; j++) {
        env[variables[j]] = points[(k + SAMPLE_STRIDE * j) % n];
      }
      envs.push(env);
    }
    return envs;
  }

  /** The verdict of the sample points; null when the expected side is defined at too few. */
  function agreeAtSamples(given, expected, tol, lang) {
    var n = expected.envs.length;
    var defined = [];
    for (var k = 0; k < n; k++) {
      if (!(expected.at(k) instanceof AnswerError)) {
        defined.push(k);
      }
    }
    if (defined.length < MIN_SAMPLE_POINTS) {
      return null;
    }
    for (var i = 0; i < defined.length; i++) {
      var value = given.at(defined[i]);
      if (value instanceof AnswerError) {
        var env = given.envs[defined[i]];
        var where = Object.keys(env).map(function (name) {
          return name + ' = ' + pyRepr(env[name]);
        });
        return verdict(false, say(lang, 'undefined_at', {
          where: where.join(', '),
          reason: value.inLanguage(lang)
        }));
      }
      if (!close(value, expected.at(defined[i]), tol)) {
        return verdict(false, say(lang, 'not_equivalent'));
      }
    }
    return verdict(true, say(lang, 'correct'));
  }

  /**
   * Check a typed answer against the key (checking.check).
   * Returns {understood, correct, message, misconception, feedback, wrong, undecided}.
   */
  function check(text, key, misconceptions, lang) {
    if (lang === undefined || lang === null) {
      lang = key && key.lang;
    }
    lang = languageOf(lang);
    var k = makeKey(key);
    var given;
    try {
      given = parse(text, k.kind, k.variables, k.options);
    } catch (error) {
      if (error instanceof AnswerError) {
        return {
          understood: false,
          correct: false,
          message: error.inLanguage(lang),
          misconception: null,
          feedback: null,
          wrong: [],
          undecided: false
        };
      }
      throw error;
    }
    // An expression's values are computed once, for the key and every misconception.
    var samples = k.kind === 'expression' ? new Samples(given, k) : null;
    var result = compare(given, k.expected, k.rule, k, lang, samples);
    if (result.correct || result.undecided) {
      return result;
    }
    var list = misconceptions || [];
    for (var i = 0; i < list.length; i++) {
      var mistake = list[i];
      var wrong = asAnswer(
        mistake.value,
        k.kind,
        k.variables,
        'misconception ' + pyStrRepr(String(mistake.name)),
        k.options
      );
      var match = compare(given, wrong, k.rule, k, lang, samples);
      if (match.undecided) {
        result.undecided = true;
        return result;
      }
      if (match.correct) {
        result.misconception = mistake.name;
        result.feedback = mistake.feedback === undefined ? null : mistake.feedback;
        return result;
      }
    }
    return explain(given, k, result, lang);
  }

  /** Why a number or tensor answer of the right shape is wrong, where we can tell. */
  function explain(given, k, result, lang) {
    var precision = k.precision;
    var expected = k.expected;
    if (precision === null || (k.kind !== 'number' && k.kind !== 'tensor') ||
        !sameList(given.shape, expected.shape)) {
      return result;
    }
    var g = flatten(given.value);
    var e = flatten(expected.value);
    var shape = expected.shape;
    var i;
    if (isExact(precision)) {
      var whole = e.every(function (v) {
        return v === Math.floor(v);
      });
      if (k.kind === 'tensor' && whole) {
        for (i = 0; i < g.length; i++) {
          if (g[i] !== Math.floor(g[i])) {
            result.message = say(lang, 'not_whole_entry', {
              index: indexText(unravel(i, shape)),
              value: pyRepr(g[i])
            });
            return result;
          }
        }
      }
      return result;
    }
    var wrong = [];
    for (i = 0; i < e.length; i++) {
      if (!close(g[i], e[i], precision)) {
        wrong.push(i);
      }
    }
    var imprecise = wrong.length > 0 && wrong.every(function (j) {
      return roundedCoarser(g[j], e[j], precision);
    });
    if (!imprecise) {
      return result;
    }
    var stated = formatOf(k, lang);
    if (shape.length === 0) {
      result.message = say(lang, 'imprecise', { format: stated });
      return result;
    }
    var places = wrong.map(function (j) {
      return unravel(j, shape);
    });
    if (places.length === 1) {
      result.message = say(lang, 'entry_imprecise', {
        index: indexText(places[0]),
        format: stated
      });
    } else {
      result.message = say(lang, 'entries_imprecise', {
        indices: positions(places, lang),
        format: stated
      });
    }
    return result;
  }

  /** The one-line statement of how to answer (checking.answer_format), for a made key. */
  function formatOf(k, lang) {
    lang = languageOf(lang);
    var kind = k.kind;
    if (kind === 'number' || kind === 'tensor') {
      return numericFormat(kind, k.precision, k.tolerance, lang);
    }
    if (kind === 'integer') {
      return say(lang, 'format_integer');
    }
    if (kind === 'shape') {
      return say(lang, 'format_shape');
    }
    if (kind === 'choice') {
      var count = k.options.length;
      if (!count) {
        return say(lang, 'format_choice_any');
      }
      if (numberOptions(k.options) !== null) {
        return say(lang, 'format_choice', { letters: letterRange(count) });
      }
      return say(lang, 'format_choice_numbered', {
        letters: letterRange(count),
        numbers: numberRange(count)
      });
    }
    var names = k.variables.length ? k.variables : ['x'];
    var joined = names[0];
    if (names.length > 1) {
      joined = say(lang, 'variables_and', {
        first: names.slice(0, -1).join(', '),
        last: names[names.length - 1]
      });
    }
    return say(lang, 'format_expression', {
      variables: joined,
      functions: FUNCTION_NAMES.expression
    });
  }

  function numericFormat(kind, precision, tolerance, lang) {
    if (precision === null && tolerance) {
      if (tolerance.sigfigs !== null && tolerance.sigfigs !== undefined) {
        precision = makePrecision({ sigfigs: tolerance.sigfigs });
      } else if (tolerance.rel || tolerance.abs) {
        var within = tolerance.rel ? pyG(tolerance.rel * 100) + '%' : pyG(tolerance.abs);
        return say(lang, 'format_' + kind + '_within', { within: within });
      }
    }
    if (precision === null) {
      precision = makePrecision(EXACT);
    }
    var start = kind === 'tensor'
      ? 'format_tensor'
      : precision.fraction ? 'format_fraction' : 'format_number';
    if (precision.sigfigs !== null) {
      var n = precision.sigfigs;
      return say(lang, start + '_sigfigs', {
        n: n,
        figures: n === 1 ? 'significant figure' : 'significant figures'
      });
    }
    if (precision.decimals === 0) {
      return say(lang, start + '_whole');
    }
    if (precision.decimals !== null) {
      var d = precision.decimals;
      return say(lang, start + '_decimals', {
        n: d,
        places: d === 1 ? 'decimal place' : 'decimal places'
      });
    }
    return say(lang, start + '_exact');
  }

  /** The format statement of a key in its JSON form (checking.answer_format). */
  function answerFormat(key, lang) {
    if (lang === undefined || lang === null) {
      lang = key && key.lang;
    }
    return formatOf(makeKey(key), lang);
  }

  return {
    KINDS: KINDS.slice(),
    UNICODE_VERSION: UNICODE_VERSION,
    UNDECIDED_MESSAGE: UNDECIDED_MESSAGE,
    SAMPLE_POINTS: SAMPLE_POINTS.slice(),
    AnswerError: AnswerError,
    normalize: normalize,
    parseAnswer: parseAnswer,
    evaluate: evaluate,
    tensorShape: tensorShape,
    close: close,
    check: check,
    answerFormat: answerFormat,
    LANGUAGES: LANGUAGES.slice(),
    MESSAGES: { parse: PARSE_MESSAGES, check: CHECK_MESSAGES },
    pyRepr: pyRepr,
    pyG: pyG,
    // Internals, exported for tests/test_js_checker.py.
    _internal: {
      constants: {
        MAX_LENGTH: MAX_LENGTH,
        MAX_RAW_LENGTH: MAX_RAW_LENGTH,
        MAX_DEPTH: MAX_DEPTH,
        MAX_TOKENS: MAX_TOKENS,
        MAX_DIGITS: MAX_DIGITS,
        MAX_EXPONENT: MAX_EXPONENT,
        MAX_MAGNITUDE: MAX_MAGNITUDE,
        MAX_POWERS: MAX_POWERS,
        SPACE: SPACE,
        OPERATORS: OPERATORS,
        SUPERSCRIPTS: SUPERSCRIPTS,
        VULGAR_FRACTIONS: VULGAR_FRACTIONS,
        REPLACEMENTS: REPLACEMENTS,
        NUMBER_FUNCTIONS: NUMBER_FUNCTIONS,
        EXPRESSION_FUNCTIONS: EXPRESSION_FUNCTIONS,
        RESERVED: RESERVED,
        SAMPLE_POINTS: SAMPLE_POINTS,
        MIN_SAMPLE_POINTS: MIN_SAMPLE_POINTS,
        DEFAULT_DOMAIN: DEFAULT_DOMAIN,
        SAMPLE_COUNT: SAMPLE_COUNT,
        SAMPLE_STRIDE: SAMPLE_STRIDE,
        MAX_DOMAIN: MAX_DOMAIN,
        MAX_LISTED: MAX_LISTED,
        DEFAULT_TOLERANCE: DEFAULT_TOLERANCE,
        DEFAULT_PRECISION: DEFAULT_PRECISION,
        NOT_VARIABLES: NOT_VARIABLES,
        FUNCTION_NAMES: FUNCTION_NAMES,
        MAX_OPTIONS: MAX_OPTIONS,
        MAX_FIGURES: MAX_FIGURES,
        SINGLE_NAMES: SINGLE_NAMES,
        PARSE_MESSAGES: PARSE_MESSAGES,
        CHECK_MESSAGES: CHECK_MESSAGES
      },
      isPrintable: isPrintable,
      nfkc: nfkc,
      show: show,
      exp: crExp,
      log: crLog,
      pow: crPow,
      unassignedRuns: unassignedRuns
    }
  };
});
