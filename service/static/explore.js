// Symptom explorer: a filter box over the finding checkboxes (progressive enhancement;
// the form works without it). No network access, no dependencies.
(function () {
  "use strict";
  var box = document.getElementById("finding-filter");
  if (!box) { return; }
  box.parentElement.hidden = false;
  var items = Array.prototype.slice.call(document.querySelectorAll(".findings-form fieldset li"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".findings-form fieldset"));
  box.addEventListener("input", function () {
    var needle = box.value.trim().toLowerCase();
    items.forEach(function (li) {
      var checked = li.querySelector("input").checked;
      li.hidden = needle !== "" && !checked && li.textContent.toLowerCase().indexOf(needle) < 0;
    });
    groups.forEach(function (fs) {
      fs.hidden = fs.querySelectorAll("li:not([hidden])").length === 0;
    });
  });
})();
