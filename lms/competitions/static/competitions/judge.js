/* Judges' mark sheet: live total, ± buttons, a stopwatch for the time used (mm:ss), and the confirmation
   before the marks are submitted and locked. The server checks every mark again. */
(function () {
    "use strict";
    var form = document.getElementById("marks");
    if (!form) { return; }
    var inputs = form.querySelectorAll("input[type=number]");
    var out = document.getElementById("live-total");
    var confirmed = document.getElementById("confirmed");

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
    show();

    /* stopwatch: starts from the time already typed, fills the mm:ss field every second */
    var time = document.getElementById("time-used");
    var watch = document.getElementById("stopwatch");
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    function seconds(text) {
        var m = /^\s*(\d{1,3})\s*[:：]\s*([0-5]?\d)\s*$/.exec(text || "");
        if (m) { return parseInt(m[1], 10) * 60 + parseInt(m[2], 10); }
        m = /^\s*(\d{1,3})\s*$/.exec(text || "");
        return m ? parseInt(m[1], 10) * 60 : 0;
    }
    if (time && watch) {
        var timer = null, started = 0, base = 0;
        watch.hidden = false;
        watch.addEventListener("click", function () {
            if (timer) {
                clearInterval(timer); timer = null;
                watch.textContent = watch.dataset.start;
                watch.setAttribute("aria-pressed", "false");
                return;
            }
            base = seconds(time.value); started = Date.now();
            timer = setInterval(function () {
                var s = base + Math.floor((Date.now() - started) / 1000);
                time.value = pad(Math.floor(s / 60)) + ":" + pad(s % 60);
            }, 250);
            watch.textContent = watch.dataset.stop;
            watch.setAttribute("aria-pressed", "true");
            if (confirmed) { confirmed.value = ""; }
        });
        time.addEventListener("input", function () { if (confirmed) { confirmed.value = ""; } });
    }

    var confirmText = form.dataset.confirm;
    if (confirmText) {
        form.addEventListener("submit", function (e) {
            var submitter = e.submitter;
            if (!submitter || submitter.value !== "submit" || confirmed.value === "1") { return; }
            var text = confirmText.replace("%(total)s", out.textContent)
                .replace("%(time)s", (time && time.value) || "—");
            if (!window.confirm(text)) { e.preventDefault(); return; }
            confirmed.value = "1";
        });
    }
})();
