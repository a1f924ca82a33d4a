/* IRDE web edition: text search and filters on a list page, over the index loaded before this
   script (window.IRDE_INDEX). Every row is already in the page; this only hides the rows that do not
   match. The state is kept in the address (?q=...&year=...), so a filtered list can be shared.
   No network request of any kind. */
(function () {
  "use strict";
  var index = window.IRDE_INDEX;
  var form = document.getElementById("filters");
  if (!index || !form) { return; }

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim();
  }

  var query = document.getElementById("q");
  var count = document.getElementById("count");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
  var noun = { meeting: "meetings", allegation: "allegations", agreement: "agreements", person: "people" }[index.kind];
  var records = index.records.map(function (r) {
    return { row: document.getElementById("r-" + r.id), text: r.text, facets: r.facets };
  });

  function apply(updateAddress) {
    var terms = fold(query.value).split(" ").filter(Boolean);
    var chosen = selects.filter(function (s) { return s.value; })
      .map(function (s) { return [s.getAttribute("data-facet"), s.value]; });
    var shown = 0;
    records.forEach(function (r) {
      var ok = terms.every(function (t) { return r.text.indexOf(t) !== -1; }) &&
        chosen.every(function (c) { return (r.facets[c[0]] || []).indexOf(c[1]) !== -1; });
      if (r.row) { r.row.hidden = !ok; }
      if (ok) { shown += 1; }
    });
    count.textContent = shown === records.length ? records.length + " " + noun
      : shown + " of " + records.length + " " + noun + " match";
    if (updateAddress) {
      var params = [];
      if (query.value.trim()) { params.push("q=" + encodeURIComponent(query.value.trim())); }
      chosen.forEach(function (c) { params.push(c[0] + "=" + encodeURIComponent(c[1])); });
      try {
        history.replaceState(null, "", location.pathname + (params.length ? "?" + params.join("&") : ""));
      } catch (e) { /* some browsers refuse this on file:// pages; the list still filters */ }
    }
  }

  function readAddress() {
    location.search.replace(/^\?/, "").split("&").forEach(function (pair) {
      if (!pair) { return; }
      var parts = pair.split("=");
      var key = decodeURIComponent(parts[0]);
      var value = decodeURIComponent((parts[1] || "").replace(/\+/g, " "));
      if (key === "q") { query.value = value; return; }
      selects.forEach(function (s) {
        if (s.getAttribute("data-facet") === key) { s.value = value; }
      });
    });
  }

  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(true); });
  form.addEventListener("input", function () { apply(true); });
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
  readAddress();
  apply(false);
}());
