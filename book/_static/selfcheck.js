/* Self-check questions: check an answer in the page, with no kernel and no network.
   The HTML comes from cocreation.selfcheck.render_html; each question is a
   .self-check container whose feedback goes to its aria-live="polite" element. */
(function () {
  "use strict";

  function parseNumber(text) {
    var t = String(text).trim().replace(/\s/g, "").replace(/\u2212/g, "-");
    if (/^-?\d+,\d+$/.test(t)) t = t.replace(",", ".");
    if (t.endsWith("%")) t = t.slice(0, -1);
    if (!/^-?(\d+\.?\d*|\.\d+)$/.test(t)) return NaN;
    return parseFloat(t);
  }

  function show(box, verdict, right, lines) {
    var out = box.querySelector(".self-check-feedback");
    out.textContent = "";
    var head = document.createElement("p");
    head.className = "self-check-verdict";
    var strong = document.createElement("strong");
    strong.textContent = verdict;
    head.appendChild(strong);
    out.appendChild(head);
    lines.forEach(function (line) {
      if (!line) return;
      var p = document.createElement("p");
      p.textContent = line;
      out.appendChild(p);
    });
    out.classList.toggle("self-check-right", right);
    out.classList.toggle("self-check-wrong", !right);
    box.dataset.state = right ? "right" : "wrong";
  }

  function check(box) {
    var kind = box.dataset.kind;
    var out = box.querySelector(".self-check-feedback");
    if (kind === "choice") {
      var picked = box.querySelector("input[type=radio]:checked");
      if (!picked) return show(box, "Choose an answer first.", false, []);
      var ok = picked.dataset.correct === "true";
      return show(box, ok ? "Correct." : "Not quite.", ok, [picked.dataset.feedback]);
    }
    if (kind === "number") {
      var input = box.querySelector("input");
      var value = parseNumber(input.value);
      if (isNaN(value)) return show(box, "Type a number, such as 0.25.", false, []);
      var good = Math.abs(value - parseFloat(input.dataset.answer)) <= parseFloat(input.dataset.tolerance) + 1e-12;
      return show(box, good ? "Correct." : "Not quite.", good,
                  [good ? out.dataset.right : out.dataset.hint]);
    }
    var selects = Array.prototype.slice.call(box.querySelectorAll("select"));
    if (selects.some(function (s) { return s.value === ""; })) {
      return show(box, "Answer every item first.", false, []);
    }
    var wrong = selects.filter(function (s) { return s.value !== s.dataset.expected; });
    if (wrong.length === 0) return show(box, "Correct.", true, [out.dataset.right]);
    var lines = [(selects.length - wrong.length) + " of " + selects.length + " in place. " + out.dataset.hint];
    wrong.forEach(function (s) {
      var label = box.querySelector('label[for="' + s.id + '"]');
      lines.push((label ? label.textContent + ": " : "") + s.dataset.feedback);
    });
    return show(box, "Not quite.", false, lines);
  }

  function init() {
    document.querySelectorAll(".self-check").forEach(function (box) {
      var button = box.querySelector(".self-check-button");
      if (!button) return;
      button.addEventListener("click", function () { check(box); });
      var field = box.querySelector("input[type=text]");
      if (field) {
        field.addEventListener("keydown", function (ev) {
          if (ev.key === "Enter") { ev.preventDefault(); check(box); }
        });
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
