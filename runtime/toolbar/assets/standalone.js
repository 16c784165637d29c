/*
 * ddt standalone page: the list of recorded requests at the toolbar's
 * prefix (/__debug__/), for apps that serve no HTML page of their own.
 *
 * It reads the JSON API (api/v1/requests, filtered by the form's fields,
 * which the page's URL keeps), polls it every two seconds while "Live" is
 * checked, and hands the request picked to the toolbar's script, loaded in
 * its standalone mode, with a "ddt:open-request" event: the panels are the
 * toolbar's own. Captured data reaches the DOM only as text.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var PREFIX = (script && script.getAttribute("data-ddt-prefix")) || "/__debug__/";
  var POLL_MS = 2000;
  var PAGE = 100;

  var form, rows, status, live, more;
  var shown = [];     // the requests in the table, newest first
  var next = "";      // cursor of the older ones, "" when there are none
  var total = 0;
  var current = "";   // id of the request open in the toolbar
  var timer = 0;
  var seq = 0;        // bumped by each new listing, to drop stale answers

  function h(tag, props, children) {
    var el = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      var v = props[k];
      if (v === undefined || v === null || v === false) {
        return;
      }
      if (k === "class") {
        el.className = v;
      } else if (k === "text") {
        el.textContent = v;
      } else if (k.slice(0, 2) === "on") {
        el.addEventListener(k.slice(2), v);
      } else {
        el.setAttribute(k, v === true ? "" : String(v));
      }
    });
    (children || []).forEach(function (c) {
      if (c) {
        el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
      }
    });
    return el;
  }

  // filters returns the form's filters as query parameters.
  function filters() {
    var q = new URLSearchParams();
    ["method", "path", "status", "min_ms", "max_ms"].forEach(function (name) {
      var v = form.elements[name].value.trim();
      if (v) {
        q.set(name, v);
      }
    });
    var has = Array.prototype.filter.call(form.querySelectorAll('input[name="has"]'), function (c) {
      return c.checked;
    }).map(function (c) { return c.value; });
    if (has.length) {
      q.set("has", has.join(","));
    }
    return q;
  }

  // restore fills the form from the page's URL.
  function restore() {
    var q = new URLSearchParams(location.search);
    ["method", "path", "status", "min_ms", "max_ms"].forEach(function (name) {
      if (q.has(name)) {
        form.elements[name].value = q.get(name);
      }
    });
    var has = (q.get("has") || "").split(",");
    form.querySelectorAll('input[name="has"]').forEach(function (c) {
      c.checked = has.indexOf(c.value) >= 0;
    });
    current = q.get("request") || "";
  }

  function keepURL() {
    var q = filters();
    if (current) {
      q.set("request", current);
    }
    var s = q.toString();
    history.replaceState(null, "", location.pathname + (s ? "?" + s : ""));
  }

  function fetchList(extra) {
    var q = filters();
    q.set("limit", String(PAGE));
    Object.keys(extra || {}).forEach(function (k) { q.set(k, extra[k]); });
    return fetch(PREFIX + "api/v1/requests?" + q.toString(), {
      credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" }
    }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) {
          throw new Error(body && body.error ? body.error : "HTTP " + r.status);
        }
        return body;
      });
    });
  }

  // reload lists the newest requests that match the filters.
  function reload() {
    var my = ++seq;
    keepURL();
    return fetchList().then(function (list) {
      if (my !== seq) {
        return;
      }
      // Polling keeps the older pages the user loaded.
      var kept = shown.length > list.requests.length ? olderThan(list.requests, shown) : [];
      shown = list.requests.concat(kept);
      total = list.total;
      if (!kept.length) {
        next = list.next || "";
      }
      render();
    }, failed);
  }

  // olderThan returns the requests of old that come after the last of
  // fresh, when old holds it.
  function olderThan(fresh, old) {
    if (!fresh.length) {
      return [];
    }
    var last = fresh[fresh.length - 1].id;
    for (var i = 0; i < old.length; i++) {
      if (old[i].id === last) {
        return old.slice(i + 1);
      }
    }
    return [];
  }

  function loadOlder() {
    var my = seq;
    fetchList({ before: next }).then(function (list) {
      if (my !== seq) {
        return;
      }
      shown = shown.concat(list.requests);
      next = list.next || "";
      total = list.total;
      render();
    }, failed);
  }

  function failed(err) {
    status.textContent = "Could not list the requests: " + err.message;
    status.classList.add("ddt-sa-error");
  }

  function ms(v) {
    return (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + " ms";
  }

  function clock(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) {
      return "";
    }
    return d.toTimeString().slice(0, 8) + "." + String(d.getMilliseconds() + 1000).slice(1);
  }

  function statusClass(s) {
    return "ddt-sa-status-code ddt-sa-" + (s >= 500 ? "5xx" : s >= 400 ? "4xx" : s >= 300 ? "3xx" : "2xx");
  }

  // facts are the badges of what a request recorded.
  function facts(r) {
    var ev = r.events || {};
    var out = [];
    if (ev.sql) {
      out.push(h("span", { class: "ddt-sa-badge ddt-sa-sql", text: ev.sql + " SQL" }));
    }
    if (ev.flag) {
      out.push(h("span", { class: "ddt-sa-badge ddt-sa-flag", text: ev.flag + (ev.flag === 1 ? " flag" : " flags") }));
    }
    if (r.errors) {
      out.push(h("span", { class: "ddt-sa-badge ddt-sa-err", text: r.errors + (r.errors === 1 ? " error" : " errors") }));
    }
    if (r.panicked) {
      out.push(h("span", { class: "ddt-sa-badge ddt-sa-err", text: "panicked" }));
    }
    return out;
  }

  function render() {
    status.classList.remove("ddt-sa-error");
    status.textContent = total === 0 ? "No recorded request matches." :
      "Showing " + shown.length + " of " + total + (total === 1 ? " request" : " requests") + ", newest first.";
    more.hidden = !next;
    rows.textContent = "";
    shown.forEach(function (r) {
      var open = r.id === current;
      var label = r.method + " " + r.path + " at " + clock(r.started);
      rows.appendChild(h("tr", {
        class: open ? "ddt-sa-row ddt-sa-open" : "ddt-sa-row", "data-request": r.id,
        "aria-current": open ? "true" : null, onclick: function () { pick(r.id); }
      }, [
        h("td", { class: "ddt-sa-time", text: clock(r.started) }),
        h("td", { class: "ddt-sa-method", text: r.method }),
        h("td", { class: "ddt-sa-path" }, [
          h("button", { type: "button", class: "ddt-sa-pick", title: r.path, "aria-label": "Show the panels of " + label, text: r.path })
        ]),
        h("td", {}, [h("span", { class: statusClass(r.status), text: String(r.status) })]),
        h("td", { class: "ddt-sa-num", text: ms(r.duration_ms) }),
        h("td", { class: "ddt-sa-kind", text: r.kind === "fetch" ? "fetch/XHR" : r.kind }),
        h("td", { class: "ddt-sa-facts" }, facts(r))
      ]));
    });
  }

  function pick(id) {
    current = id;
    keepURL();
    rows.querySelectorAll("tr").forEach(function (tr) {
      var open = tr.getAttribute("data-request") === id;
      tr.classList.toggle("ddt-sa-open", open);
      if (open) {
        tr.setAttribute("aria-current", "true");
      } else {
        tr.removeAttribute("aria-current");
      }
    });
    window.dispatchEvent(new CustomEvent("ddt:open-request", { detail: { id: id } }));
  }

  function schedule() {
    clearTimeout(timer);
    if (live.checked) {
      timer = setTimeout(function () {
        if (document.hidden) {
          schedule(); // poll again once the tab is seen
          return;
        }
        reload().then(schedule, schedule);
      }, POLL_MS);
    }
  }

  function changed() {
    shown = [];
    reload().then(schedule);
  }

  document.addEventListener("DOMContentLoaded", function () {
    form = document.getElementById("ddt-sa-filters");
    rows = document.getElementById("ddt-sa-rows");
    status = document.getElementById("ddt-sa-status");
    live = document.getElementById("ddt-sa-live");
    more = document.getElementById("ddt-sa-more");
    restore();
    var debounce = 0;
    form.addEventListener("input", function () {
      clearTimeout(debounce);
      debounce = setTimeout(changed, 250);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); changed(); });
    form.addEventListener("reset", function () { setTimeout(changed, 0); });
    live.addEventListener("change", schedule);
    more.addEventListener("click", loadOlder);
    // The toolbar's script ran before this event: it listens by now.
    if (current) {
      pick(current);
    }
    reload().then(schedule);
  });
})();
