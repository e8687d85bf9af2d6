/* Judges' mark sheet: a stopwatch for the time used (mm:ss). The live total, the ± buttons and the confirmation
   before submitting are the exams' mark sheet script (exams/marks.js). */
(function () {
    "use strict";
    var form = document.getElementById("marks");
    if (!form) { return; }
    var confirmed = document.getElementById("confirmed");

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
    }
})();
