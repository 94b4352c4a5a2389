// The dashboard's one as-of form: the date field and the meeting list stay in step (the era
// date beside the picker is static/js/era_date.js's). Without JavaScript the form still works:
// the server takes the field the user changed (see reports.views.requested_day).
(function () {
  "use strict";
  function setUp() {
    var form = document.getElementById("as-of-form");
    if (!form) return;
    var date = form.querySelector("input[type=date]");
    var picks = form.querySelectorAll("select[data-as-of-pick]");
    date.addEventListener("input", function () {
      picks.forEach(function (select) {
        var match = Array.prototype.find.call(select.options, function (o) { return o.value === date.value; });
        select.value = match ? match.value : "";
      });
    });
    picks.forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.value) date.value = select.value;
        picks.forEach(function (other) { if (other !== select) other.value = ""; });
        date.dispatchEvent(new Event("change"));  // era_date.js shows the era date
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
