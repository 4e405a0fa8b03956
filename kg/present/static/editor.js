// The SPARQL editor (/editor): YASGUI against this server's endpoint, the saved queries in a menu,
// results as plain text with links to entity pages, and the server's messages shown in the page.
// Its settings come from the page (#editor-config, written by kg/web/editor.py).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("editor-config").textContent);
  var T = config.text;
  if (typeof Yasgui === "undefined") {       // /assets/yasgui/ answered 404: YASGUI is installed by npm at set-up
    document.getElementById("yasgui").appendChild(el("p", "cbec-error", T.missing));
    return;
  }
  // Absolute: YASGUI builds URL objects from the endpoint, which fails on a bare path.
  var ENDPOINT = new URL(config.endpoint, window.location.origin).href;
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
  var DECIMALS = ["decimal", "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                  "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong"].map(function (t) { return XSD + t; });
  var FLOATS = [XSD + "double", XSD + "float"];
  var SAFE_IRI = /^[^<>"{}|^`\\\s]+$/;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ---------------------------------------------------------------- cells as a reader reads them
  function number(value, datatype) {
    if (FLOATS.indexOf(datatype) >= 0) {
      var n = Number(value);
      return isFinite(n) ? String(n) : value;
    }
    var m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(value);
    if (!m) return value;
    var whole = m[2].replace(/^0+(?=\d)/, "") || "0", frac = (m[3] || "").replace(/0+$/, "");
    return (m[1] === "-" ? "-" : "") + whole + (frac ? "." + frac : "");
  }

  function prefixed(iri, prefixes) {
    for (var p in prefixes) {
      if (prefixes[p] && iri.indexOf(prefixes[p]) === 0 && iri.length > prefixes[p].length) {
        return p + ":" + iri.substring(prefixes[p].length);
      }
    }
    return iri;
  }

  // A label the query returned beside an IRI column ?x: ?xLabel, ?x_label, ?xName or ?x_name.
  function companionLabel(row, name) {
    var keys = [name + "Label", name + "_label", name + "Name", name + "_name"];
    for (var i = 0; i < keys.length; i++) {
      var b = row[keys[i]];
      if (b && b.type !== "uri" && b.value) return b.value;
    }
    return "";
  }

  function cell(binding, row, name, prefixes, links) {
    var td = el("td");
    if (!binding) return td;
    if (binding.type === "uri") {
      var iri = binding.value;
      if (iri.indexOf(config.resource) === 0 && iri.length > config.resource.length) {
        var id = iri.substring(config.resource.length);
        var a = el("a", "entity", companionLabel(row, name) || id);
        a.href = "/entity/" + encodeURIComponent(id) + "?lang=" + config.lang;
        a.title = iri;
        td.appendChild(a);
        if (!companionLabel(row, name)) links.push({ iri: iri, a: a });
      } else {
        var span = el("span", "iri", prefixed(iri, prefixes));
        span.title = iri;
        td.appendChild(span);
      }
    } else if (binding.type === "bnode") {
      td.textContent = "_:" + binding.value;
    } else {
      var dt = binding.datatype || "";
      var numeric = DECIMALS.indexOf(dt) >= 0 || FLOATS.indexOf(dt) >= 0;
      td.textContent = numeric ? number(binding.value, dt) : binding.value;
      if (numeric) td.className = "num";
      if (binding["xml:lang"]) td.lang = binding["xml:lang"];
    }
    return td;
  }

  // Our resources' labels, asked of the endpoint, for IRIs the query returned without one.
  function lookupLabels(links, table) {
    var iris = [];
    links.forEach(function (l) { if (SAFE_IRI.test(l.iri) && iris.indexOf(l.iri) < 0) iris.push(l.iri); });
    var batches = [];
    for (var i = 0; i < iris.length && i < 1000; i += 150) batches.push(iris.slice(i, i + 150));
    var other = config.lang === "zh" ? "en" : "zh";
    var asked = batches.map(function (batch) {
      var q = "SELECT ?s ?l WHERE { VALUES ?s { " + batch.map(function (x) { return "<" + x + ">"; }).join(" ") +
              " } ?s <" + RDFS_LABEL + "> ?l }";
      return fetch(ENDPOINT, { method: "POST", body: new URLSearchParams({ query: q }),
                               headers: { Accept: "application/sparql-results+json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (json) {
          if (!json) return;
          var found = {};
          json.results.bindings.forEach(function (b) {
            (found[b.s.value] = found[b.s.value] || {})[b.l["xml:lang"] || ""] = b.l.value;
          });
          links.forEach(function (l) {
            var names = found[l.iri];
            if (names) l.a.textContent = names[config.lang] || names[other] || names[""] || l.a.textContent;
          });
        })
        .catch(function () { /* the local names stay */ });
    });
    Promise.all(asked).then(function () { table.setAttribute("data-labels", "done"); });
  }

  // ---------------------------------------------------------------- a result cut at the row limit
  function truncation(results) {
    var res = results && results.res;
    var said = res && res.headers && res.headers.get ? res.headers.get("X-Cbec-Kg-Truncated") : null;
    if (!said) return "";
    var m = /^(\d+)\D+?(\d+)/.exec(said);
    return m ? T.truncated.replace("{dropped}", m[1]).replace("{limit}", m[2]) : said;
  }

  // ---------------------------------------------------------------- the YASR plugin
  var tabOf = {}, queryOf = {};   // saved query name -> tab id, and back

  // The saved query a results pane belongs to (its tab was opened from the menu), or undefined.
  function savedQueryOf(yasr) {
    for (var id in queryOf) {
      var tab = yasgui && yasgui.getTab(id);
      if (tab && tab.getYasr && tab.getYasr() === yasr) return queryOf[id];
    }
    return undefined;
  }

  function Readable(yasr) {
    this.yasr = yasr;
    this.priority = 15;          // above YASR's own table (10): the default, and the fallback
    this.label = T.readable;
  }
  Readable.prototype.canHandleResults = function () {
    var r = this.yasr.results;
    return !!r && !r.hasError() && !!r.getBindings() && r.getVariables().length > 0;
  };
  Readable.prototype.getIcon = function () { return el("span", "", "▦"); };
  Readable.prototype.draw = function () {
    var results = this.yasr.results, vars = results.getVariables(), prefixes = this.yasr.getPrefixes();
    var box = el("div", "cbec-results"), note = truncation(results);
    if (note) {
      var banner = el("p", "cbec-note", note);
      banner.setAttribute("role", "status");
      box.appendChild(banner);
    }
    var table = el("table", "cbec"), head = el("tr"), body = el("tbody"), links = [];
    var saved = config.queries[savedQueryOf(this.yasr)], columns = (saved && saved.columns) || {};
    head.appendChild(el("th", "rownum", "#"));
    var heads = vars.map(function (v) {
      var th = el("th", "", columns[v] || v);
      th.title = "?" + v;
      return head.appendChild(th);
    });
    table.appendChild(el("thead")).appendChild(head);
    results.getBindings().forEach(function (row, i) {
      var tr = el("tr");
      tr.appendChild(el("td", "rownum", String(i + 1)));
      vars.forEach(function (v) { tr.appendChild(cell(row[v], row, v, prefixes, links)); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    vars.forEach(function (v, i) {      // a column of numbers has its heading over the numbers' right edge
      var cells = body.querySelectorAll("tr > td:nth-child(" + (i + 2) + ")"), filled = 0, numbers = 0;
      cells.forEach(function (td) { if (td.textContent) { filled++; if (td.className === "num") numbers++; } });
      if (filled && numbers === filled) heads[i].className = "num";
    });
    if (!results.getBindings().length) box.appendChild(el("p", "cbec-empty", T.empty));
    var wrap = el("div", "cbec-table-wrap");
    wrap.appendChild(table);
    box.appendChild(wrap);
    this.yasr.resultsEl.appendChild(box);
    if (links.length) lookupLabels(links, table); else table.setAttribute("data-labels", "done");
  };
  Readable.prototype.download = function (filename) {
    var results = this.yasr.results;
    return { contentType: "text/csv", filename: (filename || "results") + ".csv", title: "CSV",
             getData: function () { return results.asCsv(); } };
  };

  // The server's message for a refused or failed query (403, 400, 413, 503 ...).
  function renderError(error) {
    var box = el("div", "cbec-error");
    box.setAttribute("role", "alert");
    box.appendChild(el("strong", "", T.problem));
    box.appendChild(el("pre", "", (error && (error.text || error.statusText)) || T.failed));
    return Promise.resolve(box);
  }

  // YASR's own tabs and its count of results, in the reader's language (YASGUI writes them in English).
  ["table", "response"].forEach(function (name) {
    var Base = Yasgui.Yasr.plugins[name];
    if (!Base) return;
    Yasgui.Yasr.registerPlugin(name, class extends Base {
      constructor(yasr) { super(yasr); this.label = T[name]; }
    });
  });
  var responseInfo = Yasgui.Yasr.prototype.updateResponseInfo;
  Yasgui.Yasr.prototype.updateResponseInfo = function () {
    responseInfo.call(this);
    var bindings = this.results && this.results.getBindings(), ms = this.results && this.results.getResponseTime();
    if (config.lang !== "zh" || !this.results || !this.dataElement) return;   // English: YASR's own words, plurals right
    var parts = [];
    if (bindings) parts.push(T.count.replace("{n}", bindings.length));
    if (ms) parts.push(T.time.replace("{s}", ms / 1000));
    this.dataElement.innerText = parts.join("，");
  };

  Yasgui.Yasr.registerPlugin("readable", Readable);
  Yasgui.Yasr.defaults.errorRenderers = [renderError];
  Yasgui.Yasr.defaults.pluginOrder = ["readable", "table", "response"];   // a tab's YASR reads these defaults
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];      // the others ask sites on the internet

  var shared = /(^#|&)query=/.test(window.location.hash);
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: ENDPOINT, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: ENDPOINT }]; } },
    persistenceId: null,
    populateFromUrl: shared,     // ?query= names a saved query here; YASGUI's share links put theirs after '#'
    yasr: { defaultPlugin: "readable", prefixes: config.prefixes }
  });
  document.getElementById("endpoint-url").textContent = ENDPOINT;

  // ---------------------------------------------------------------- the menu of saved queries

  function markCurrent() {
    var tab = yasgui.getTab(), name = tab && queryOf[tab.getId()];
    document.querySelectorAll("a.saved-query").forEach(function (a) {
      a.classList.toggle("current", a.getAttribute("data-query") === name);
    });
  }

  function openSaved(name) {
    var q = config.queries[name];
    if (!q) return;
    if (tabOf[name] && yasgui.getTab(tabOf[name])) {
      yasgui.selectTabId(tabOf[name]);
    } else {
      var tab = yasgui.addTab(true, { name: q.title, yasqe: { value: q.text } });
      tabOf[name] = tab.getId();
      queryOf[tab.getId()] = name;
    }
    markCurrent();
    history.replaceState(null, "", "?lang=" + config.lang + "&query=" + encodeURIComponent(name));
    var other = document.querySelector("nav.top a.lang-switch");      // the other language, same query
    if (other) other.href = "?lang=" + (config.lang === "zh" ? "en" : "zh") + "&query=" + encodeURIComponent(name);
  }

  var first = yasgui.getTab();
  if (!shared && config.start && config.queries[config.start]) {
    first.setName(config.queries[config.start].title);
    first.setQuery(config.queries[config.start].text);
    tabOf[config.start] = first.getId();
    queryOf[first.getId()] = config.start;
  }
  markCurrent();
  yasgui.on("tabSelect", function () { setTimeout(markCurrent, 0); });

  document.querySelectorAll("a.saved-query").forEach(function (a) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      openSaved(a.getAttribute("data-query"));
    });
  });

  var filter = document.getElementById("saved-filter");
  filter.addEventListener("input", function () {
    var words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean), any = false;
    document.querySelectorAll("aside.saved details.theme").forEach(function (d) {
      var shown = 0;
      d.querySelectorAll("a.saved-query").forEach(function (a) {
        var text = a.getAttribute("data-search");
        var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
        a.parentElement.hidden = !hit;
        if (hit) shown++;
      });
      d.hidden = shown === 0;
      d.querySelector(".count").textContent = String(shown);
      if (words.length && shown) d.open = true;
      any = any || shown > 0;
    });
    document.getElementById("saved-none").hidden = any;
  });
  window.cbecEditor = { yasgui: yasgui, open: openSaved };
})();
