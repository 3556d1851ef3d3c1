// Interactive quiz sections of the study site.
//
// Each <div class="sk-quiz"> says in its data-quiz attribute (written by `studykit site-pages`)
// where its template's variants are: a JSON file under quiz/data/, fetched when the section
// comes near the screen (or is used), so a page stays light. This script turns the section
// into: the prompt, the choices as buttons (choice questions) or an answer box, the line saying
// how to write the answer, Check / Hint / Solution / Next variant buttons, the verdict with the
// checker's message and the targeted misconception feedback, and the worked solution.
//
// Fair play: the worked solution stays hidden (and is not even in the page) until the student
// answers right, asks for it, or has used both tries; after a first wrong try the verdict says
// what was wrong and invites a second one. Answers are judged by StudykitChecker
// (studykit-checker.js), the port of the Python checker. Progress is kept in localStorage: per
// question, the answers (the first judged answer to each variant counts) and the variant shown.
// "Next variant" goes through the prepared variants in order and starts again after the last.
// Works with Material's instant navigation: sections are set up on every page load.
//
// A question written in Korean too has a 한국어 / English button. The choice holds for every
// quiz of the site (localStorage) and switches every text and button; the checker's own
// messages stay in English.
//
// A template is untrusted. Its texts arrive as HTML that Python rendered from Markdown and
// sanitized with an allow-list (studykit/questions/markup.py); this script inserts those
// strings as they are and never builds HTML from any text: its own words, the checker's
// messages and the shown answer go in as textContent (tests/test_site_hostile.py). KaTeX then
// renders the math spans (class "arithmatex") of what was inserted: loader.js, which loads
// this script only on pages with quizzes, fetches KaTeX the first time a text has math.
(function () {
  "use strict";

  var STORE = "studykit.progress.v1"; // quiz-progress.js reads it too: keep {asked, right, index}
  var LANG_STORE = "studykit.lang.v1";
  var TRIES = 2;
  // The data files' paths are relative to the site's root; this script is assets/js/ below it.
  var SCRIPT_URL = (document.currentScript && document.currentScript.src) || window.location.href;
  var SITE_ROOT = new URL("../../", SCRIPT_URL);
  var fetched = {}; // data file URL -> Promise of its JSON, shared by every visit of a page

  var LABELS = {
    en: {
      check: "Check", hint: "Hint", solution: "Show solution", next: "Next variant",
      worked: "Worked solution", correct: "✓ Correct.", wrong: "✗ Not quite",
      tryAgain: "Have another try: you have one more. The hint may help.",
      theAnswer: "The answer: ",
      notUnderstood: "Not understood: ",
      empty: "Type an answer first, then press Check.",
      loading: "Loading the question…",
      failed: "This question could not be loaded. Serve the site over HTTP (for example with " +
        "mkdocs serve): a page opened as a file cannot load its questions.",
      answerLabel: "your answer", choicesLabel: "choices",
      placeholders: {
        number: "a number, e.g. 0.25, 1/3 or 2.5e-3",
        integer: "a whole number, e.g. 12",
        tensor: "nested lists, e.g. [[1, 2], [3, 4]]",
        shape: "a shape, e.g. (2, 3)",
        expression: "a formula, e.g. 2*x*(1 - x)",
        choice: "a letter, e.g. B",
      },
      other: "한국어",
      score: function (i, n, right, asked) {
        return "Variant " + i + " of " + n + " · right " + right + " of " + asked +
          " answered here";
      },
    },
    ko: {
      check: "확인", hint: "힌트", solution: "풀이 보기", next: "다음 변형 문제",
      worked: "풀이 과정", correct: "✓ 정답입니다.", wrong: "✗ 아쉽습니다",
      tryAgain: "한 번 더 풀어 보십시오. 기회가 한 번 남았습니다. 힌트를 보아도 됩니다.",
      theAnswer: "정답: ",
      notUnderstood: "읽을 수 없는 답입니다: ",
      empty: "답을 먼저 입력한 뒤 확인을 누르십시오.",
      loading: "문제를 불러오는 중…",
      failed: "문제를 불러오지 못했습니다. 사이트를 웹 서버에서 여십시오(예: mkdocs serve). " +
        "파일로 직접 연 페이지에서는 문제를 불러올 수 없습니다.",
      answerLabel: "답", choicesLabel: "선택지",
      placeholders: {
        number: "숫자, 예: 0.25, 1/3, 2.5e-3",
        integer: "정수, 예: 12",
        tensor: "중첩 리스트, 예: [[1, 2], [3, 4]]",
        shape: "모양, 예: (2, 3)",
        expression: "식, 예: 2*x*(1 - x)",
        choice: "선택지의 글자, 예: B",
      },
      other: "English",
      score: function (i, n, right, asked) {
        return n + "개 변형 문제 중 " + i + "번째 · 이 브라우저에서 " + asked + "번 답해 " + right +
          "번 맞힘";
      },
    },
  };

  // The page's own language (the Korean site's pages are <html lang="ko">).
  function pageLanguage() {
    return /^ko\b/i.test(document.documentElement.lang || "") ? "ko" : "en";
  }

  // The language picked with a quiz's own button, else the page's: the quizzes follow the
  // site's language (loader.js forgets the pick when the reader switches the site's language).
  function chosenLanguage() {
    try {
      var stored = window.localStorage.getItem(LANG_STORE);
      return stored === "ko" || stored === "en" ? stored : pageLanguage();
    } catch (error) {
      return pageLanguage();
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

  // `markup` is HTML made and sanitized in Python (studykit.questions.markup), never text.
  function putHTML(node, markup) {
    node.innerHTML = markup || "";
    // loader.js renders the math, fetching KaTeX the first time a text has any.
    if (window.studykitRenderMath) window.studykitRenderMath(node);
  }

  function fetchData(url) {
    if (!fetched[url]) {
      fetched[url] = window.fetch(url).then(function (response) {
        if (!response.ok) throw new Error(url + ": HTTP " + response.status);
        return response.json();
      });
      fetched[url].catch(function () {
        delete fetched[url]; // a later visit tries again
      });
    }
    return fetched[url];
  }

  function setUp(root) {
    if (root.getAttribute("data-ready") === "1") return;
    var raw = root.getAttribute("data-quiz");
    if (!raw) return;
    var meta = JSON.parse(raw);
    var data = null; // the variants, once fetched
    var progress = loadProgress();
    var mine = progress[meta.id] || { asked: 0, right: 0, index: 0 };
    var index = (mine.index || 0) % meta.count;
    var translated = meta.languages.indexOf("ko") >= 0;
    var lang = translated ? chosenLanguage() : "en";
    var choiceKind = meta.kind === "choice";

    var head = element("div", "sk-head");
    var score = element("p", "sk-score");
    var prompt = element("div", "sk-prompt");
    var choices = element("div", "sk-choices");
    choices.setAttribute("role", "group");
    choices.hidden = !choiceKind;
    var format = element("p", "sk-format");
    var form = element("form", "sk-form");
    var input = element("input", "sk-answer");
    input.type = "text";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.hidden = choiceKind;
    var check = button("", "md-button--primary sk-check");
    check.type = "submit";
    check.hidden = choiceKind;
    var hint = button("", "sk-hint-button");
    var show = button("", "sk-solution-button");
    var next = button("", "sk-next");
    var language = button("", "sk-language");
    language.hidden = !translated;
    head.appendChild(score);
    head.appendChild(language);
    var hintText = element("div", "sk-hint");
    hintText.hidden = true;
    var verdict = element("div", "sk-verdict");
    verdict.setAttribute("role", "status");
    verdict.setAttribute("aria-live", "polite");
    var solution = element("details", "sk-solution");
    var summary = element("summary");
    var solutionText = element("div", "sk-solution-text");
    solution.appendChild(summary);
    solution.appendChild(solutionText);

    [input, check, hint, show, next].forEach(function (node) {
      form.appendChild(node);
    });
    [head, prompt, choices, format, form, hintText, verdict, solution].forEach(function (node) {
      root.appendChild(node);
    });

    // The state of the variant on screen.
    var tries = 0; // judged answers
    var counted = false; // its first judged answer went into the score
    var revealed = false; // the solution is in the page
    var last = null; // what the verdict shows: {kind, result, letter}

    function variant() {
      return data.variants[index];
    }

    // The variant's texts in the chosen language (English where it is not translated).
    function texts() {
      var all = variant().texts;
      return all[lang] || all.en;
    }

    function updateScore() {
      score.textContent = LABELS[lang].score(index + 1, meta.count, mine.right, mine.asked);
    }

    function showLabels() {
      var words = LABELS[lang];
      check.textContent = words.check;
      hint.textContent = words.hint;
      show.textContent = words.solution;
      next.textContent = words.next;
      summary.textContent = words.worked;
      language.textContent = words.other;
      input.placeholder = words.placeholders[meta.kind] || "";
      input.setAttribute("aria-label", words.answerLabel);
      choices.setAttribute("aria-label", words.choicesLabel);
      root.setAttribute("lang", lang);
      updateScore();
    }

    function showChoices() {
      choices.textContent = "";
      texts().choices.forEach(function (markup, i) {
        var letter = "ABCDEFGH".charAt(i);
        var option = element("button", "sk-choice");
        option.type = "button";
        option.setAttribute("data-letter", letter);
        option.appendChild(element("span", "sk-letter", letter));
        var body = element("span", "sk-choice-text");
        putHTML(body, markup);
        option.appendChild(body);
        option.addEventListener("click", function () {
          answer(letter);
        });
        choices.appendChild(option);
      });
      markChoices();
    }

    function markChoices() {
      choices.querySelectorAll(".sk-choice").forEach(function (option) {
        var picked = last && last.letter === option.getAttribute("data-letter");
        option.classList.toggle("sk-picked", Boolean(picked));
        option.classList.toggle("sk-picked-right", Boolean(picked && last.kind === "correct"));
        option.classList.toggle("sk-picked-wrong", Boolean(picked && last.kind === "wrong"));
        option.setAttribute("aria-pressed", picked ? "true" : "false");
      });
    }

    function showVerdict() {
      var words = LABELS[lang];
      verdict.textContent = "";
      verdict.className = "sk-verdict";
      markChoices();
      if (!last) return;
      if (last.kind === "empty") {
        verdict.className = "sk-verdict sk-empty";
        verdict.appendChild(element("p", "sk-empty-line", words.empty));
        return;
      }
      if (last.kind === "notUnderstood") {
        verdict.className = "sk-verdict sk-not-understood";
        verdict.appendChild(element("p", "", words.notUnderstood + last.result.message));
        return;
      }
      if (last.kind === "correct") {
        verdict.className = "sk-verdict sk-correct";
        verdict.appendChild(element("p", "sk-correct-line", words.correct));
        return;
      }
      verdict.className = "sk-verdict sk-wrong";
      var message = (last.result.message || "").replace(/\.+$/, ""); // the line adds its own
      var plain = window.StudykitChecker.MESSAGES.check[lang].incorrect.replace(/\.+$/, "");
      var detail = message && message !== plain ? ": " + message : "";
      verdict.appendChild(element("p", "sk-wrong-line", words.wrong + detail + "."));
      var names = variant().misconceptions.map(function (m) {
        return m.name;
      });
      var which = names.indexOf(last.result.misconception);
      if (which >= 0 && texts().feedback[which]) {
        var feedback = element("div", "sk-feedback");
        putHTML(feedback, texts().feedback[which]);
        verdict.appendChild(feedback);
      }
      if (last.tries < TRIES && !last.revealed) {
        verdict.appendChild(element("p", "sk-try-again", words.tryAgain));
      } else {
        var line = element("p", "sk-answer-line", words.theAnswer);
        line.appendChild(element("code", "sk-shown", variant().shown));
        verdict.appendChild(line);
      }
    }

    function reveal(open) {
      revealed = true;
      putHTML(solutionText, texts().solution);
      solution.hidden = false;
      if (open) solution.open = true;
    }

    function showTexts() {
      showLabels();
      if (!data) return;
      putHTML(prompt, texts().prompt);
      if (choiceKind) showChoices();
      putHTML(format, texts().format);
      if (!hintText.hidden) putHTML(hintText, texts().hint);
      if (revealed) putHTML(solutionText, texts().solution);
      showVerdict();
    }

    function showVariant() {
      input.value = "";
      tries = 0;
      counted = false;
      revealed = false;
      last = null;
      hintText.hidden = true;
      hintText.textContent = "";
      solution.open = false;
      solution.hidden = true;
      solutionText.textContent = "";
      [check, hint, show, next, input].forEach(function (node) {
        node.disabled = !data;
      });
      if (data) hint.disabled = !texts().hint;
      showTexts();
    }

    function remember() {
      mine.index = index;
      progress = loadProgress();
      progress[meta.id] = mine;
      saveProgress(progress);
    }

    function judge(text) {
      var current = variant();
      var mistakes = current.misconceptions.map(function (m) {
        return { name: m.name, value: m.value, feedback: null };
      });
      return window.StudykitChecker.check(text, current.answer, mistakes, lang);
    }

    function answer(text) {
      if (!data) return;
      if (!text.trim()) {
        last = { kind: "empty" };
        showVerdict();
        return;
      }
      var result = judge(text);
      if (result.understood === false) {
        last = { kind: "notUnderstood", result: result };
        showVerdict();
        return;
      }
      if (!counted) {
        mine.asked += 1;
        if (result.correct) mine.right += 1;
        counted = true;
        remember();
      }
      tries += 1;
      last = {
        kind: result.correct ? "correct" : "wrong",
        result: result,
        tries: tries,
        revealed: revealed,
        letter: choiceKind ? text.trim().toUpperCase() : null,
      };
      if (result.correct) {
        if (!revealed) reveal(false);
      } else if (tries >= TRIES && !revealed) {
        reveal(true);
      }
      showVerdict();
      updateScore();
    }

    root.studykitRender = function (chosen) {
      if (!translated) return;
      lang = chosen;
      showTexts();
    };
    language.addEventListener("click", function () {
      chooseLanguage(lang === "en" ? "ko" : "en");
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      answer(input.value);
    });
    hint.addEventListener("click", function () {
      hintText.hidden = false;
      putHTML(hintText, texts().hint);
    });
    show.addEventListener("click", function () {
      if (!counted) {
        mine.asked += 1; // asking for the solution first counts as a miss
        counted = true;
        remember();
        updateScore();
      }
      reveal(true);
      if (last && last.kind === "wrong") last.revealed = true;
      showVerdict();
    });
    next.addEventListener("click", function () {
      index = (index + 1) % meta.count;
      remember();
      showVariant();
      (choiceKind ? choices.querySelector(".sk-choice") || next : input).focus();
    });

    var loading = null; // the fetch in flight
    // Fetch the variants (once) and show the first; the promise settles when they are shown.
    function load() {
      if (data) return Promise.resolve();
      if (loading) return loading;
      loading = fetchData(new URL(meta.src, SITE_ROOT).href).then(
        function (content) {
          data = content;
          root.setAttribute("data-loaded", "1");
          showVariant();
        },
        function () {
          loading = null;
          prompt.textContent = LABELS[lang].failed;
          root.setAttribute("data-loaded", "failed");
        }
      );
      return loading;
    }
    root.studykitLoad = load;

    root.setAttribute("data-ready", "1");
    showVariant();
    prompt.textContent = LABELS[lang].loading;
    watch(root);
  }

  // Fetch a quiz's variants when its section is on the screen or half a screen below it, one
  // quiz at a time: a quiz shown grows and pushes the ones below it down, often out of reach,
  // so a page fetches what its reader is about to see, not every question near the top
  // (issue 16: a page with all it loads stays under 1 MB).
  var AHEAD = 0.5; // of the screen's height, below its bottom edge
  var observer = null;
  var busy = false; // a quiz is being fetched

  function watch(root) {
    if (typeof IntersectionObserver === "undefined") {
      root.studykitLoad();
      return;
    }
    if (!observer) {
      observer = new IntersectionObserver(loadNext, { rootMargin: "0px 0px " + AHEAD * 100 + "%" });
    }
    observer.observe(root);
  }

  // Within reach now: measured afresh, as the quizzes above may have just grown.
  function inReach(root) {
    var box = root.getBoundingClientRect();
    var height = window.innerHeight || document.documentElement.clientHeight;
    return box.bottom > 0 && box.top < height * (1 + AHEAD);
  }

  // Fetch the first quiz of the page that is within reach and not loaded yet, then look again.
  function loadNext() {
    if (busy) return;
    var waiting = document.querySelectorAll(".sk-quiz[data-ready='1']:not([data-loaded])");
    var root = Array.prototype.filter.call(waiting, inReach)[0];
    if (!root) return;
    busy = true;
    observer.unobserve(root);
    function next() {
      busy = false;
      window.setTimeout(loadNext, 0); // once the page has taken in the shown quiz
    }
    root.studykitLoad().then(next, next);
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
