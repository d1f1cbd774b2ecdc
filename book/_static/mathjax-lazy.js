/* Typeset the page's maths without holding up the page.
 *
 * MathJax (1.2 MB of script) is loaded only after the page has loaded and the
 * browser is idle, and only once some maths comes within 200 px of the
 * viewport; then expressions are typeset a few at a time, as they come near, with a
 * pause between batches so scrolling and the charts stay responsive. The page's
 * configuration (window.MathJax, set in <head>) turns MathJax's own start-up
 * typesetting off. The script's data-mathjax attribute names the vendored MathJax.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  var src = me && me.getAttribute("data-mathjax");
  var BATCH = 16;
  var queue = [];
  var busy = false;
  var loading = null;

  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.async = true;
        s.onload = resolve;
        s.onerror = function () { reject(new Error("MathJax did not load from " + src)); };
        document.head.appendChild(s);
      }).then(function () { return window.MathJax.startup.promise; });
    }
    return loading;
  }

  function pump() {
    if (busy || !queue.length) return;
    busy = true;
    load().then(function () {
      return window.MathJax.typesetPromise(queue.splice(0, BATCH));
    }).then(function () {
      busy = false;
      setTimeout(pump, 16);
    }, function (err) {
      queue = [];
      console.error(err);
    });
  }

  function start() {
    var maths = Array.prototype.slice.call(document.querySelectorAll(".math, .tex2jax_process, .mathjax_process"));
    if (!maths.length || !src) return;
    if (!("IntersectionObserver" in window)) {
      queue = maths;
      pump();
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          queue.push(entry.target);
        }
      });
      pump();
    }, {rootMargin: "200px 0px"});
    maths.forEach(function (el) { observer.observe(el); });
  }

  function whenIdle() {
    if ("requestIdleCallback" in window) window.requestIdleCallback(start, {timeout: 1000});
    else setTimeout(start, 50);
  }

  if (document.readyState === "complete") whenIdle();
  else window.addEventListener("load", whenIdle);
})();
