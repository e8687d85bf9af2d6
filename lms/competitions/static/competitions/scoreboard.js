/* Live scoreboard: polls the board's JSON every few seconds and updates the rows in place (no reload).
   Columns come from the table headers (th[data-col]); rows are keyed by the contestant's code. When the
   results are published, or the tracks or rounds change, the page is loaded again once to show the new columns. */
(function () {
    "use strict";
    var board = document.getElementById("scoreboard");
    if (!board || !window.fetch) { return; }
    var url = board.dataset.url;
    var every = parseInt(board.dataset.poll, 10) || 3000;
    var version = board.dataset.version;
    var published = board.dataset.published === "true";
    var none = board.dataset.none || "—";
    var status = document.getElementById("live-status");
    var shape = board.dataset.shape;

    function awardLabel(code) { return code ? (board.dataset["award" + code.charAt(0).toUpperCase() + code.slice(1)] || code) : ""; }

    function value(row, col) {
        if (col === "rank") { return row.rank === null || row.rank === undefined ? none : String(row.rank); }
        if (col === "code") { return row.code; }
        if (col === "name") { return row.name || ""; }
        if (col === "unit") { return row.unit || ""; }
        if (col === "total") { return row.total === null || row.total === undefined ? none : row.total; }
        if (col === "award") { return awardLabel(row.award); }
        if (col.indexOf("round-") === 0) {
            var v = (row.rounds || {})[col.slice(6)];
            return v === null || v === undefined ? none : v;
        }
        return "";
    }

    function shapeOf(data) {
        return (data.tracks || []).map(function (t) {
            return t.id + ":" + (t.rounds || []).map(function (r) { return r.id; }).join(",");
        }).join("|");
    }

    function renderTrack(track) {
        var section = board.querySelector("[data-track='" + track.id + "']");
        if (!section) { return false; }
        var cols = Array.prototype.map.call(section.querySelectorAll("thead th[data-col]"), function (th) { return th.dataset.col; });
        var tbody = section.querySelector("tbody");
        var empty = section.querySelector("[data-empty]");
        var seen = {};
        (track.rows || []).forEach(function (row) {
            seen[row.code] = true;
            var tr = tbody.querySelector("tr[data-code='" + row.code + "']");
            var fresh = !tr;
            if (fresh) {
                tr = document.createElement("tr");
                tr.dataset.code = row.code;
                tr.setAttribute("data-testid", "sb-row-" + row.code);
                cols.forEach(function (col) {
                    var td = document.createElement("td");
                    td.dataset.col = col;
                    if (col !== "code" && col !== "name" && col !== "unit" && col !== "award") { td.className = "num"; }
                    if (col === "code") { td.className = "code"; }
                    if (col === "total") { td.setAttribute("data-testid", "sb-total-" + row.code); }
                    if (col === "rank") { td.setAttribute("data-testid", "sb-rank-" + row.code); }
                    tr.appendChild(td);
                });
            }
            var changed = false;
            cols.forEach(function (col, i) {
                var td = tr.children[i], text = value(row, col);
                if (td.textContent !== text) { td.textContent = text; changed = true; }
                if (col === "award") { td.className = row.award ? "award-" + row.award : ""; }
            });
            tbody.appendChild(tr);  /* moves the row to its place in the board's order */
            if (changed && !fresh) {
                tr.classList.remove("changed");
                void tr.offsetWidth;  /* restart the flash */
                tr.classList.add("changed");
            }
        });
        Array.prototype.forEach.call(tbody.querySelectorAll("tr[data-code]"), function (tr) {
            if (!seen[tr.dataset.code]) { tr.remove(); }
        });
        if (empty) { empty.hidden = (track.rows || []).length > 0; }
        return true;
    }

    function stamp(ok) {
        if (!status) { return; }
        var d = new Date();
        function pad(n) { return (n < 10 ? "0" : "") + n; }
        status.classList.toggle("stale", !ok);
        status.textContent = (ok ? status.dataset.ok : status.dataset.failed) + " " +
            pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
    }

    function apply(data) {
        if (data.published !== published || shapeOf(data) !== shape) { window.location.reload(); return; }
        if (data.version === version) { return; }
        (data.tracks || []).forEach(renderTrack);
        version = data.version;
        board.dataset.version = version;
    }

    function poll() {
        if (document.hidden) { setTimeout(poll, every); return; }
        fetch(url, { cache: "no-cache", headers: { Accept: "application/json" }, credentials: "same-origin" })
            .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
            .then(function (data) { apply(data); stamp(true); })
            .catch(function () { stamp(false); })
            .then(function () { setTimeout(poll, every); });
    }
    setTimeout(poll, every);
})();
