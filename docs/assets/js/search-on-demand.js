// Fetch the search index only when the reader reaches for search (issue 16).
//
// Material requests the whole index, search/search_index.json (about 0.4 MB, more than all the
// rest of a page), with an XMLHttpRequest sent while its bundle starts, on every page, though
// most visits never search. This script holds that one request back until search is wanted:
// the search box focused (also by Material's keyboard shortcuts), the magnifier pressed or
// hovered, or a page opened from a search result (?h=, whose words Material highlights). Then
// the request goes out as Material made it, and search works as before ("Initializing search"
// shows meanwhile).
//
// It must run before Material's bundle (a <script> in the page's <head>); run later, it holds
// nothing back and the index loads as it did. Any other request passes untouched.
(function () {
  "use strict";

  var INDEX = "search/search_index.json";
  var wanted = false;
  var held = []; // the held requests' sends, run once search is wanted
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;

  // The Korean site (pages under ko/, <html lang="ko">) has its own index, ko/search/...:
  // Material asks for the site root's, so the request is pointed there (weight.py splits them).
  var KOREAN = /^ko\b/i.test(document.documentElement.lang || "");

  XMLHttpRequest.prototype.open = function (method, url) {
    var args = Array.prototype.slice.call(arguments);
    var text = String(url);
    this.studykitSearchIndex = text.indexOf(INDEX) >= 0;
    if (this.studykitSearchIndex && KOREAN && text.indexOf("ko/" + INDEX) < 0) {
      args[1] = text.replace(INDEX, "ko/" + INDEX);
    }
    return open.apply(this, args);
  };

  XMLHttpRequest.prototype.send = function () {
    if (wanted || !this.studykitSearchIndex) return send.apply(this, arguments);
    var request = this;
    var args = arguments;
    held.push(function () {
      send.apply(request, args);
    });
  };

  function want() {
    if (wanted) return;
    wanted = true;
    held.splice(0).forEach(function (go) {
      go();
    });
  }

  // Anything done to the search box, its toggle or the labels that open it.
  function onSearch(event) {
    var target = event.target;
    if (target && target.closest && target.closest(".md-search, label[for='__search']")) want();
    if (target && target.id === "__search") want();
  }

  ["focusin", "change", "pointerover", "pointerdown", "touchstart"].forEach(function (type) {
    document.addEventListener(type, onSearch, { capture: true, passive: true });
  });
  if (new URLSearchParams(window.location.search).has("h")) want();
})();
