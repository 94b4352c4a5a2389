// Every date picker drawn by templates/includes/era_date.html has its era date (令和4年5月9日)
// beside it in an <output class="era-date">; this keeps it in step as the date changes. Without
// JavaScript the server's era date for the shown day stays.
(function () {
  "use strict";
  var era = null;
  try {
    era = new Intl.DateTimeFormat("ja-JP-u-ca-japanese",
      { era: "long", year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
  } catch (e) { era = null; }

  function eraLabel(value) {
    if (!era || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return "";
    var parts = value.split("-").map(Number);
    var text = era.format(new Date(Date.UTC(parts[0], parts[1] - 1, parts[2])));
    return text.replace(/(\D)1年/, "$1元年");  // 令和元年, as city documents print it
  }

  // A chosen option of the same form that carries the server's era date for this day (the
  // dashboard's meeting list) wins over the browser's calendar.
  function serverLabel(input) {
    if (!input.form) return null;
    var options = input.form.querySelectorAll("option[data-era]");
    for (var i = 0; i < options.length; i++) {
      if (options[i].selected && options[i].value === input.value) return options[i].dataset.era;
    }
    return null;
  }

  function setUp() {
    document.querySelectorAll("output.era-date").forEach(function (output) {
      var input = document.getElementById(output.htmlFor.value);
      if (!input) return;
      function show() { output.textContent = serverLabel(input) || eraLabel(input.value); }
      input.addEventListener("input", show);
      input.addEventListener("change", show);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
