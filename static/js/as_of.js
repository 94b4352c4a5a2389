// The dashboard's one as-of form: the date field and the meeting list stay in step, and the
// era date (令和4年11月1日) is shown beside the date picker. Without JavaScript the form still
// works: the server takes the field the user changed (see reports.views.requested_day).
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

  function setUp() {
    var form = document.getElementById("as-of-form");
    if (!form) return;
    var date = form.querySelector("input[type=date]");
    var output = form.querySelector("output");
    var picks = form.querySelectorAll("select[data-as-of-pick]");
    function showEra() {
      if (!output) return;
      var picked = null;
      picks.forEach(function (select) {
        var option = select.options[select.selectedIndex];
        if (option && option.value === date.value && option.dataset.era) picked = option.dataset.era;
      });
      output.textContent = picked || eraLabel(date.value);
    }
    date.addEventListener("input", function () {
      picks.forEach(function (select) {
        var match = Array.prototype.find.call(select.options, function (o) { return o.value === date.value; });
        select.value = match ? match.value : "";
      });
      showEra();
    });
    picks.forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.value) date.value = select.value;
        picks.forEach(function (other) { if (other !== select) other.value = ""; });
        showEra();
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
