/* A mark sheet (practical assessment, competition judging): live total and ± buttons, and the confirmation
   before marks are submitted and locked. The form is #marks; its data-confirm text may hold "%s" or
   "%(total)s" (the total) and "%(time)s" (the #time-used field). The server checks every mark again. */
(function () {
    "use strict";
    var form = document.getElementById("marks");
    if (!form) { return; }
    var inputs = form.querySelectorAll("input[type=number]");
    var out = document.getElementById("live-total");
    var confirmed = document.getElementById("confirmed");
    var time = document.getElementById("time-used");

    function show() {
        var sum = 0;
        inputs.forEach(function (i) { var v = parseFloat(i.value); if (!isNaN(v)) { sum += v; } });
        out.textContent = (Math.round(sum * 100) / 100).toString();
    }
    function changed() {
        if (confirmed) { confirmed.value = ""; }  /* changed marks are confirmed again */
        show();
    }
    form.querySelectorAll("button.step").forEach(function (b) {
        b.hidden = false;
        b.addEventListener("click", function () {
            var input = b.parentNode.querySelector("input");
            var max = parseFloat(input.dataset.max), v = parseFloat(input.value);
            v = (isNaN(v) ? 0 : v) + parseFloat(b.dataset.step);
            input.value = Math.min(max, Math.max(0, v));
            changed();
        });
    });
    inputs.forEach(function (i) { i.addEventListener("input", changed); });
    if (time) { time.addEventListener("input", changed); }
    show();

    var confirmText = form.dataset.confirm;
    if (confirmText) {
        form.addEventListener("submit", function (e) {
            var submitter = e.submitter;
            if (!submitter || submitter.value !== "submit" || confirmed.value === "1") { return; }
            var text = confirmText.replace("%(total)s", out.textContent).replace("%s", out.textContent)
                .replace("%(time)s", (time && time.value) || "—");
            if (!window.confirm(text)) { e.preventDefault(); return; }
            confirmed.value = "1";
        });
    }
})();
