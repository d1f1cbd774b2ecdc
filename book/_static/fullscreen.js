/* A "Full screen" button under every chart of the page (issue 22).
   It shows the chart's box (the chart, its sliders and menus, its buttons) on the whole
   screen with the Fullscreen API; the chart re-fits to the screen (the embed script
   watches its box). Esc, or the same button, leaves full screen. Works offline. */
(function () {
  if (!document.fullscreenEnabled) return;
  var LABEL = "Full screen", EXIT = "Exit full screen";

  function add(chart) {
    var box = chart.parentElement;
    if (!box || box.querySelector(":scope > .cocreation-chart-fullscreen")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cocreation-chart-fullscreen btn btn-sm";
    button.textContent = LABEL;
    button.addEventListener("click", function () {
      if (document.fullscreenElement === box) {
        document.exitFullscreen();
      } else {
        box.classList.add("cocreation-fullscreen-box");
        box.requestFullscreen().catch(function () { box.classList.remove("cocreation-fullscreen-box"); });
      }
    });
    var csv = box.querySelector(":scope > .cocreation-chart-data");
    (csv || chart).insertAdjacentElement("afterend", button);
  }

  document.addEventListener("fullscreenchange", function () {
    document.querySelectorAll(".cocreation-chart-fullscreen").forEach(function (button) {
      var on = document.fullscreenElement === button.parentElement;
      button.textContent = on ? EXIT : LABEL;
      if (!on) button.parentElement.classList.remove("cocreation-fullscreen-box");
      if (on) button.focus();
    });
  });

  function scan() {
    document.querySelectorAll(".cocreation-chart").forEach(function (chart) {
      if (chart.dataset.rendered === "true") add(chart);
    });
  }
  // Charts are drawn after the page loads, one at a time: add each button once its
  // chart is there (the embed script marks it data-rendered).
  var watcher = new MutationObserver(scan);
  document.querySelectorAll(".cocreation-chart").forEach(function (chart) {
    watcher.observe(chart, {attributes: true, attributeFilter: ["data-rendered"]});
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan); else scan();
})();
