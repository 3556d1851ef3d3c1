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
//
// Languages (issue 17): the site is English at its root and Korean under ko/, each page with a
// link to its twin in the header (a[hreflang]). A first visit from a browser whose preferred
// language is Korean goes on to the Korean twin of the page it asked for; a reader's own switch
// is remembered and always wins, and it also drops a language picked with a quiz's own button,
// so the quizzes follow the site's language again.
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

  var SITE_LANGUAGE = "studykit.site-lang.v1"; // "en" or "ko", once chosen
  var QUIZ_LANGUAGE = "studykit.lang.v1"; // a quiz button's pick (studykit-quiz.js)

  function stored(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (error) {
      return null; // storage off: every visit is a first visit
    }
  }

  function store(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (error) {
      /* not kept */
    }
  }

  function twin(language) {
    return document.querySelector("a.md-select__link[hreflang='" + language + "']");
  }

  function prefersKorean() {
    var first = (navigator.languages && navigator.languages[0]) || navigator.language || "";
    return /^ko\b/i.test(first);
  }

  function pageLanguage() {
    return /^ko\b/i.test(document.documentElement.lang || "") ? "ko" : "en";
  }

  // The reader switched languages in the header: remember it; the quizzes follow the site.
  document.addEventListener(
    "click",
    function (event) {
      var link = event.target && event.target.closest && event.target.closest("a[hreflang]");
      if (!link || !link.closest(".md-select")) return;
      store(SITE_LANGUAGE, link.getAttribute("hreflang"));
      store(QUIZ_LANGUAGE, null);
    },
    true,
  );

  // A first visit from a Korean browser lands on the Korean page.
  if (stored(SITE_LANGUAGE) === null) {
    var korean = prefersKorean() && pageLanguage() === "en" ? twin("ko") : null;
    store(SITE_LANGUAGE, prefersKorean() ? "ko" : pageLanguage());
    if (korean) window.location.replace(korean.href);
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
