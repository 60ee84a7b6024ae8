// Search of a static copy of the portal (keikaku export-site): the search form submits to its own page
// (GET, so the words stay in the address); this script reads them, filters the measures in the index
// file named by the form's data-index and writes the results in the same markup as the server's page.
// No server, no inline script (the pages keep a strict Content-Security-Policy).
(function () {
  "use strict";
  var form = document.querySelector("form[data-index]");
  var out = document.getElementById("static-results");
  if (!form || !out) return;

  function norm(s) {
    return (s || "").normalize("NFKC").toLowerCase();
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  var params = new URLSearchParams(window.location.search);
  ["q", "prefecture", "pillar", "priority_area", "fiscal_year"].forEach(function (name) {
    var field = form.elements.namedItem(name);
    if (field && params.get(name)) field.value = params.get(name);
  });
  var q = norm(params.get("q")).trim();
  var pref = params.get("prefecture") || "";
  var pillar = params.get("pillar") || "";
  var area = params.get("priority_area") || "";
  var fy = parseInt(params.get("fiscal_year") || "", 10);
  if (!q && !pref && !pillar && !area && !fy) return;
  var terms = q ? q.split(/\s+/) : [];

  fetch(form.getAttribute("data-index"))
    .then(function (r) { return r.json(); })
    .then(function (index) {
      var hits = [];
      index.measures.forEach(function (m) {
        if (pref && m.prefecture !== pref) return;
        if (pillar && m.pillars.indexOf(pillar) < 0) return;
        if (area && m.priority_areas.indexOf(area) < 0) return;
        if (fy && m.fiscal_years.indexOf(fy) < 0) return;
        var title = norm((m.key || "") + " " + m.title);
        var text = title + " " + norm(m.description) + " " + norm(m.departments.join(" "));
        for (var i = 0; i < terms.length; i++) if (text.indexOf(terms[i]) < 0) return;
        var inTitle = terms.every(function (t) { return title.indexOf(t) >= 0; });
        hits.push({ m: m, rank: inTitle ? 0 : 1 });
      });
      hits.sort(function (a, b) { return a.rank - b.rank; });
      var section = el("section");
      section.setAttribute("aria-labelledby", "results-heading");
      var h2 = el("h2", out.getAttribute("data-heading"));
      h2.id = "results-heading";
      section.appendChild(h2);
      var status = el("p", hits.length ? out.getAttribute("data-count").replace("{n}", hits.length) : out.getAttribute("data-none"));
      status.setAttribute("role", "status");
      section.appendChild(status);
      if (hits.length) {
        var ol = el("ol", null, "results");
        hits.forEach(function (h) {
          var m = h.m;
          var li = el("li");
          var a = el("a", (m.key ? m.key + " " : "") + m.title);
          a.href = m.url;
          li.appendChild(a);
          var meta = el("div", m.prefecture + " " + m.organisation + " · ", "muted");
          var p = el("a", m.plan_title);
          p.href = m.plan_url;
          meta.appendChild(p);
          li.appendChild(meta);
          if (m.description) li.appendChild(el("p", m.description.slice(0, 120)));
          ol.appendChild(li);
        });
        section.appendChild(ol);
      }
      out.appendChild(section);
    });
})();
