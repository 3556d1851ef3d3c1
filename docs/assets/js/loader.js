// The one script every page of the study site loads: it fetches the heavy ones only where a
// page uses them, so a page without math or quizzes stays light (issue 16).
//
// - Math: pymdownx.arithmatex (generic mode) leaves each formula as the TeX between \( \) or
//   \[ \] in an element of class "arithmatex". Where the content has one, the vendored KaTeX
//   (its CSS and JS) is loaded and each formula is rendered with katex.render.
// - Quizzes: where the page has a quiz section (<div class="sk-quiz">, written by
//   `studykit site-pages`), the checker then the quiz script are loaded; the quiz script sets
//   its sections up itself, on this page and on every later one.
// - Progress: where the page has progress cells (the quiz index's <span class="sk-progress">),
//   quiz-progress.js is loaded; it fills them, on this page and whenever the index shows again.
//
// Material's instant navigation swaps pages without a reload, so this runs on every page shown
// (document$); each script is loaded at most once. Every URL is resolved from this script's
// own URL (assets/js/loader.js), so the site works under any path, with or without site_url.
// The quiz renders the math of the texts it inserts with window.studykitRenderMath.
(function () {
  "use strict";

  var HERE = (document.currentScript && document.currentScript.src) || window.location.href;
  var KATEX = new URL("../vendor/katex/", HERE);
  var loading = {}; // URL -> Promise, so nothing is fetched twice

  // Resolve once `element` (a <script> or <link>, not yet in the page) has loaded its URL.
  function load(url, element) {
    if (!loading[url]) {
      loading[url] = new Promise(function (resolve, reject) {
        element.onload = resolve;
        element.onerror = function () {
          delete loading[url]; // a later page tries again
          reject(new Error("could not load " + url));
        };
        document.head.appendChild(element);
      });
    }
    return loading[url];
  }

  function script(url) {
    var element = document.createElement("script");
    element.src = url;
    element.async = false; // run in the order asked for
    return load(url, element);
  }

  function stylesheet(url) {
    var element = document.createElement("link");
    element.rel = "stylesheet";
    element.href = url;
    return load(url, element);
  }

  function loadKatex() {
    return Promise.all([
      stylesheet(new URL("katex.min.css", KATEX).href),
      script(new URL("katex.min.js", KATEX).href),
    ]);
  }

  // "\(x\)" -> inline "x"; "\[x\]" -> display "x"; anything else is left as it is.
  var FORMULA = /^\s*\\([([])([\s\S]*)\\([)\]])\s*$/;

  function renderFormula(element) {
    if (element.querySelector(".katex")) return; // rendered already
    var parts = FORMULA.exec(element.textContent);
    if (!parts || (parts[1] === "(") !== (parts[3] === ")")) return;
    window.katex.render(parts[2], element, {
      displayMode: parts[1] === "[",
      throwOnError: false, // a bad formula shows in red; tests/test_site_math.py finds it
    });
  }

  // Render the formulas in `root` (an element or the document), loading KaTeX when it has any.
  function renderMath(root) {
    var formulas = Array.prototype.slice.call(root.querySelectorAll(".arithmatex"));
    if (root.classList && root.classList.contains("arithmatex")) formulas.push(root);
    if (!formulas.length) return Promise.resolve();
    return loadKatex().then(function () {
      formulas.forEach(renderFormula);
    });
  }

  function startQuizzes() {
    var js = new URL(".", HERE);
    return Promise.all([
      script(new URL("studykit-checker.js", js).href),
      script(new URL("studykit-quiz.js", js).href),
    ]);
  }

  function showProgress() {
    return script(new URL("quiz-progress.js", new URL(".", HERE)).href).then(function () {
      if (window.studykitQuizProgress) window.studykitQuizProgress();
    });
  }

  function report(error) {
    if (window.console) window.console.error(error);
  }

  function onPage() {
    var content = document.querySelector(".md-content") || document.body;
    renderMath(content).catch(report);
    if (content.querySelector(".sk-quiz")) startQuizzes().catch(report);
    if (content.querySelector(".sk-progress[data-progress]")) showProgress().catch(report);
  }

  window.studykitRenderMath = function (root) {
    return renderMath(root).catch(report);
  };
  if (typeof document$ !== "undefined") {
    document$.subscribe(onPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
})();
