/* Exam page: autosave every answer, count down from the server's deadline, submit (also when time is up).
 *
 * Autosave contract: POST {position, response, seq} (JSON, X-CSRFToken) to config.answersUrl. ``seq`` grows with
 * every change on this device (and starts above every number the server has saved, from any device), so the
 * server keeps the newest answer whatever order requests arrive in: it answers {position, seq, applied} with the
 * sequence number it holds. One request is in flight at a time; failures (offline, 5xx) are retried with
 * exponential backoff, and unsaved answers are kept in localStorage so a reload does not lose them.
 * 409 means answers are no longer accepted (time up or submitted): the page stops saving and submits.
 * The countdown uses the server's clock: offset = server time at page load − this device's time.
 * The page holds no correct answers; without JavaScript it is a plain form that saves on submit.
 */
(function () {
  "use strict";

  var form = document.getElementById("exam");
  var configEl = document.getElementById("exam-config");
  if (!form || !configEl) {
    return;
  }
  var config = JSON.parse(configEl.textContent);
  var texts = JSON.parse(document.getElementById("exam-messages").textContent);
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var nojs = form.querySelector("[data-nojs]");
  if (nojs) {
    nojs.remove();
  }
  var stateEl = document.querySelector("[data-save-state]");
  var countdownEl = document.querySelector("[data-countdown]");
  var answeredEl = document.querySelector("[data-answered]");
  var storeKey = "exams:attempt:" + config.attempt;
  var offset = config.serverNow - Date.now();
  var pending = {}; // position -> {response, seq}
  var saved = {}; // position -> response as the server holds it (for the answered count)
  var lastSeq = 0;
  var inFlight = false;
  var retryMs = 0;
  var retryTimer = null;
  var closed = false;
  var submitting = false;

  config.questions.forEach(function (q) {
    saved[q.position] = q.response;
    lastSeq = Math.max(lastSeq, q.seq || 0);
  });

  function fieldset(position) {
    return form.querySelector('fieldset[data-position="' + position + '"]');
  }

  function isEmpty(response) {
    if (response === null || response === undefined) {
      return true;
    }
    return response.every(function (v) {
      return typeof v === "string" && v.trim() === "";
    }) || response.length === 0;
  }

  function readResponse(fs) {
    var type = fs.dataset.type;
    if (type === "single" || type === "multiple") {
      return Array.prototype.map.call(fs.querySelectorAll("input:checked"), function (i) {
        return i.value;
      });
    }
    if (type === "true_false") {
      var checked = fs.querySelector("input:checked");
      return checked ? [checked.value === "true"] : [];
    }
    if (type === "fill_blank") {
      return Array.prototype.map.call(fs.querySelectorAll("input[type=text]"), function (i) {
        return i.value;
      });
    }
    return [fs.querySelector("textarea").value];
  }

  function writeResponse(fs, response) {
    var type = fs.dataset.type;
    response = response || [];
    if (type === "single" || type === "multiple") {
      fs.querySelectorAll("input").forEach(function (i) {
        i.checked = response.indexOf(i.value) !== -1;
      });
    } else if (type === "true_false") {
      fs.querySelectorAll("input").forEach(function (i) {
        i.checked = response.length > 0 && String(response[0]) === i.value;
      });
    } else if (type === "fill_blank") {
      fs.querySelectorAll("input[type=text]").forEach(function (i, n) {
        i.value = response[n] || "";
      });
    } else {
      fs.querySelector("textarea").value = response[0] || "";
    }
  }

  function answered(position) {
    var p = pending[position];
    return !isEmpty(p ? p.response : saved[position]);
  }

  function showProgress() {
    var n = 0;
    config.questions.forEach(function (q) {
      var on = answered(q.position);
      n += on ? 1 : 0;
      var link = document.querySelector('[data-nav="' + q.position + '"]');
      if (link) {
        link.classList.toggle("answered", on);
      }
    });
    if (answeredEl) {
      answeredEl.textContent = n;
    }
    return n;
  }

  function showState(kind) {
    var count = Object.keys(pending).length;
    stateEl.className = "save-state " + kind;
    stateEl.dataset.state = kind;
    if (kind === "offline") {
      stateEl.textContent = texts.offline + " (" + count + ")";
    } else {
      stateEl.textContent = texts[kind];
    }
  }

  function remember() {
    try {
      localStorage.setItem(storeKey, JSON.stringify(pending));
    } catch (e) {
      /* private mode or full: the answers are still queued in memory */
    }
  }

  function nextSeq() {
    lastSeq = Math.max(lastSeq + 1, Date.now() + offset);
    return lastSeq;
  }

  function queue(position, response) {
    if (closed) {
      return;
    }
    pending[position] = { response: response, seq: nextSeq() };
    remember();
    showProgress();
    flush();
  }

  function post(body) {
    return fetch(config.answersUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    });
  }

  function stop(message) {
    closed = true;
    stateEl.textContent = message;
    stateEl.className = "save-state error";
    stateEl.dataset.state = "closed";
  }

  function flush() {
    if (inFlight || retryTimer || closed) {
      return;
    }
    var positions = Object.keys(pending);
    if (!positions.length) {
      showState("saved");
      return;
    }
    var position = Number(positions[0]);
    var item = pending[position];
    inFlight = true;
    showState("saving");
    post({ position: position, response: isEmpty(item.response) ? null : item.response, seq: item.seq })
      .then(function (response) {
        return response.json().then(
          function (data) {
            return { status: response.status, data: data };
          },
          function () {
            return { status: response.status, data: {} };
          },
        );
      })
      .then(function (result) {
        inFlight = false;
        if (result.status === 200) {
          retryMs = 0;
          if (pending[position] && pending[position].seq <= result.data.seq) {
            saved[position] = pending[position].response;
            delete pending[position];
            remember();
          }
          var err = fieldset(position).querySelector("[data-q-error]");
          err.hidden = true;
          flush();
        } else if (result.status === 400) {
          var qerr = fieldset(position).querySelector("[data-q-error]");
          qerr.textContent = result.data.error || texts.invalid;
          qerr.hidden = false;
          delete pending[position];
          remember();
          flush();
        } else if (result.status === 409 || result.status === 403 || result.status === 404) {
          stop(result.data.error || texts.closed);
          if (result.data.code === "time_up" || result.data.code === "submitted") {
            submitNow(true);
          }
        } else {
          retry();
        }
        showProgress();
      })
      .catch(function () {
        inFlight = false;
        retry();
      });
  }

  function retry() {
    retryMs = Math.min(30000, retryMs ? retryMs * 2 : 1000);
    showState("offline");
    retryTimer = setTimeout(function () {
      retryTimer = null;
      flush();
    }, retryMs);
  }

  window.addEventListener("online", function () {
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
      retryMs = 0;
    }
    flush();
  });

  // Changes: choices at once, typing after a pause (and when the field is left).
  var typing = {};
  form.addEventListener("change", function (event) {
    var fs = event.target.closest("fieldset[data-position]");
    if (fs) {
      clearTimeout(typing[fs.dataset.position]);
      queue(Number(fs.dataset.position), readResponse(fs));
    }
  });
  form.addEventListener("input", function (event) {
    var fs = event.target.closest("fieldset[data-position]");
    if (fs && (event.target.type === "text" || event.target.tagName === "TEXTAREA")) {
      clearTimeout(typing[fs.dataset.position]);
      typing[fs.dataset.position] = setTimeout(function () {
        queue(Number(fs.dataset.position), readResponse(fs));
      }, 800);
    }
  });

  // Answers changed on this device but not saved before a reload come back from localStorage.
  try {
    var stored = JSON.parse(localStorage.getItem(storeKey) || "{}");
    Object.keys(stored).forEach(function (position) {
      var server = config.questions.filter(function (q) {
        return String(q.position) === position;
      })[0];
      if (server && stored[position].seq > (server.seq || 0)) {
        pending[position] = stored[position];
        lastSeq = Math.max(lastSeq, stored[position].seq);
        writeResponse(fieldset(position), stored[position].response);
      }
    });
  } catch (e) {
    /* nothing stored */
  }
  showProgress();
  flush();

  // --- submitting ---------------------------------------------------------------------------------------------

  function whenSaved(maxMs) {
    return new Promise(function (resolve) {
      var waited = 0;
      (function check() {
        if (!Object.keys(pending).length || closed || waited >= maxMs) {
          resolve();
          return;
        }
        waited += 200;
        setTimeout(check, 200);
      })();
    });
  }

  function submitNow(auto) {
    if (submitting) {
      return;
    }
    submitting = true;
    form.querySelector("[data-auto]").value = auto ? "1" : "0";
    whenSaved(auto ? 8000 : 5000).then(function () {
      try {
        localStorage.removeItem(storeKey);
      } catch (e) {
        /* ignore */
      }
      HTMLFormElement.prototype.submit.call(form);
    });
  }

  var dialog = document.querySelector("[data-confirm]");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var n = showProgress();
    var message = texts.confirm.replace("%(answered)s", n).replace("%(total)s", config.questions.length);
    if (dialog && typeof dialog.showModal === "function") {
      dialog.querySelector("[data-confirm-text]").textContent = message;
      dialog.showModal();
    } else if (window.confirm(message)) {
      submitNow(false);
    }
  });
  if (dialog) {
    dialog.querySelector("[data-confirm-yes]").addEventListener("click", function () {
      dialog.close();
      submitNow(false);
    });
    dialog.querySelector("[data-confirm-no]").addEventListener("click", function () {
      dialog.close();
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (Object.keys(pending).length && !submitting) {
      event.preventDefault();
      event.returnValue = texts.leave;
    }
  });

  // --- the countdown ------------------------------------------------------------------------------------------

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function tick() {
    var left = Math.max(0, Math.floor((config.deadline - (Date.now() + offset)) / 1000));
    var h = Math.floor(left / 3600);
    var m = Math.floor((left % 3600) / 60);
    countdownEl.textContent = (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(left % 60);
    countdownEl.classList.toggle("low", left < 300);
    countdownEl.dataset.secondsLeft = left;
    if (left <= 0 && !submitting) {
      form.querySelectorAll("input, textarea").forEach(function (el) {
        if (el.type !== "hidden") {
          el.disabled = true;
        }
      });
      stateEl.textContent = texts.timeUp;
      submitNow(true);
    }
  }
  tick();
  setInterval(tick, 500);
})();
