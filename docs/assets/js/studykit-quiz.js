// Interactive quiz sections of the study site.
//
// Each <div class="sk-quiz"> holds its pre-generated variants as JSON in its data-quiz
// attribute (written by `studykit site-pages`). This script turns it into: the prompt, an answer box, Check / Hint /
// Solution / New variant buttons, the verdict with the targeted misconception feedback, and
// the worked solution. Answers are judged by StudykitChecker (studykit-checker.js), the port of
// the Python checker. Progress is kept in localStorage. Works with Material's instant
// navigation: sections are set up on every page load.
//
// A question written in Korean too has a 한국어 / English button. The choice holds for every
// quiz of the site (localStorage) and switches the prompt, hint, solution, the misconception
// feedback and the buttons; the checker's own messages stay in English.
//
// A template is untrusted: its texts (prompt, hint, solution, choices, feedback) and the
// checker's messages only ever go in as textContent, never as HTML (tests/test_site_hostile.py).
(function () {
  "use strict";

  var STORE = "studykit.progress.v1";
  var LANG_STORE = "studykit.lang.v1";
  var LABELS = {
    en: {
      check: "Check", hint: "Hint", solution: "Solution", next: "New variant",
      worked: "Worked solution", correct: "✓ Correct.", wrong: "✗ Not quite",
      notUnderstood: "Not understood: ",
      placeholder: "your answer, e.g. 0.25, 1/3, [[1, 2], [3, 4]] or (2, 3)",
      other: "한국어",
      score: function (i, n, right, asked) {
        return "Variant " + i + " of " + n + " · right " + right + " of " + asked + " answered here";
      },
    },
    ko: {
      check: "확인", hint: "힌트", solution: "풀이", next: "새 문제",
      worked: "풀이 과정", correct: "✓ 정답입니다.", wrong: "✗ 아쉽습니다",
      notUnderstood: "읽을 수 없는 답: ", placeholder: "답, 예: 0.25, 1/3, [[1, 2], [3, 4]], (2, 3)",
      other: "English",
      score: function (i, n, right, asked) {
        return n + "개 중 " + i + "번째 문제 · 여기서 " + asked + "번 답해 " + right + "번 정답";
      },
    },
  };

  function chosenLanguage() {
    try {
      return window.localStorage.getItem(LANG_STORE) === "ko" ? "ko" : "en";
    } catch (error) {
      return "en";
    }
  }

  function chooseLanguage(lang) {
    try {
      window.localStorage.setItem(LANG_STORE, lang);
    } catch (error) {
      /* not kept: this page still switches */
    }
    document.querySelectorAll(".sk-quiz").forEach(function (root) {
      if (root.studykitRender) root.studykitRender(lang);
    });
  }

  function loadProgress() {
    try {
      return JSON.parse(window.localStorage.getItem(STORE) || "{}") || {};
    } catch (error) {
      return {};
    }
  }

  function saveProgress(progress) {
    try {
      window.localStorage.setItem(STORE, JSON.stringify(progress));
    } catch (error) {
      /* private mode or full storage: the quiz still works, progress is just not kept */
    }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(label, className) {
    var node = element("button", "md-button " + (className || ""), label);
    node.type = "button";
    return node;
  }

  function setUp(root) {
    if (root.getAttribute("data-ready") === "1") return;
    var raw = root.getAttribute("data-quiz");
    if (!raw) return;
    var data = JSON.parse(raw);
    var progress = loadProgress();
    var mine = progress[data.id] || { asked: 0, right: 0, index: 0 };
    var index = mine.index % data.variants.length;

    var score = element("p", "sk-score");
    var prompt = element("pre", "sk-prompt");
    var form = element("form", "sk-form");
    var input = element("input", "sk-answer");
    input.type = "text";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("aria-label", "your answer");
    input.placeholder = "your answer, e.g. 0.25, 1/3, [[1, 2], [3, 4]] or (2, 3)";
    var check = button("Check", "md-button--primary sk-check");
    check.type = "submit";
    var hint = button("Hint", "sk-hint-button");
    var show = button("Solution", "sk-solution-button");
    var next = button("New variant", "sk-next");
    var verdict = element("div", "sk-verdict");
    verdict.setAttribute("role", "status");
    var hintText = element("p", "sk-hint");
    var solution = element("details", "sk-solution");
    var summary = element("summary", "", "Worked solution");
    var solutionText = element("pre", "sk-solution-text");
    solution.appendChild(summary);
    solution.appendChild(solutionText);
    var translated = Boolean(data.variants[0].translations && data.variants[0].translations.ko);
    var language = button("한국어", "sk-language");
    language.hidden = !translated;

    form.appendChild(input);
    form.appendChild(check);
    form.appendChild(hint);
    form.appendChild(show);
    form.appendChild(next);
    form.appendChild(language);
    [score, prompt, form, hintText, verdict, solution].forEach(function (node) {
      root.appendChild(node);
    });

    var answered = false;
    var lang = translated ? chosenLanguage() : "en";

    // The variant's texts in the chosen language (English where it is not translated).
    function texts(variant) {
      var other = lang !== "en" && variant.translations && variant.translations[lang];
      return other || variant;
    }

    function feedbackOf(variant) {
      var other = texts(variant);
      return variant.misconceptions.map(function (mistake, i) {
        var feedback = other.feedback ? other.feedback[i] : mistake.feedback;
        return { name: mistake.name, value: mistake.value, feedback: feedback };
      });
    }

    function updateScore() {
      score.textContent = LABELS[lang].score(
        index + 1, data.variants.length, mine.right, mine.asked
      );
    }

    function showTexts() {
      var variant = data.variants[index];
      var words = LABELS[lang];
      prompt.textContent = texts(variant).prompt;
      solutionText.textContent = texts(variant).solution;
      if (hintText.textContent) hintText.textContent = texts(variant).hint || "";
      check.textContent = words.check;
      hint.textContent = words.hint;
      show.textContent = words.solution;
      next.textContent = words.next;
      summary.textContent = words.worked;
      language.textContent = words.other;
      input.placeholder = words.placeholder;
      root.setAttribute("lang", lang);
      updateScore();
    }

    function showVariant() {
      var variant = data.variants[index];
      input.value = "";
      verdict.textContent = "";
      verdict.className = "sk-verdict";
      hintText.textContent = "";
      hint.disabled = !variant.hint;
      solution.open = false;
      solution.hidden = true;
      answered = false;
      showTexts();
    }

    root.studykitRender = function (chosen) {
      if (!translated) return;
      lang = chosen;
      verdict.textContent = "";  // a verdict in the other language would be stale
      verdict.className = "sk-verdict";
      showTexts();
    };
    language.addEventListener("click", function () {
      chooseLanguage(lang === "en" ? "ko" : "en");
    });

    function remember() {
      mine.index = index;
      progress = loadProgress();
      progress[data.id] = mine;
      saveProgress(progress);
    }

    function judge(text) {
      var variant = data.variants[index];
      var key = {
        kind: variant.answer.kind,
        value: variant.answer.value,
        shape: variant.answer.shape,
        tolerance: data.tolerance,
      };
      return window.StudykitChecker.check(text, key, feedbackOf(variant));
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value;
      if (!text.trim()) return;
      var result = judge(text);
      verdict.textContent = "";
      if (result.understood === false) {
        verdict.className = "sk-verdict sk-not-understood";
        verdict.textContent = LABELS[lang].notUnderstood + result.message;
        return;
      }
      if (!answered) {
        mine.asked += 1;
        if (result.correct) mine.right += 1;
        answered = true;
        remember();
      }
      if (result.correct) {
        verdict.className = "sk-verdict sk-correct";
        verdict.textContent = LABELS[lang].correct;
      } else {
        verdict.className = "sk-verdict sk-wrong";
        var detail = result.message && result.message !== "incorrect" ? ": " + result.message : "";
        verdict.appendChild(element("p", "sk-wrong-line", LABELS[lang].wrong + detail + "."));
        if (result.feedback) {
          verdict.appendChild(element("p", "sk-feedback", result.feedback));
        }
        solution.hidden = false;
        solution.open = true;
      }
      updateScore();
    });

    hint.addEventListener("click", function () {
      hintText.textContent = texts(data.variants[index]).hint || "";
    });
    show.addEventListener("click", function () {
      solution.hidden = false;
      solution.open = true;
    });
    next.addEventListener("click", function () {
      index = (index + 1) % data.variants.length;
      remember();
      showVariant();
      input.focus();
    });

    root.setAttribute("data-ready", "1");
    showVariant();
  }

  function setUpAll() {
    document.querySelectorAll(".sk-quiz").forEach(setUp);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(setUpAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
