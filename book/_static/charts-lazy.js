/* Draws the page's charts without holding up its first screen.
 *
 * Inlined into <head> of every page that holds a chart (cocreation.assets), before
 * any chart's own inline script, which hands its drawing function to
 * cocreationCharts.add(el, draw). Vega, Vega-Lite and Vega-Embed (about 280 KB gzip)
 * are fetched (not run) once the page has loaded, and run when the first chart is
 * needed. A chart is drawn when it comes within 1.5 screens of the viewport; the
 * others are drawn one per idle moment once the reader scrolls, types or taps, or
 * from 5 s after the page has loaded, so every chart is drawn in the end (before
 * printing, too) even if no one scrolls.
 * cocreationCharts.drawAll() draws the rest now and resolves when all are drawn.
 * The build puts the three library URLs in place of __CHART_LIBRARY_URLS__.
 */
(function () {
  var urls = __CHART_LIBRARY_URLS__;
  var pending = [];
  var libs = null;
  var busy = false;
  var eager = false;
  var waiting = [];
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      pending.forEach(function (c) { if (c.el === entry.target) c.near = true; });
    });
    pump();
  }, {rootMargin: "150% 0px"}) : null;

  function loadLibs() {
    if (!libs) libs = new Promise(function (done) {
      var left = urls.length;
      urls.forEach(function (url) {
        var s = document.createElement("script");
        s.src = url;
        s.async = false;
        s.onload = s.onerror = function () { if (--left === 0) done(); };
        document.head.appendChild(s);
      });
    });
    return libs;
  }

  function settle() {
    if (pending.length || busy) return;
    waiting.splice(0).forEach(function (done) { done(); });
  }

  function pump() {
    if (busy) return;
    var next = pending.filter(function (c) { return c.near; })[0] || (eager ? pending[0] : null);
    if (!next) return settle();
    busy = true;
    loadLibs().then(function () {
      pending.splice(pending.indexOf(next), 1);
      if (observer) observer.unobserve(next.el);
      var drawn;
      try { drawn = next.draw(); } catch (e) { console.error(e); }
      return drawn;
    }).catch(function () {}).then(function () {
      busy = false;
      var near = pending.some(function (c) { return c.near; });
      if (!near && window.requestIdleCallback) window.requestIdleCallback(pump, {timeout: 1000});
      else setTimeout(pump, 0);
    });
  }

  function drawAll() {
    eager = true;
    pump();
    return new Promise(function (done) { waiting.push(done); settle(); });
  }

  window.cocreationCharts = {
    add: function (el, draw) {
      pending.push({el: el, draw: draw, near: false});
      if (observer) observer.observe(el); else eager = true;
      if (eager) pump();
    },
    drawAll: drawAll
  };

  // the page's own scrolling (not a sidebar's), or a key, click or touch anywhere
  var acts = [["scroll", false], ["keydown", true], ["pointerdown", true], ["touchstart", true]];
  var start = function () {
    acts.forEach(function (a) { window.removeEventListener(a[0], start, a[1]); });
    drawAll();
  };
  acts.forEach(function (a) { window.addEventListener(a[0], start, {capture: a[1], passive: true}); });
  window.addEventListener("beforeprint", drawAll);
  window.addEventListener("load", function () {
    var prefetch = function () {
      if (libs) return;
      urls.forEach(function (url) {
        var link = document.createElement("link");
        link.rel = "prefetch";
        link.as = "script";
        link.href = url;
        document.head.appendChild(link);
      });
    };
    if (window.requestIdleCallback) window.requestIdleCallback(prefetch, {timeout: 2000}); else setTimeout(prefetch, 0);
    setTimeout(drawAll, 5000);
  });
})();
