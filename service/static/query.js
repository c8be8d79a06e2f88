// Optional enhancement: picking an example fills the query box without a page load.
(function () {
  var select = document.getElementById("example");
  var box = document.getElementById("query");
  if (!select || !box || !window.fetch) { return; }
  select.addEventListener("change", function () {
    var url = document.getElementById("examples-form").action + "?example=" + encodeURIComponent(select.value);
    fetch(url, { headers: { Accept: "text/html" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var q = doc.getElementById("query");
        if (q) { box.value = q.value; }
      });
  });
})();
