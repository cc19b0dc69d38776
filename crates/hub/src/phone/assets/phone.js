// The phone page's script. The form works without it; with it: the code is
// kept on the phone (localStorage) and shown offline, answers remembered if
// the visitor asks, wards listed by province and found by search, and the
// page cached by a service worker. Nothing here sends data anywhere but the hub.
(function () {
  "use strict";
  var CODE = "ck-declare-code";
  var ANSWERS = "ck-declare-answers";
  // The answers of a form being sent, for this tab only, to put back if the
  // network was gone (the service worker brings the visitor back here).
  var DRAFT = "ck-declare-draft";
  var offline = /[?&]offline=1/.test(location.search) || !navigator.onLine;
  var store = null;
  try { store = window.localStorage; store.getItem(CODE); } catch (e) { store = null; }
  function $(id) { return document.getElementById(id); }
  function keep(key, value) { try { if (store) { store.setItem(key, JSON.stringify(value)); } } catch (e) {} }
  function kept(key) { try { return store ? JSON.parse(store.getItem(key) || "null") : null; } catch (e) { return null; } }
  function drop(key) { try { if (store) { store.removeItem(key); } } catch (e) {} }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/declare/sw.js", { scope: "/declare/" }).catch(function () {});
  }

  function showSvg(holder, svgText) {
    var doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
    var svg = doc.documentElement;
    if (svg && svg.nodeName.toLowerCase() === "svg") {
      holder.textContent = "";
      holder.appendChild(document.importNode(svg, true));
    }
  }

  // The code page: keep what the hub made, on this phone only.
  var made = $("made");
  try { if (made) { sessionStorage.removeItem(DRAFT); } } catch (e) {}
  if (made) {
    var qr = $("qr").querySelector("svg");
    keep(CODE, { code: made.getAttribute("data-code"), made: made.getAttribute("data-made"),
                 svg: qr ? new XMLSerializer().serializeToString(qr) : "" });
  }

  // The form page: the kept code on top (not while answers need correcting:
  // the problems come first), and the form's helpers.
  var problems = $("problems");
  if (problems) { problems.focus(); }
  var saved = kept(CODE);
  if ($("saved") && saved && saved.svg && !problems) {
    showSvg($("saved-code"), saved.svg);
    var line = $("saved-made");
    line.textContent = (line.getAttribute("data-template") || "").replace("%MADE%", saved.made || "");
    $("saved").hidden = false;
  }
  if (offline && $("offline")) { $("offline").hidden = false; }
  var forget = $("forget");
  if (forget) {
    forget.addEventListener("click", function () {
      drop(CODE); drop(ANSWERS);
      try { sessionStorage.removeItem(DRAFT); } catch (e) {}
      if ($("saved")) { $("saved").hidden = true; }
      if ($("made")) { $("made").hidden = true; }
      forget.hidden = true;
      $("forgotten").hidden = false;
    });
  }

  var form = $("declare");
  if (!form) { return; }

  // Remembered answers (only when the visitor asked), never the consent;
  // after a send without a network, the answers just typed.
  var draft = null;
  try { draft = offline ? JSON.parse(sessionStorage.getItem(DRAFT) || "null") : null; } catch (e) {}
  var answers = draft || kept(ANSWERS);
  if (answers && !problems) {
    Object.keys(answers).forEach(function (name) {
      var value = answers[name];
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name !== name || el.name === "consent" || el.type === "hidden") { return; }
        if (el.type === "checkbox" || el.type === "radio") { el.checked = value.indexOf(el.value) >= 0; }
        else { el.value = value[0] || ""; }
      });
    });
    $("remember").checked = !draft || !!kept(ANSWERS);
  }
  form.addEventListener("submit", function () {
    var all = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "consent" || el.type === "hidden") { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      (all[el.name] = all[el.name] || []).push(el.value);
    });
    try { sessionStorage.setItem(DRAFT, JSON.stringify(all)); } catch (e) {}
    if ($("remember").checked) { keep(ANSWERS, all); } else { drop(ANSWERS); }
  });

  // Show what applies: the declarant's fields, the places visited.
  function toggle(box, target) {
    var update = function () { target.hidden = !box.checked; };
    box.addEventListener("change", update); update();
  }
  toggle($("on_behalf"), $("declarant"));
  var places = $("travel.places").parentNode;
  var travel = function () { places.hidden = !$("travel-yes").checked; };
  $("travel-yes").addEventListener("change", travel);
  $("travel-no").addEventListener("change", travel);
  travel();

  // "None of these" and a tick exclude each other.
  ["symptoms", "conditions"].forEach(function (name) {
    var none = $(name + "-none");
    var boxes = form.querySelectorAll('input[name="' + name + '"]');
    Array.prototype.forEach.call(boxes, function (box) {
      box.addEventListener("change", function () {
        if (!box.checked) { return; }
        Array.prototype.forEach.call(boxes, function (other) {
          if ((box === none) !== (other === none)) { other.checked = false; }
        });
      });
    });
  });

  // Wards: those of the chosen province, and the hub's search ("ha noi").
  var province = $("address.province");
  var ward = $("address.ward");
  function fillWards(chosen) {
    var code = province.value;
    while (ward.options.length > 1) { ward.remove(1); }
    if (!code) { return Promise.resolve(); }
    return fetch("/declare/wards?province=" + encodeURIComponent(code))
      .then(function (r) { return r.json(); })
      .then(function (rows) {
        rows.forEach(function (row) { ward.add(new Option(row[1], row[0], false, row[0] === chosen)); });
      }).catch(function () {});
  }
  province.addEventListener("change", function () { fillWards(""); });
  if (answers && answers["address.ward"] && province.value) {
    fillWards(answers["address.ward"][0]);
  }
  var search = $("ward-search");
  var hits = $("ward-hits");
  var found = {};
  var timer = null;
  search.addEventListener("input", function () {
    var text = search.value;
    if (found[text]) {
      var hit = found[text];
      province.value = hit[2];
      fillWards(hit[0]);
      return;
    }
    clearTimeout(timer);
    if (text.trim().length < 2) { return; }
    timer = setTimeout(function () {
      fetch("/declare/wards?q=" + encodeURIComponent(text))
        .then(function (r) { return r.json(); })
        .then(function (rows) {
          hits.textContent = "";
          found = {};
          rows.forEach(function (row) {
            found[row[1]] = row;
            var option = document.createElement("option");
            option.value = row[1];
            hits.appendChild(option);
          });
        }).catch(function () {});
    }, 250);
  });
}());
