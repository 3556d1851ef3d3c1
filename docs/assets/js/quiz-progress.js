// Progress on the quiz index (quiz/index.md, written by `studykit site-pages`).
//
// Each topic's row has a <span class="sk-progress"> whose data-progress attribute lists the
// topic's question ids. The quiz pages (studykit-quiz.js) keep, in localStorage under
// "studykit.progress.v1", one entry per question id: {asked, right, index}, where `right`
// counts the variants whose first judged answer was right. This script fills each span with
// a bar and "right / questions": a question counts once it has been answered right at least
// once. A topic with no answer at all reads "not started · 시작 전".
//
// Nothing breaks without storage: disabled or corrupt storage reads as no progress. loader.js
// loads this script once, the first time a page with progress cells shows, and calls
// window.studykitQuizProgress then; later visits (Material's instant navigation) redraw through
// document$. The generated page holds no <script> of its own.
(function () {
  "use strict";

  var STORE = "studykit.progress.v1"; // the key studykit-quiz.js writes

  // Every stored entry, or {} if storage is off, empty or not the JSON object expected.
  function stored() {
    try {
      var value = JSON.parse(window.localStorage.getItem(STORE) || "{}");
      return value && typeof value === "object" && !Array.isArray(value) ? value : {};
    } catch (error) {
      return {};
    }
  }

  function count(entry, field) {
    var value = entry && typeof entry === "object" ? entry[field] : 0;
    return typeof value === "number" && value > 0 ? value : 0;
  }

  // How many of `ids` were asked at least once, and how many were answered right.
  function tally(ids, progress) {
    var result = { asked: 0, right: 0 };
    ids.forEach(function (id) {
      var entry = Object.prototype.hasOwnProperty.call(progress, id) ? progress[id] : null;
      if (count(entry, "asked") > 0) result.asked += 1;
      if (count(entry, "right") > 0) result.right += 1;
    });
    return result;
  }

  function questionIds(cell) {
    try {
      var ids = JSON.parse(cell.getAttribute("data-progress") || "{}").questions;
      return Array.isArray(ids) ? ids : [];
    } catch (error) {
      return [];
    }
  }

  // Korean marked as such, so the site's Korean face draws it (assets/css/korean.css).
  function korean(text) {
    var span = document.createElement("span");
    span.lang = "ko";
    span.textContent = text;
    return span;
  }

  function fill(cell, progress) {
    var ids = questionIds(cell);
    var done = tally(ids, progress);
    cell.textContent = "";
    if (!ids.length || done.asked === 0) {
      cell.appendChild(document.createTextNode("not started · "));
      cell.appendChild(korean("시작 전"));
      cell.setAttribute("data-state", "new");
      return;
    }
    var bar = document.createElement("progress");
    bar.max = ids.length;
    bar.value = done.right;
    bar.style.width = "4rem";
    bar.style.verticalAlign = "middle";
    bar.style.marginRight = ".4rem";
    var label = done.right + " of " + ids.length + " questions answered correctly · " +
      ids.length + "문제 중 " + done.right + "문제 맞힘";
    bar.setAttribute("aria-label", label);
    cell.title = label;
    cell.appendChild(bar);
    cell.appendChild(document.createTextNode(done.right + " / " + ids.length));
    cell.setAttribute("data-state", done.right === ids.length ? "done" : "started");
  }

  function render() {
    var cells = document.querySelectorAll(".sk-progress[data-progress]");
    if (!cells.length) return;
    var progress = stored();
    cells.forEach(function (cell) {
      fill(cell, progress);
    });
  }

  window.studykitQuizProgress = render;
  if (typeof document$ !== "undefined") {
    document$.subscribe(render); // every page Material loads, this one included
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
