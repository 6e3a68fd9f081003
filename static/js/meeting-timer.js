// The chair's speaking-turn timer on a motion's page. A countdown from the meeting's
// minutes per speech; stopping it writes the seconds spoken into the speech form.
// Without this file the chair types the seconds (the timer stays hidden).
(function () {
  "use strict";

  function format(seconds) {
    var sign = seconds < 0 ? "-" : "";
    var s = Math.abs(seconds);
    var m = Math.floor(s / 60);
    var r = s % 60;
    return sign + m + ":" + (r < 10 ? "0" : "") + r;
  }

  function setUp(box) {
    var limit = parseInt(box.getAttribute("data-seconds"), 10) || 120;
    var display = box.querySelector("[data-timer-display]");
    var toggle = box.querySelector("[data-timer-toggle]");
    var reset = box.querySelector("[data-timer-reset]");
    var form = box.nextElementSibling;
    var field = form ? form.querySelector("[data-timer-seconds]") : null;
    var labels = {
      start: box.getAttribute("data-label-start") || "Start",
      stop: box.getAttribute("data-label-stop") || "Stop",
      over: box.getAttribute("data-label-over") || "Time is up",
    };
    var startedAt = null;
    var elapsed = 0;
    var tick = null;

    function seconds() {
      return elapsed + (startedAt ? Math.floor((Date.now() - startedAt) / 1000) : 0);
    }

    function show() {
      var left = limit - seconds();
      display.textContent = format(left);
      if (left <= 0) {
        box.classList.add("over");
        display.setAttribute("aria-label", labels.over);
      } else {
        box.classList.remove("over");
        display.removeAttribute("aria-label");
      }
    }

    function stop() {
      elapsed = seconds();
      startedAt = null;
      window.clearInterval(tick);
      tick = null;
      toggle.textContent = labels.start;
      if (field) {
        field.value = String(elapsed);
      }
      show();
    }

    toggle.addEventListener("click", function () {
      if (startedAt) {
        stop();
        return;
      }
      startedAt = Date.now();
      toggle.textContent = labels.stop;
      tick = window.setInterval(show, 250);
      show();
    });

    reset.addEventListener("click", function () {
      if (startedAt) {
        stop();
      }
      elapsed = 0;
      if (field) {
        field.value = "0";
      }
      show();
    });

    // A recorded speech starts the next turn from zero.
    if (form) {
      form.addEventListener("submit", function () {
        if (startedAt) {
          stop();
        }
      });
    }
    box.hidden = false;
    show();
  }

  function init() {
    var boxes = document.querySelectorAll("[data-meeting-timer]");
    for (var i = 0; i < boxes.length; i += 1) {
      setUp(boxes[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
