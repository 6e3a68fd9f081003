// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Switch language as soon as a choice is made (the button stays for keyboard
  // and no-script users).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select && select.id === "lang-select" && select.form) {
      select.form.submit();
    }
  });
})();
