/* Lesson player: reports what the learner really played or read; the server decides what counts.
 *
 * Heartbeat contract: POST {lesson, media, start, end} to data-heartbeat-url (JSON, X-CSRFToken),
 *  - for each video: the segment played since the previous beat, every data-heartbeat-seconds
 *    (10 s by default) while playing, and on pause, seek, end and when the page is hidden;
 *  - for a lesson without video: {media: null} every interval while the page is visible, until the
 *    server's reading time reaches the lesson's minimum (data-dwell-required).
 * The reply ({credited, watched_percent, position, dwell_seconds, course_completed}) updates the page.
 * Videos resume at the position the server stored (data-position).
 * Quizzes (gate and practice) are graded by the server: the page holds no correct answers.
 */
(function () {
  "use strict";

  var root = document.getElementById("lesson");
  if (!root) {
    return;
  }
  var lessonId = Number(root.dataset.lesson);
  var intervalMs = Math.max(1, Number(root.dataset.heartbeatSeconds) || 10) * 1000;
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";
  var msgs = JSON.parse(document.getElementById("lesson-messages").textContent);
  var credited = root.dataset.credited === "1";

  function post(url, body, keepalive) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          throw data;
        }
        return data;
      });
    });
  }

  function toggle(selector, on) {
    root.querySelectorAll(selector).forEach(function (el) {
      el.hidden = !on;
    });
  }

  function showCredited(on) {
    credited = credited || !!on;
    toggle("[data-credited-label]", credited);
    toggle("[data-pending-label]", !credited);
  }

  function showCompleted(on) {
    if (on) {
      toggle("[data-course-completed]", true);
    }
  }

  function showState(state) {
    var percents = state.watched_percent || {};
    Object.keys(percents).forEach(function (mid) {
      var el = root.querySelector('[data-watched="' + mid + '"]');
      if (el) {
        el.textContent = percents[mid];
      }
    });
    var dwell = root.querySelector("[data-dwell]");
    if (dwell && typeof state.dwell_seconds === "number") {
      dwell.textContent = state.dwell_seconds;
    }
    showCredited(state.credited);
    showCompleted(state.course_completed);
  }

  // One heartbeat in flight at a time, in order: the server credits each against the real time since the
  // previous one, so beats racing each other would only earn less. A beat sent while the page is being
  // left (keepalive) goes at once, since the page may not wait for the queue.
  var queue = Promise.resolve();

  function heartbeat(media, start, end, keepalive) {
    var body = { lesson: lessonId, media: media, start: start, end: end };
    function send() {
      return post(root.dataset.heartbeatUrl, body, keepalive)
        .then(function (state) {
          showState(state);
          return state;
        })
        .catch(function () {
          /* a lost beat costs at most one interval: the next one carries on */
        });
    }
    if (keepalive) {
      return send();
    }
    queue = queue.then(send);
    return queue;
  }

  // --- videos ---------------------------------------------------------------------------------

  function track(video) {
    var media = video.dataset.media;
    var resumeAt = Number(video.dataset.position) || 0;
    var segStart = null; // media time where the not yet reported played segment begins
    var last = 0; // the latest playing position seen (before a seek moves currentTime)
    var timer = null;

    function report(end, keepalive) {
      if (segStart === null) {
        return;
      }
      var start = segStart;
      segStart = null;
      if (end > start) {
        heartbeat(media, start, end, keepalive);
      }
    }

    function stopTimer() {
      if (timer !== null) {
        clearInterval(timer);
        timer = null;
      }
    }

    video.addEventListener("loadedmetadata", function () {
      if (resumeAt > 1 && resumeAt < (video.duration || Infinity) - 1) {
        video.currentTime = resumeAt;
      }
    });
    video.addEventListener("timeupdate", function () {
      if (!video.seeking) {
        last = video.currentTime;
      }
    });
    video.addEventListener("playing", function () {
      last = video.currentTime;
      segStart = video.currentTime;
      stopTimer();
      timer = setInterval(function () {
        if (video.paused || video.seeking || segStart === null) {
          return;
        }
        var now = video.currentTime;
        report(now);
        segStart = now;
      }, intervalMs);
    });
    video.addEventListener("seeking", function () {
      report(last);
      if (!video.paused) {
        segStart = null; // "playing"/"seeked" starts the next segment
      }
    });
    video.addEventListener("seeked", function () {
      last = video.currentTime;
      if (!video.paused) {
        segStart = video.currentTime;
      }
    });
    video.addEventListener("pause", function () {
      stopTimer();
      report(video.seeking ? last : video.currentTime);
    });
    video.addEventListener("ended", function () {
      stopTimer();
      report(video.duration || video.currentTime);
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && segStart !== null) {
        var now = video.currentTime;
        report(now, true);
        if (!video.paused) {
          segStart = now;
        }
      }
    });
  }

  root.querySelectorAll("video[data-media]").forEach(track);

  // --- reading time -----------------------------------------------------------------------------

  if (root.dataset.reading === "1") {
    var required = Number(root.dataset.dwellRequired) || 0;
    var dwellEl = root.querySelector("[data-dwell]");
    var reading = setInterval(function () {
      var dwell = dwellEl ? Number(dwellEl.textContent) : 0;
      if (credited || dwell >= required) {
        clearInterval(reading);
        return;
      }
      if (document.visibilityState === "visible") {
        heartbeat(null, 0, 0);
      }
    }, intervalMs);
  }

  // --- quizzes ----------------------------------------------------------------------------------

  root.querySelectorAll("form[data-quiz]").forEach(function (form) {
    var isGate = form.dataset.quiz === "gate";
    var result = form.querySelector("[data-result]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var fieldsets = form.querySelectorAll("fieldset[data-question]");
      var answers = Array.prototype.map.call(fieldsets, function (fs) {
        return Array.prototype.map.call(fs.querySelectorAll("input:checked"), function (input) {
          return Number(input.value);
        });
      });
      var url = isGate ? root.dataset.gateUrl : root.dataset.practiceUrl;
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      post(url, { lesson: lessonId, block: form.dataset.block, answers: answers })
        .then(function (data) {
          fieldsets.forEach(function (fs, i) {
            var verdict = fs.querySelector("[data-verdict]");
            var right = data.per_question[i];
            var explanation = data.explanations ? data.explanations[i] : "";
            verdict.textContent = (right ? "✓ " + msgs.right : "✗ " + msgs.wrong) + (explanation ? " · " + explanation : "");
            verdict.className = "verdict " + (right ? "ok" : "bad");
            verdict.hidden = false;
          });
          var text = msgs.score + ": " + data.correct + " / " + data.total;
          if (isGate) {
            text += " · " + (data.passed ? msgs.passed : msgs.failed);
            var passed = form.querySelector("[data-gate-passed]");
            if (passed && data.passed) {
              passed.hidden = false;
            }
            showCredited(data.credited);
            showCompleted(data.course_completed);
          }
          result.textContent = text;
        })
        .catch(function (data) {
          result.textContent = (data && data.error) || msgs.error;
        })
        .then(function () {
          button.disabled = false;
        });
    });
  });
})();
