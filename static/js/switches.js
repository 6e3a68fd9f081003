// The 长辈版 (older residents' mode) and language switches keep the person on the same
// page with what they typed. Every page works without this file: the switches are
// plain forms that post and come back to the page (then a half-typed form is lost).
(function () {
  "use strict";

  var root = document.documentElement;
  var KEPT = "gongzhi:typed";
  var MODE = "gongzhi:mode";
  var SKIPPED = ["hidden", "password", "file", "submit", "button", "reset", "image"];

  // --- 长辈版: the class on <html> changes in place; the choice is sent in the
  // background (the server keeps it in a cookie and on the account).
  function placeTasks(on) {
    // The page's main task moves to the top of the page in 长辈版 and back to its
    // own place otherwise, as the server renders it (the templates' data-task-slot,
    // data-task and data-task-home). Moving an element keeps what was typed in it.
    var slot = document.querySelector("[data-task-slot]");
    if (!slot) return;
    // In the slot the tasks come first, in the page's order, before what the slot
    // always holds (a link to a form further down, shown only in 长辈版).
    var first = slot.firstChild;
    var tasks = document.querySelectorAll("[data-task]");
    for (var i = 0; i < tasks.length; i++) {
      var task = tasks[i];
      var inSlot = slot.contains(task);
      var home = document.querySelector(
        '[data-task-home="' + task.getAttribute("data-task") + '"]'
      );
      if (on && !inSlot) {
        slot.insertBefore(task, first);
      } else if (!on && inSlot && home) {
        home.parentNode.insertBefore(task, home);
      }
    }
  }

  function showMode(mode) {
    var on = mode === "elder";
    root.classList.toggle("elder", on);
    root.classList.toggle("standard", !on);
    var forms = document.querySelectorAll("form[data-mode-switch]");
    for (var i = 0; i < forms.length; i++) {
      forms[i].elements.mode.value = on ? "standard" : "elder";
      var button = forms[i].querySelector("button");
      if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
    }
    placeTasks(on);
  }

  function remember(mode) {
    try {
      sessionStorage.setItem(MODE, mode);
    } catch (error) {
      // Storage refused: only a page kept for Back may show the old mode.
    }
  }

  function switchMode(form) {
    var wanted = form.elements.mode.value;
    var before = root.classList.contains("elder") ? "elder" : "standard";
    var body = new FormData(form);
    showMode(wanted);
    remember(wanted);
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (answer) {
        if (answer.mode !== wanted) {
          showMode(answer.mode);
          remember(answer.mode);
        }
      })
      .catch(function () {
        // Not kept in the background: send the form itself, keeping what was typed.
        showMode(before);
        form.elements.mode.value = wanted;
        keepTyped();
        form.submit();
      });
  }

  // --- What was typed, kept over a switch that reloads the page (the language
  // switch, or the mode switch when it cannot be sent in the background): the
  // changed fields of the page's forms go to this tab's sessionStorage and are put
  // back when the same page comes back. Passwords, files and hidden fields never.
  function switchForm(form) {
    return form.matches("[data-mode-switch], .lang-switch");
  }

  function keepTyped() {
    var fields = [];
    var forms = document.forms;
    for (var f = 0; f < forms.length; f++) {
      if (switchForm(forms[f])) continue;
      var elements = forms[f].elements;
      for (var e = 0; e < elements.length; e++) {
        var el = elements[e];
        var type = (el.type || "").toLowerCase();
        if (!el.name || el.disabled || SKIPPED.indexOf(type) >= 0) continue;
        if (type === "checkbox" || type === "radio") {
          if (el.checked !== el.defaultChecked) fields.push([f, e, el.name, el.checked]);
        } else if (el.tagName === "SELECT") {
          var chosen = [];
          var changed = false;
          for (var o = 0; o < el.options.length; o++) {
            if (el.options[o].selected) chosen.push(o);
            if (el.options[o].selected !== el.options[o].defaultSelected) changed = true;
          }
          if (changed) fields.push([f, e, el.name, chosen]);
        } else if ("value" in el && el.value !== el.defaultValue) {
          fields.push([f, e, el.name, el.value]);
        }
      }
    }
    try {
      if (fields.length) {
        sessionStorage.setItem(KEPT, JSON.stringify({ page: pageKey(), fields: fields }));
      }
    } catch (error) {
      // Storage refused (a private window): the switch still works.
    }
  }

  function putBackTyped() {
    var kept;
    try {
      kept = JSON.parse(sessionStorage.getItem(KEPT) || "null");
    } catch (error) {
      return;
    }
    if (!kept || kept.page !== pageKey()) return;
    sessionStorage.removeItem(KEPT);
    var forms = document.forms;
    kept.fields.forEach(function (field) {
      var form = forms[field[0]];
      var el = form && form.elements[field[1]];
      if (!el || el.name !== field[2]) return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = field[3];
      } else if (el.tagName === "SELECT") {
        for (var o = 0; o < el.options.length; o++) {
          el.options[o].selected = field[3].indexOf(o) >= 0;
        }
      } else {
        el.value = field[3];
      }
    });
  }

  function pageKey() {
    return location.pathname + location.search;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-mode-switch]") && window.fetch && window.FormData) {
      event.preventDefault();
      switchMode(form);
    } else if (form.matches(".lang-switch")) {
      keepTyped();
    }
  });
  // gongzhi.js sends the language form as soon as a language is chosen, with
  // form.submit(), which fires no submit event: keep what was typed first (this
  // listener runs in the capture phase, before that one).
  document.addEventListener(
    "change",
    function (event) {
      if (event.target && event.target.id === "lang-select") keepTyped();
    },
    true
  );

  // A page the browser kept for Back shows the mode it had then: show the one
  // switched to since in this tab.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    var chosen = null;
    try {
      chosen = sessionStorage.getItem(MODE);
    } catch (error) {
      return;
    }
    var shown = root.classList.contains("elder") ? "elder" : "standard";
    if ((chosen === "elder" || chosen === "standard") && chosen !== shown) showMode(chosen);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", putBackTyped);
  } else {
    putBackTyped();
  }
})();
