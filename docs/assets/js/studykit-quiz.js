// Interactive quiz sections of the study site.
//
// Each <div class="sk-quiz"> holds its pre-generated variants as JSON in its data-quiz
// attribute (written by `studykit site-pages`). This script turns it into: the prompt, an answer box, Check / Hint /
// Solution / New variant buttons, the verdict with the targeted misconception feedback, and
// the worked solution. Answers are judged by StudykitChecker (studykit-checker.js), the port of
// the Python checker. Progress is kept in localStorage. Works with Material's instant
// navigation: sections are set up on every page load.
(function () {
  "use strict";

  var STORE = "studykit.progress.v1";

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

    form.appendChild(input);
    form.appendChild(check);
    form.appendChild(hint);
    form.appendChild(show);
    form.appendChild(next);
    [score, prompt, form, hintText, verdict, solution].forEach(function (node) {
      root.appendChild(node);
    });

    var answered = false;

    function updateScore() {
      score.textContent =
        "Variant " + (index + 1) + " of " + data.variants.length +
        " · right " + mine.right + " of " + mine.asked + " answered here";
    }

    function showVariant() {
      var variant = data.variants[index];
      prompt.textContent = variant.prompt;
      input.value = "";
      verdict.textContent = "";
      verdict.className = "sk-verdict";
      hintText.textContent = "";
      hint.disabled = !variant.hint;
      solution.open = false;
      solution.hidden = true;
      solutionText.textContent = variant.solution;
      answered = false;
      updateScore();
    }

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
      return window.StudykitChecker.check(text, key, variant.misconceptions);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value;
      if (!text.trim()) return;
      var result = judge(text);
      verdict.textContent = "";
      if (result.understood === false) {
        verdict.className = "sk-verdict sk-not-understood";
        verdict.textContent = "Not understood: " + result.message;
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
        verdict.textContent = "✓ Correct.";
      } else {
        verdict.className = "sk-verdict sk-wrong";
        var detail = result.message && result.message !== "incorrect" ? ": " + result.message : "";
        verdict.appendChild(element("p", "sk-wrong-line", "✗ Not quite" + detail + "."));
        if (result.feedback) {
          verdict.appendChild(element("p", "sk-feedback", result.feedback));
        }
        solution.hidden = false;
        solution.open = true;
      }
      updateScore();
    });

    hint.addEventListener("click", function () {
      hintText.textContent = data.variants[index].hint || "";
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
