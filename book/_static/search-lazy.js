/* The search tools and index (searchindex.js, about 140 KB) serve only the results
 * page, since the search box sends the query there. They are not in the page's
 * <head>; this script asks the browser to fetch them, at low priority, when the
 * reader opens the search box, so the results page then opens from the cache.
 */
(function () {
  "use strict";
  var warmed = false;

  function warm() {
    if (warmed) return;
    warmed = true;
    var root = document.documentElement.getAttribute("data-content_root") || "";
    ["_static/searchtools.js", "_static/language_data.js", "searchindex.js"].forEach(function (path) {
      var link = document.createElement("link");
      link.rel = "prefetch";
      link.as = "script";
      link.href = root + path;
      document.head.appendChild(link);
    });
  }

  document.addEventListener("click", function (event) {
    var t = event.target;
    if (t && t.closest && t.closest(".search-button-field, .search-button__button, [aria-label='Search']")) warm();
  }, true);
  document.addEventListener("focusin", function (event) {
    var t = event.target;
    if (t && t.matches && t.matches("input[name='q']")) warm();
  });
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && String(event.key).toLowerCase() === "k") warm();
  });
})();
