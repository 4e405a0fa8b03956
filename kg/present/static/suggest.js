// Search suggestions for the box in every served page's top bar (#q, list #suggest).
// As the reader types (and once a Chinese input method has committed its text), it waits 150 ms, then asks
// /api/search for 8 hits and lists them: label, class, why it matched. Up/Down move, Enter opens the chosen
// entity (or, with none chosen, submits the search page), Escape closes, a click opens /entity/ID. Under each
// label: why it matched ("别名：菜鸟"), or, when the label itself matched, the label in the other language.
(function () {
  "use strict";
  var box = document.getElementById("q");
  var list = document.getElementById("suggest");
  if (!box || !list) { return; }
  var lang = document.documentElement.lang === "en" ? "en" : "zh";
  var timer = null, asked = 0, active = -1, composing = false;
  var FIELDS = lang === "zh" ? { label: "标签：", alias: "别名：", words: "各词见于：" } : { label: "label: ", alias: "alias: ", words: "every word in: " };

  function reason(m) {
    var note = m.corrected ? (lang === "zh" ? "（纠正自“" + m.corrected + "”）" : " (for '" + m.corrected + "')") : "";
    return (FIELDS[m.field] || "") + m.text + note;
  }

  function items() { return list.querySelectorAll("a"); }

  function close() { list.hidden = true; list.textContent = ""; active = -1; box.setAttribute("aria-expanded", "false"); }

  function mark(index) {
    var links = items();
    if (!links.length) { return; }
    active = (index + links.length) % links.length;
    links.forEach(function (a, i) { a.classList.toggle("active", i === active); a.setAttribute("aria-selected", i === active); });
  }

  function entry(hit) {
    var li = document.createElement("li"), a = document.createElement("a"), cls = document.createElement("span");
    var why = document.createElement("div");
    a.href = "/entity/" + encodeURIComponent(hit.id) + "?lang=" + lang;
    a.setAttribute("role", "option");
    a.textContent = hit.label;
    cls.className = "cls";
    cls.textContent = hit.classLabel;
    why.className = "cls";
    var otherLabel = (hit.labels || {})[lang === "zh" ? "en" : "zh"] || "";
    why.textContent = hit.matched.text === hit.label ? otherLabel : reason(hit.matched);   // the name shown says why
    a.appendChild(cls);
    a.appendChild(why);
    li.appendChild(a);
    return li;
  }

  function show(hits) {
    list.textContent = "";
    active = -1;
    if (!hits.length) { close(); return; }
    hits.forEach(function (hit) { list.appendChild(entry(hit)); });
    list.hidden = false;
    box.setAttribute("aria-expanded", "true");
  }

  function ask() {
    var text = box.value.trim();
    var mine = ++asked;
    if (!text || text.length > 200) { close(); return; }
    var url = new URL("/api/search", location.origin);
    url.search = new URLSearchParams({ q: text, limit: "8", lang: lang }).toString();
    fetch(url.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
      .then(function (body) { if (mine === asked) { show(body.hits || []); } })
      .catch(function () { if (mine === asked) { close(); } });
  }

  function later() { clearTimeout(timer); timer = setTimeout(ask, 150); }

  box.setAttribute("role", "combobox");
  box.setAttribute("aria-controls", "suggest");
  box.setAttribute("aria-expanded", "false");
  list.setAttribute("role", "listbox");
  box.addEventListener("compositionstart", function () { composing = true; });
  box.addEventListener("compositionend", function () { composing = false; later(); });
  box.addEventListener("input", function () { if (!composing) { later(); } });
  box.addEventListener("keydown", function (event) {
    if (composing) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (list.hidden) { return; }
      event.preventDefault();
      mark(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault();
      location.assign(items()[active].href);
    } else if (event.key === "Escape") {
      close();
    }
  });
  box.addEventListener("blur", function () { setTimeout(close, 200); });
})();
