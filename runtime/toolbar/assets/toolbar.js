/*
 * ddt toolbar UI.
 *
 * Loaded by the one <script> tag the middleware injects (defer, optional CSP
 * nonce). Everything is rendered inside the shadow root of a <ddt-toolbar>
 * element so the page's CSS cannot reach it, and the page's globals are left
 * alone except for window.fetch and XMLHttpRequest, which are wrapped only to
 * notice the X-DDT-Request-Id header of the page's own background requests.
 *
 * Captured data reaches the DOM only as text (textContent, setAttribute);
 * panel fragments come from the server already escaped and are parsed in an
 * inert document, with scripts and event-handler attributes removed as a
 * second line of defence.
 *
 * Server contract: api/requests, api/requests/{id}, panels/{id}/{panel}
 * under data-ddt-prefix; cookies ddt_disabled, ddt_enabled, ddt_hidden, ddt_theme.
 *
 * Standalone mode (data-ddt-standalone, on the page at the prefix itself):
 * there is no page request; the toolbar shows the request that a
 * "ddt:open-request" event names (detail.id), sent by the page's list.
 */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector("script[data-ddt-request]");
  if (!script || !window.fetch || document.querySelector("ddt-toolbar")) {
    return; // no configuration, a browser too old, or injected twice
  }

  var PREFIX = script.getAttribute("data-ddt-prefix") || "/__debug__/";
  var PAGE_ID = script.getAttribute("data-ddt-request") || "";
  var STANDALONE = script.hasAttribute("data-ddt-standalone");
  var NONCE = script.nonce || script.getAttribute("nonce") || "";
  var HISTORY = "history";
  var ID_HEADER = "X-DDT-Request-Id";
  var COOKIE_AGE = 365 * 24 * 3600;
  var THEMES = ["auto", "light", "dark"];
  var nativeFetch = window.fetch;

  /* ---------------------------------------------------------------- cookies */

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split(";") : [];
    for (var i = 0; i < parts.length; i++) {
      var kv = parts[i].replace(/^\s+/, "");
      if (kv.indexOf(name + "=") === 0) {
        return kv.slice(name.length + 1);
      }
    }
    return "";
  }

  function writeCookie(name, value) {
    document.cookie = name + "=" + value + "; path=/; max-age=" +
      (value ? COOKIE_AGE : 0) + "; SameSite=Lax";
  }

  // Panel ids go into a comma-separated cookie value unencoded (the server
  // splits on commas), so only keep ids made of cookie-safe characters.
  function validPanelID(id) {
    return /^[A-Za-z0-9_.:-]+$/.test(id);
  }

  function panelCookie(name) {
    return readCookie(name).split(",").filter(validPanelID);
  }

  // switchedOn reports whether panel p is on for the next requests: a panel
  // listed in ddt_disabled is off; one disabled by default (default_on
  // false) is on only when listed in ddt_enabled.
  function switchedOn(p) {
    if (panelCookie("ddt_disabled").indexOf(p.id) >= 0) {
      return false;
    }
    return p.default_on !== false || panelCookie("ddt_enabled").indexOf(p.id) >= 0;
  }

  function setPanelOn(p, on) {
    var byDefault = p.default_on !== false;
    [["ddt_disabled", !on && byDefault], ["ddt_enabled", on && !byDefault]].forEach(function (c) {
      var ids = panelCookie(c[0]).filter(function (x) { return x !== p.id; });
      if (c[1]) {
        ids.push(p.id);
      }
      writeCookie(c[0], ids.join(","));
    });
  }

  /* -------------------------------------------------------------------- DOM */

  // h builds an element. props: class, text, title, any aria-* / data-* /
  // other attribute by name, and on<Event> functions. Children are nodes or
  // strings (added as text, never parsed).
  function h(tag, props, children) {
    var el = document.createElement(tag);
    var key;
    for (key in props || {}) {
      var v = props[key];
      if (v === undefined || v === null || v === false) {
        continue;
      }
      if (key === "class") {
        el.className = v;
      } else if (key === "text") {
        el.textContent = v;
      } else if (key.slice(0, 2) === "on" && typeof v === "function") {
        el.addEventListener(key.slice(2), v);
      } else {
        el.setAttribute(key, v === true ? "" : String(v));
      }
    }
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined && c !== false) {
        el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
      }
    });
    return el;
  }

  // URL_ATTRS are the attributes whose value is a URL, which fragment
  // checks for a scheme that runs script ("on..." attributes, style and
  // srcdoc are removed whatever they hold).
  var URL_ATTRS = { href: true, src: true, action: true, formaction: true, "xlink:href": true };

  // fragment parses server HTML in a document of its own, which runs no
  // script and loads nothing, strips anything executable, and moves the
  // result into the page. DOMParser also works on XHTML pages, where
  // innerHTML would demand well-formed XML.
  function fragment(html) {
    var doc = new DOMParser().parseFromString("<!doctype html><body>" + html, "text/html");
    var bad = doc.body.querySelectorAll("script, iframe, object, embed, base, meta, link, style, frame, frameset, template");
    for (var i = 0; i < bad.length; i++) {
      bad[i].remove();
    }
    // Attribute names as strings (getAttributeNames), not Attr objects:
    // a panel of 10,000 rows has 100,000 attributes, and making an object
    // of each was most of the time this loop took. The value is only
    // looked at for URL attributes.
    var all = doc.body.getElementsByTagName("*");
    for (var j = 0; j < all.length; j++) {
      var el = all[j];
      if (!el.hasAttributes()) {
        continue;
      }
      var names = el.getAttributeNames();
      for (var k = 0; k < names.length; k++) {
        var name = names[k].toLowerCase();
        if ((name.charCodeAt(0) === 111 && name.charCodeAt(1) === 110) || name === "style" || name === "srcdoc" ||
            (URL_ATTRS[name] === true &&
             /^(javascript|data|vbscript):/.test(el.getAttribute(names[k]).replace(/[\s\u0000-\u001f]+/g, "").toLowerCase()))) {
          el.removeAttribute(names[k]);
        }
      }
    }
    var out = document.createDocumentFragment();
    while (doc.body.firstChild) {
      out.appendChild(document.adoptNode(doc.body.firstChild));
    }
    return out;
  }

  /* -------------------------------------------------------------------- API */

  function request(path, asJSON) {
    return nativeFetch.call(window, PREFIX + path, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: asJSON ? "application/json" : "text/html" }
    }).then(function (r) {
      if (!r.ok) {
        var err = new Error(r.status === 404 ? "not stored any more" :
          r.status === 503 ? "store unavailable" : "HTTP " + r.status);
        err.status = r.status;
        throw err;
      }
      return asJSON ? r.json() : r.text();
    });
  }

  // getSummary retries a request of this page that is not found yet: with
  // a store shared by several instances, the one that served it writes
  // its record a moment after the response.
  function getSummary(id, tries) {
    tries = tries || 0;
    return request("api/requests/" + encodeURIComponent(id), true).catch(function (err) {
      var fresh = id === PAGE_ID || state.noticed.indexOf(id) >= 0;
      if (err.status === 404 && fresh && tries < 8) {
        return new Promise(function (resolve) { setTimeout(resolve, 100 * (tries + 1)); }).then(function () {
          return getSummary(id, tries + 1);
        });
      }
      throw err;
    });
  }

  // getHistory returns the browser's own requests, or everyone's when the
  // History's switch says so; state.historyInfo keeps the rest of the
  // answer (the answering instance, the store's status).
  function getHistory() {
    return request("api/requests" + (state.everyone ? "?all=1" : ""), true).then(function (data) {
      state.historyInfo = data || {};
      return (data && data.requests) || [];
    });
  }

  function getPanel(id, panel) {
    return request("panels/" + encodeURIComponent(id) + "/" + encodeURIComponent(panel), false);
  }

  /* --------------------------------------------------------------- format */

  function ms(v) {
    if (typeof v !== "number" || !isFinite(v)) {
      return "";
    }
    return (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + " ms";
  }

  function clock(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) {
      return "";
    }
    function pad(n, w) { n = String(n); while (n.length < w) { n = "0" + n; } return n; }
    return pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":" +
      pad(d.getSeconds(), 2) + "." + pad(d.getMilliseconds(), 3);
  }

  function statusClass(status) {
    return status >= 500 ? "ddt-status ddt-status-5xx" :
      status >= 400 ? "ddt-status ddt-status-4xx" :
      status >= 300 ? "ddt-status ddt-status-3xx" : "ddt-status ddt-status-2xx";
  }

  // requestKind is what a request was to the browser: "page", "fetch" or
  // "asset"; records stored before the kind was have only "xhr".
  function requestKind(s) {
    return s.kind || (s.xhr ? "fetch" : "page");
  }

  function kindLabel(s) {
    var kind = requestKind(s);
    return kind === "fetch" ? "fetch/XHR" : kind;
  }

  function kindBadge(s) {
    var kind = requestKind(s);
    return h("span", {
      class: kind === "fetch" ? "ddt-badge ddt-badge-xhr" : kind === "asset" ? "ddt-badge ddt-badge-asset" : "ddt-badge",
      text: kindLabel(s)
    });
  }

  // flags returns badges for what was unusual about a request.
  function flags(s) {
    return [
      s.panicked ? h("span", { class: "ddt-badge ddt-badge-bad", text: "panicked" }) : null,
      s.hijacked ? h("span", { class: "ddt-badge", text: "hijacked" }) : null,
      s.streamed ? h("span", { class: "ddt-badge", text: "streamed" }) : null
    ];
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  /* ------------------------------------------------------------- skeleton */

  var host = document.createElement("ddt-toolbar");
  // The page's stylesheets can still match the host itself; inline
  // !important declarations beat them (and the shadow's :host rules repeat
  // them). Nothing shows until toolbar.css has loaded.
  host.style.setProperty("all", "initial", "important");
  host.style.setProperty("display", "none", "important");
  var shadow = host.attachShadow({ mode: "open" });

  var ui = {}; // named elements of the skeleton
  var state = {
    shown: STANDALONE || readCookie("ddt_hidden") !== "1",
    theme: THEMES.indexOf(readCookie("ddt_theme")) >= 0 ? readCookie("ddt_theme") : "auto",
    currentId: PAGE_ID, // the request the toolbar displays
    summary: null,      // Summary + panels of currentId, once loaded
    loadError: null,
    openPanel: null,    // id of the open panel, or null
    history: null,      // last api/requests answer
    historyInfo: {},    // its instance and store status
    everyone: false,    // the History lists every browser's requests
    noticed: [],        // ids of this page's fetch/XHR requests seen so far
    loads: 0            // bumped by every navigation, to drop stale answers
  };
  var panelCache = {};  // requestID + "/" + panelID -> HTML

  function build() {
    var link = h("link", { rel: "stylesheet", href: PREFIX + "static/toolbar.css" });
    if (NONCE) {
      link.nonce = NONCE;
    }
    var reveal = function () { host.style.setProperty("display", "block", "important"); };
    link.addEventListener("load", reveal);
    link.addEventListener("error", reveal);

    ui.handle = h("button", {
      type: "button", class: "ddt-handle", title: "Show the debug toolbar",
      "aria-label": "Show the debug toolbar", "aria-controls": "ddt-bar", "aria-expanded": "false",
      onclick: function () { setShown(true); }
    }, ["DDT"]);

    ui.theme = h("button", { type: "button", class: "ddt-icon-btn ddt-theme-btn", onclick: cycleTheme });
    ui.hide = h("button", {
      type: "button", class: "ddt-hide-btn", title: "Hide the toolbar (Esc)",
      "aria-controls": "ddt-bar", "aria-expanded": "true",
      onclick: function () { setShown(false); }
    }, ["Hide ", h("span", { "aria-hidden": "true", text: "»" })]);

    ui.current = h("div", { class: "ddt-current", "aria-live": "polite" });
    ui.notes = h("div", { class: "ddt-notes" });
    ui.nav = h("ul", { class: "ddt-nav" });

    ui.bar = h("aside", { id: "ddt-bar", class: "ddt-bar", "aria-label": "Debug toolbar" }, [
      h("div", { class: "ddt-bar-head" }, [
        h("span", { class: "ddt-logo", title: "ddt debug toolbar", "aria-hidden": "true" }, ["ddt"]),
        ui.theme,
        ui.hide
      ]),
      ui.current,
      ui.notes,
      h("nav", { "aria-label": "Debug panels" }, [ui.nav])
    ]);

    ui.panelTitle = h("h2", { id: "ddt-panel-title", class: "ddt-panel-title" });
    ui.panelReq = h("span", { class: "ddt-panel-req" });
    ui.panelBody = h("div", { class: "ddt-panel-body" });
    ui.panel = h("section", {
      id: "ddt-panel", class: "ddt-panel", role: "region", tabindex: "-1",
      "aria-labelledby": "ddt-panel-title", hidden: true
    }, [
      h("div", { class: "ddt-panel-head" }, [
        ui.panelTitle,
        ui.panelReq,
        h("button", {
          type: "button", class: "ddt-icon-btn ddt-close", title: "Close (Esc)",
          "aria-label": "Close panel", onclick: function () { closePanel(true); }
        }, ["×"])
      ]),
      ui.panelBody
    ]);

    ui.root = h("div", { class: "ddt-root" }, [ui.handle, ui.bar, ui.panel]);
    shadow.appendChild(link);
    shadow.appendChild(ui.root);
    // A child of <html>, not <body>: it survives frameworks that replace
    // the body, and body-scoped selectors of the page do not match it.
    document.documentElement.appendChild(host);
  }

  /* ---------------------------------------------------------------- theme */

  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function applyTheme() {
    var dark = state.theme === "dark" || (state.theme === "auto" && darkQuery && darkQuery.matches);
    ui.root.setAttribute("data-theme", dark ? "dark" : "light");
    var next = THEMES[(THEMES.indexOf(state.theme) + 1) % THEMES.length];
    var icon = state.theme === "auto" ? "◐" : state.theme === "dark" ? "☾" : "☀";
    ui.theme.textContent = icon;
    ui.theme.setAttribute("aria-label", "Theme: " + state.theme + ". Switch to " + next);
    ui.theme.title = "Theme: " + state.theme + " (click for " + next + ")";
  }

  function cycleTheme() {
    state.theme = THEMES[(THEMES.indexOf(state.theme) + 1) % THEMES.length];
    writeCookie("ddt_theme", state.theme);
    applyTheme();
  }

  /* ----------------------------------------------------------- show / hide */

  function setShown(shown) {
    state.shown = shown;
    writeCookie("ddt_hidden", shown ? "" : "1");
    if (!shown) {
      closePanel(false);
    }
    render();
    (shown ? ui.hide : ui.handle).focus();
    if (shown && !state.summary && !state.loadError && state.currentId) {
      switchTo(state.currentId);
    }
  }

  /* ---------------------------------------------------------- navigation */

  function isHistory(p) {
    return p.id === HISTORY;
  }

  // panelsOf returns the nav entries of the loaded request, with a History
  // entry first when the server does not list one itself.
  function panelsOf(summary) {
    var panels = (summary && summary.panels) || [];
    if (!panels.some(isHistory) && !STANDALONE) { // the standalone page is a history
      panels = [{ id: HISTORY, title: "History", nav_title: "History", has_content: true, enabled: true }]
        .concat(panels);
    }
    return panels;
  }

  function historySubtitle() {
    if (state.history) {
      return plural(state.history.length, "request", "requests");
    }
    if (state.noticed.length) {
      return plural(state.noticed.length, "fetch/XHR request", "fetch/XHR requests") + " seen";
    }
    return "";
  }

  function render() {
    ui.handle.hidden = state.shown;
    ui.bar.hidden = !state.shown;
    ui.handle.setAttribute("aria-expanded", String(state.shown));
    renderCurrent();
    renderNav();
  }

  function renderCurrent() {
    var s = state.summary;
    ui.current.textContent = "";
    ui.notes.textContent = "";
    if (state.loadError) {
      ui.current.appendChild(h("p", { class: "ddt-warn ddt-load-error", text: state.loadError }));
    } else if (!s) {
      ui.current.appendChild(h("p", { class: "ddt-muted", text: state.currentId ? "Loading…" : "Pick a request in the list to see its panels." }));
      return;
    }
    var own = !STANDALONE && state.currentId === PAGE_ID;
    ui.current.classList.toggle("ddt-current-other", !own);
    if (s) {
      ui.current.appendChild(h("div", { class: "ddt-current-label", text: STANDALONE ? "Request" : own ? "This page" : "Showing another request" }));
      ui.current.appendChild(h("div", { class: "ddt-current-req", title: s.method + " " + s.path }, [
        h("span", { class: "ddt-method", text: s.method }), " ",
        h("span", { class: "ddt-path", text: s.path })
      ]));
      ui.current.appendChild(h("div", { class: "ddt-current-meta" }, [
        h("span", { class: statusClass(s.status), text: String(s.status) }),
        h("span", { text: ms(s.duration_ms) }),
        kindBadge(s)
      ].concat(flags(s))));
    }
    if (!own && !STANDALONE) {
      ui.current.appendChild(h("button", {
        type: "button", class: "ddt-back-btn", onclick: function () { switchTo(PAGE_ID); }
      }, ["← Back to this page"]));
    }
    if (s && s.dropped > 0) {
      ui.notes.appendChild(h("p", { class: "ddt-warn", text: plural(s.dropped, "event", "events") + " dropped (over the per-request cap)" }));
    }
    if (s && s.unattributed > 0) {
      ui.notes.appendChild(h("p", {
        class: "ddt-muted", title: "Events of marked functions that belonged to no request (process-wide count)",
        text: plural(s.unattributed, "unattributed event", "unattributed events")
      }));
    }
  }

  function renderNav() {
    ui.nav.textContent = "";
    if (!state.summary && !state.loadError) {
      return; // loading or, standalone, nothing picked; a request that failed to load still gets History
    }
    panelsOf(state.summary).forEach(function (p) {
      var history = isHistory(p);
      var enabled = history || p.enabled !== false;
      var switchedOff = !switchedOn(p);
      var title = p.nav_title || p.title || p.id;
      var subtitle = history ? historySubtitle() : (enabled ? p.nav_subtitle : "Disabled for this request");
      var label = [h("span", { class: "ddt-nav-title", text: title }),
        subtitle ? h("span", { class: "ddt-nav-subtitle", text: subtitle }) : null];
      var open = state.openPanel === p.id;
      var item;
      if (enabled && (history || p.has_content)) {
        item = h("button", {
          type: "button", class: "ddt-nav-btn", "data-panel": p.id,
          "aria-controls": "ddt-panel", "aria-expanded": String(open), "aria-current": open ? "true" : null,
          title: p.title || title,
          onclick: function () { if (state.openPanel === p.id) { closePanel(true); } else { openPanel(p.id); } }
        }, label);
      } else {
        item = h("div", { class: "ddt-nav-btn ddt-contentless", "data-panel": p.id }, label);
      }
      var toggle = history ? h("span", { class: "ddt-toggle-spacer" }) : h("input", {
        type: "checkbox", class: "ddt-toggle", checked: !switchedOff,
        "aria-label": "Record " + (p.title || title) + " on the next requests",
        title: switchedOff ? "Enable for the next and later requests" : "Disable for the next and later requests",
        onchange: function (e) {
          setPanelOn(p, e.target.checked);
          renderNav();
          focusToggle(p.id);
        }
      });
      ui.nav.appendChild(h("li", {
        class: "ddt-nav-item" + (open ? " ddt-active" : "") + (!enabled ? " ddt-disabled" : "") +
          (switchedOff ? " ddt-switched-off" : ""),
        "data-panel": p.id
      }, [toggle, item]));
    });
  }

  function focusToggle(id) {
    var box = ui.nav.querySelector('li[data-panel="' + id + '"] .ddt-toggle');
    if (box) {
      box.focus();
    }
  }

  // switchTo makes the toolbar display request id: its summary, nav and,
  // if a panel is open, that panel's content for the new request.
  function switchTo(id) {
    var load = ++state.loads;
    state.currentId = id;
    state.summary = null;
    state.loadError = null;
    render();
    return getSummary(id).then(function (s) {
      if (load !== state.loads) {
        return;
      }
      state.summary = s;
      var open = state.openPanel;
      render();
      if (open === HISTORY) {
        // The Switch button that had the focus is gone with the old table.
        refreshHistory().then(function () {
          if (!shadow.activeElement) {
            ui.panel.focus({ preventScroll: true });
          }
        });
      } else if (open && panelsOf(s).some(function (p) { return p.id === open && p.enabled !== false && p.has_content; })) {
        openPanel(open);
      } else if (open) {
        closePanel(false);
      }
      host.setAttribute("data-ddt-request", id);
    }, function (err) {
      if (load !== state.loads) {
        return;
      }
      state.loadError = err.status === 404 ?
        "This request is no longer stored: the toolbar keeps the most recent ones. Pick another in History." :
        err.status === 503 ? "The toolbar's store is unavailable: this request cannot be shown now. It recovers by itself when its server answers again." :
        "Could not load this request: " + err.message;
      render();
    });
  }

  /* --------------------------------------------------------------- panels */

  function panelInfo(id) {
    var list = panelsOf(state.summary);
    for (var i = 0; i < list.length; i++) {
      if (list[i].id === id) {
        return list[i];
      }
    }
    return { id: id, title: id };
  }

  function openPanel(id) {
    var info = panelInfo(id);
    var load = state.loads;
    state.openPanel = id;
    ui.root.removeAttribute("data-ddt-loaded");
    ui.panel.hidden = false;
    ui.panel.setAttribute("data-panel", id);
    ui.panelTitle.textContent = info.title || info.nav_title || id;
    var s = state.summary;
    // Say which request the content belongs to; History spans them all.
    ui.panelReq.textContent = s && id !== HISTORY ?
      s.method + " " + s.path + (state.currentId === PAGE_ID ? "" : " · " + kindLabel(s)) : "";
    ui.panelReq.title = "Request " + state.currentId;
    renderNav();
    ui.panel.focus({ preventScroll: true });
    if (id === HISTORY) {
      return refreshHistory();
    }
    var key = state.currentId + "/" + id;
    if (panelCache[key] !== undefined) {
      showContent(fragment(panelCache[key]));
      return Promise.resolve();
    }
    ui.panelBody.setAttribute("aria-busy", "true");
    ui.panelBody.textContent = "";
    ui.panelBody.appendChild(h("p", { class: "ddt-loading", text: "Loading…" }));
    return getPanel(state.currentId, id).then(function (html) {
      panelCache[key] = html;
      if (state.openPanel === id && load === state.loads) {
        showContent(fragment(html));
      }
    }, function (err) {
      if (state.openPanel === id && load === state.loads) {
        showContent(h("p", { class: "ddt-error", text: "Could not load this panel: " + err.message }));
      }
    });
  }

  // Panels' own scripts (panel.Scripter): each URL is loaded once per page,
  // as an external script with the page's nonce; content never runs any.
  var loadedScripts = {};

  function loadScripts(urls) {
    return Promise.all((urls || []).map(function (url) {
      if (!loadedScripts[url]) {
        loadedScripts[url] = new Promise(function (resolve) {
          var el = document.createElement("script");
          el.src = url;
          if (NONCE) {
            el.nonce = NONCE;
          }
          el.onload = el.onerror = function () { resolve(); };
          document.head.appendChild(el);
        });
      }
      return loadedScripts[url];
    }));
  }

  function showContent(node) {
    ui.panelBody.removeAttribute("aria-busy");
    ui.panelBody.textContent = "";
    ui.panelBody.scrollTop = 0;
    collectStacks(node);
    layoutTimeline(node);
    labelPanelLinks(node);
    paginate(node);
    linkStacks(node);
    ui.panelBody.appendChild(node);
    enhanceStacks(ui.panelBody);
    fillBrowserTiming(ui.panelBody);
    var id = state.openPanel, request = state.currentId, body = ui.panelBody;
    var info = id ? panelInfo(id) : {};
    loadScripts(info.scripts).then(function () {
      if (state.openPanel === id) {
        window.dispatchEvent(new CustomEvent("ddt:panel-shown", { detail: { panel: id, request: request, root: body } }));
      }
      // Says which panel's content is in place (and its scripts have
      // run), for tests and tools.
      ui.root.setAttribute("data-ddt-loaded", state.openPanel || "");
    });
  }

  function closePanel(restoreFocus) {
    var was = state.openPanel;
    if (!was) {
      return;
    }
    state.openPanel = null;
    ui.root.removeAttribute("data-ddt-loaded");
    ui.panel.hidden = true;
    ui.panelBody.textContent = "";
    renderNav();
    if (restoreFocus) {
      var btn = ui.nav.querySelector('.ddt-nav-btn[data-panel="' + was + '"]');
      (btn || ui.hide).focus();
    }
  }

  // enhanceStacks adds a "show N hidden frames" button to stack traces
  // with frames of the runtime, net/http or ddt, which CSS hides by default.
  function enhanceStacks(root) {
    var stacks = root.querySelectorAll(".ddt-stack");
    for (var i = 0; i < stacks.length; i++) {
      (function (stack) {
        var hidden = stack.querySelectorAll(".ddt-frame-hidden").length;
        if (!hidden || stack.querySelector(".ddt-frames-toggle")) {
          return; // nothing to hide, or done when its page was shown before
        }
        var btn = h("button", { type: "button", class: "ddt-link-btn ddt-frames-toggle", "aria-expanded": "false" });
        var label = function () {
          var showing = stack.classList.contains("ddt-show-hidden");
          btn.textContent = (showing ? "Hide " : "Show ") + plural(hidden, "library frame", "library frames");
          btn.setAttribute("aria-expanded", String(showing));
        };
        btn.addEventListener("click", function () {
          stack.classList.toggle("ddt-show-hidden");
          label();
        });
        label();
        stack.appendChild(btn);
      })(stacks[i]);
    }
  }

  /* -------------------------------------------------------- large panels */

  // A stack trace that repeats an earlier one of the panel, as every call
  // made in a loop does, comes from the server as a placeholder
  // (.ddt-stack-same, data-ddt-same="ID") rather than a copy: the stack
  // with data-ddt-stack="ID" on its list is sent once. stackSources holds
  // an unopened copy of each of those for the content on show.
  var stackSources = {};

  function collectStacks(root) {
    stackSources = {};
    var lists = root.querySelectorAll(".ddt-stack > ol[data-ddt-stack]");
    for (var i = 0; i < lists.length; i++) {
      stackSources[lists[i].getAttribute("data-ddt-stack")] = lists[i].parentNode.cloneNode(true);
    }
  }

  // linkStacks turns each placeholder in root into a toggle that looks and
  // works like the stack trace it stands for: activated, it puts a copy of
  // that stack trace, open, in its place (openSameStack). Copies are made
  // on demand, as a page of 500 copies takes longer to show than its rows.
  function linkStacks(root) {
    var same = root.querySelectorAll(".ddt-stack-same[data-ddt-same]:not([role])");
    for (var i = 0; i < same.length; i++) {
      if (stackSources[same[i].getAttribute("data-ddt-same")]) {
        same[i].setAttribute("role", "button");
        same[i].setAttribute("tabindex", "0");
        same[i].setAttribute("aria-expanded", "false");
        same[i].textContent = "View stack trace";
      }
    }
  }

  function openSameStack(toggle) {
    var copy = stackSources[toggle.getAttribute("data-ddt-same")].cloneNode(true);
    copy.querySelector("ol").removeAttribute("data-ddt-stack");
    copy.open = true;
    toggle.parentNode.replaceChild(copy, toggle);
    enhanceStacks(copy.parentNode);
    copy.querySelector("summary").focus();
  }

  // sameStackEvents opens a copy on a click, or when Enter or Space is
  // released: on keydown, the focus would move to the copy's summary
  // before the same key press reaches it, and close it again.
  function sameStackEvents(e) {
    var toggle = e.target.closest && e.target.closest('.ddt-stack-same[role="button"]');
    var key = e.key === "Enter" || e.key === " ";
    if (!toggle || (e.type !== "click" && !key)) {
      return;
    }
    e.preventDefault(); // Space would scroll
    if (e.type !== "keydown") {
      openSameStack(toggle);
    }
  }

  // Tables of more rows than PAGE_ROWS are shown a page at a time: a
  // browser takes seconds to lay out 10,000 rows, and the panel must open
  // at once and stay responsive. A table's data-ddt-page-rows sets its
  // own page size (at least 10), for a table that is not what its panel
  // is mostly read for, such as the Timeline's list under its waterfall.
  var PAGE_ROWS = 500;

  function pageSize(table) {
    var n = Math.floor(Number(table.getAttribute("data-ddt-page-rows")));
    return n >= 10 ? n : PAGE_ROWS;
  }

  function paginate(root) {
    var bodies = root.querySelectorAll("table.ddt-table > tbody");
    for (var i = 0; i < bodies.length; i++) {
      var size = pageSize(bodies[i].parentNode);
      if (bodies[i].rows.length > size) {
        pageRows(bodies[i], size);
      }
    }
  }

  // pageRows takes the rows out of tbody, and shows them size at a time
  // with a pager above and below the table.
  function pageRows(tbody, size) {
    var rows = Array.prototype.slice.call(tbody.rows);
    var table = tbody.parentNode;
    var pages = Math.ceil(rows.length / size);
    var current = 0;
    var bars = [pagerBar(true), pagerBar(false)];
    table.parentNode.insertBefore(bars[0].el, table);
    table.parentNode.insertBefore(bars[1].el, table.nextSibling);

    // show shows a page; from is the bar whose button asked for it and
    // back whether that button goes backwards.
    function show(page, from, back) {
      current = Math.max(0, Math.min(pages - 1, page));
      var first = current * size, last = Math.min(rows.length, first + size);
      tbody.textContent = "";
      var shown = document.createDocumentFragment();
      for (var i = first; i < last; i++) {
        shown.appendChild(rows[i]);
      }
      linkStacks(shown);
      tbody.appendChild(shown);
      enhanceStacks(tbody);
      bars.forEach(function (bar) {
        bar.status.textContent = "Rows " + (first + 1) + "–" + last + " of " + rows.length;
        bar.first.disabled = bar.prev.disabled = current === 0;
        bar.next.disabled = bar.last.disabled = current === pages - 1;
      });
      table.setAttribute("data-ddt-page", String(current + 1));
      if (from) {
        // Back to the top of the table, where the new page starts. The
        // focus stays on the button, unless the end reached disabled it.
        var body = ui.panelBody;
        body.scrollTop += bars[0].el.getBoundingClientRect().top - body.getBoundingClientRect().top - 8;
        if (shadow.activeElement && shadow.activeElement.disabled) {
          (back ? from.next : from.prev).focus();
        }
      }
    }

    bars.forEach(function (bar) {
      bar.first.addEventListener("click", function () { show(0, bar, true); });
      bar.prev.addEventListener("click", function () { show(current - 1, bar, true); });
      bar.next.addEventListener("click", function () { show(current + 1, bar, false); });
      bar.last.addEventListener("click", function () { show(pages - 1, bar, false); });
    });
    show(0, null, false);
  }

  function pagerBar(top) {
    var bar = {
      first: h("button", { type: "button", class: "ddt-btn ddt-pager-first", title: "First page", "aria-label": "First page" }, ["«"]),
      prev: h("button", { type: "button", class: "ddt-btn ddt-pager-prev" }, ["‹ Previous"]),
      status: h("span", { class: "ddt-pager-status", "aria-live": top ? "polite" : null }),
      next: h("button", { type: "button", class: "ddt-btn ddt-pager-next" }, ["Next ›"]),
      last: h("button", { type: "button", class: "ddt-btn ddt-pager-last", title: "Last page", "aria-label": "Last page" }, ["»"])
    };
    bar.el = h("div", { class: "ddt-pager", role: "group", "aria-label": "Pages of rows" },
      [bar.first, bar.prev, bar.status, bar.next, bar.last]);
    return bar;
  }

  /* ------------------------------------------------------------ timeline */

  // The Timeline panel's waterfall (runtime/panels/timeline). Each bar
  // says where it goes in microseconds (data-s, data-d) against the
  // timeline's data-total, and its row in its lane (data-r); bars are
  // placed here, through the CSSOM (content holds no inline style, for
  // CSP), as percentages of the canvas, so zooming changes one width.
  var TL_ROW = 20; // pixels per row of a lane
  var timelineRows = {}; // the table's rows by event index, before paging

  function layoutTimeline(root) {
    var tl = root.querySelector("[data-ddt-timeline]");
    timelineRows = {};
    if (!tl) {
      return;
    }
    var rows = root.querySelectorAll("tr[data-ddt-tl-row]");
    for (var r = 0; r < rows.length; r++) {
      timelineRows[rows[r].getAttribute("data-ddt-tl-row")] = rows[r];
    }
    var total = Number(tl.getAttribute("data-total")) || 1;
    var bars = tl.querySelectorAll(".ddt-tl-bar");
    for (var i = 0; i < bars.length; i++) {
      var b = bars[i];
      b.style.setProperty("left", (100 * Number(b.getAttribute("data-s")) / total) + "%");
      if (!b.classList.contains("ddt-tl-instant")) {
        b.style.setProperty("width", (100 * Number(b.getAttribute("data-d")) / total) + "%");
      }
      b.style.setProperty("top", (Number(b.getAttribute("data-r")) * TL_ROW) + "px");
    }
    var tracks = tl.querySelectorAll(".ddt-tl-track");
    for (var t = 0; t < tracks.length; t++) {
      tracks[t].style.setProperty("height", (Number(tracks[t].getAttribute("data-rows")) * TL_ROW) + "px");
    }
    // Ticks at a round step: 1, 2 or 5 times a power of ten, about eight.
    var axis = tl.querySelector(".ddt-tl-axis");
    var step = Math.pow(10, Math.floor(Math.log(total / 8) / Math.LN10));
    step = total / step > 40 ? step * 5 : total / step > 16 ? step * 2 : step;
    for (var at = 0; at <= total; at += step) {
      var tick = h("span", { class: "ddt-tl-tick", text: (at / 1000).toFixed(step < 1000 ? 2 : 0) + " ms" });
      tick.style.setProperty("left", (100 * at / total) + "%");
      axis.appendChild(tick);
    }
    var canvas = tl.querySelector(".ddt-tl-canvas");
    var zoom = 1;
    var status = h("span", { class: "ddt-muted", "aria-live": "polite", text: "1×" });
    var scroller = tl.querySelector(".ddt-tl-scroll");
    // setZoom widens the canvas and keeps the selected bar, or else the
    // middle of what was shown, in the middle of the view.
    var setZoom = function (z) {
      var selected = tl.querySelector(".ddt-tl-selected");
      var width = canvas.offsetWidth || 1;
      var focus = selected ? (selected.offsetLeft + selected.offsetWidth / 2) / width :
        (scroller.scrollLeft + scroller.clientWidth / 2) / width;
      zoom = Math.max(1, Math.min(1024, z));
      canvas.style.setProperty("width", (100 * zoom) + "%");
      scroller.scrollLeft = focus * canvas.offsetWidth - scroller.clientWidth / 2;
      status.textContent = zoom + "×";
    };
    tl.insertBefore(h("div", { class: "ddt-tl-tools", role: "group", "aria-label": "Zoom" }, [
      h("button", { type: "button", class: "ddt-btn ddt-tl-zoom-out", "aria-label": "Zoom out", onclick: function () { setZoom(zoom / 2); } }, ["−"]),
      h("button", { type: "button", class: "ddt-btn ddt-tl-zoom-in", "aria-label": "Zoom in", onclick: function () { setZoom(zoom * 2); } }, ["+"]),
      h("button", { type: "button", class: "ddt-btn ddt-tl-zoom-fit", onclick: function () { setZoom(1); } }, ["Fit"]),
      status
    ]), tl.firstChild);
  }

  // showTimelineEvent shows the event of a clicked bar: a copy of its row
  // of the table (which may be on another page), its stack trace open.
  function showTimelineEvent(bar) {
    var row = timelineRows[bar.getAttribute("data-i")];
    var detail = ui.panelBody.querySelector(".ddt-tl-detail");
    if (!row || !detail) {
      return;
    }
    var selected = ui.panelBody.querySelectorAll(".ddt-tl-selected");
    for (var i = 0; i < selected.length; i++) {
      selected[i].classList.remove("ddt-tl-selected");
    }
    bar.classList.add("ddt-tl-selected");
    var head = ui.panelBody.querySelector(".ddt-tl-table > thead");
    var copy = row.cloneNode(true);
    detail.textContent = "";
    detail.appendChild(h("table", { class: "ddt-table ddt-tl-table" }, [head.cloneNode(true), h("tbody", {}, [copy])]));
    linkStacks(detail);
    enhanceStacks(detail);
    var same = detail.querySelector('.ddt-stack-same[role="button"]');
    if (same) {
      openSameStack(same);
    } else if (detail.querySelector(".ddt-stack")) {
      detail.querySelector(".ddt-stack").open = true;
    }
    detail.hidden = false;
  }

  // Buttons of panel content with data-ddt-open-panel="ID" open that
  // panel; they are labelled with its title.
  function labelPanelLinks(root) {
    var links = root.querySelectorAll("[data-ddt-open-panel]");
    var titles = {};
    for (var i = 0; i < links.length; i++) {
      var id = links[i].getAttribute("data-ddt-open-panel");
      if (!(id in titles)) {
        var info = panelInfo(id);
        titles[id] = info.nav_title || info.title || id;
      }
      links[i].textContent = titles[id];
      links[i].title = "Open the " + titles[id] + " panel";
    }
  }

  function contentClicks(e) {
    var target = e.target.closest ? e.target : null;
    var bar = target && target.closest(".ddt-tl-bar[data-i]");
    if (bar) {
      showTimelineEvent(bar);
      return;
    }
    var link = target && target.closest("[data-ddt-open-panel]");
    if (link && validPanelID(link.getAttribute("data-ddt-open-panel"))) {
      openPanel(link.getAttribute("data-ddt-open-panel"));
    }
  }

  /* -------------------------------------------------------------- history */

  function refreshHistory() {
    var load = state.loads;
    if (state.openPanel === HISTORY && !state.history) {
      ui.panelBody.textContent = "";
      ui.panelBody.appendChild(h("p", { class: "ddt-loading", text: "Loading…" }));
    }
    return getHistory().then(function (list) {
      state.history = list;
      renderNav();
      if (state.openPanel === HISTORY && load === state.loads) {
        showContent(historyTable(list));
      }
    }, function (err) {
      if (state.openPanel === HISTORY) {
        showContent(h("p", { class: "ddt-error", text: "Could not load the history: " + err.message }));
      }
    });
  }

  function historyTable(list) {
    var wrap = h("div", { class: "ddt-history" });
    var info = state.historyInfo || {};
    var everyone = h("input", { type: "checkbox", class: "ddt-everyone" });
    everyone.checked = state.everyone;
    everyone.addEventListener("change", function () {
      state.everyone = everyone.checked;
      refreshHistory();
    });
    wrap.appendChild(h("div", { class: "ddt-toolbar-row" }, [
      h("p", { class: "ddt-muted", text: plural(list.length, "request", "requests") + " stored, newest first. Switch to one to see its panels." }),
      h("label", { class: "ddt-muted" }, [everyone, " Everyone's requests"]),
      h("button", { type: "button", class: "ddt-btn", onclick: function () { refreshHistory(); } }, ["Refresh"])
    ]));
    if (info.store && !info.store.available) {
      wrap.appendChild(h("p", { class: "ddt-error ddt-store-unavailable", text: "Store unavailable: " + (info.store.error || "its server does not answer") +
        ". Requests are served and not recorded (" + plural(info.store.dropped, "record", "records") + " dropped); it recovers by itself." }));
    }
    // With a shared store, the History says which instance served each request.
    var instances = list.some(function (s) { return s.instance && s.instance !== info.instance; });
    if (!list.length) {
      wrap.appendChild(h("p", { class: "ddt-empty", text: "No requests recorded." }));
      return wrap;
    }
    var rows = list.map(function (s) {
      var current = s.id === state.currentId;
      var mine = s.id === PAGE_ID || state.noticed.indexOf(s.id) >= 0;
      return h("tr", { class: current ? "ddt-row-current" : null, "aria-current": current ? "true" : null, "data-request": s.id }, [
        h("td", { class: "ddt-time", text: clock(s.started) }),
        h("td", {}, [h("span", { class: "ddt-method", text: s.method })]),
        h("td", { class: "ddt-path-cell" }, [
          h("code", { class: "ddt-path", text: s.path, title: s.path }),
          s.id === PAGE_ID ? h("span", { class: "ddt-badge ddt-badge-own", text: "this page" }) :
            mine ? h("span", { class: "ddt-badge ddt-badge-own", text: "from this page" }) : null
        ]),
        h("td", {}, [h("span", { class: statusClass(s.status), text: String(s.status) })]),
        h("td", { class: "ddt-num", text: ms(s.duration_ms) }),
        h("td", { class: "ddt-badges" }, [kindBadge(s)].concat(flags(s))),
        instances ? h("td", { class: "ddt-instance", text: s.instance || "" }) : null,
        h("td", {}, [current ?
          h("span", { class: "ddt-muted", text: "Showing" }) :
          h("button", {
            type: "button", class: "ddt-btn", "aria-label": "Switch to " + s.method + " " + s.path + " at " + clock(s.started),
            onclick: function () { switchTo(s.id); }
          }, ["Switch"])])
      ]);
    });
    wrap.appendChild(h("table", { class: "ddt-table ddt-history-table" }, [
      h("thead", {}, [h("tr", {}, ["Time", "Method", "Path", "Status", "Duration", "Type"].concat(instances ? ["Instance"] : [], [""]).map(function (t, i) {
        return h("th", { class: i === 4 ? "ddt-num" : null, scope: "col", text: t });
      }))]),
      h("tbody", {}, rows)
    ]));
    return wrap;
  }

  /* --------------------------------------------------- fetch/XHR noticing */

  var historyTimer = 0;

  function notice(id) {
    if (!id || id === PAGE_ID || state.noticed.indexOf(id) >= 0) {
      return;
    }
    state.noticed.push(id);
    // Several requests often finish together; refresh once for all of them.
    clearTimeout(historyTimer);
    historyTimer = setTimeout(function () {
      if (state.openPanel === HISTORY) {
        refreshHistory();
      } else {
        state.history = null; // stale: the subtitle counts noticed ones
        renderNav();
      }
    }, 100);
  }

  function wrapFetch() {
    window.fetch = function () {
      var p = nativeFetch.apply(this, arguments);
      p.then(function (r) {
        try {
          notice(r.headers.get(ID_HEADER));
        } catch (e) { /* opaque responses have no headers */ }
      }, function () {});
      return p; // the page gets the very promise it would have got
    };
  }

  function wrapXHR() {
    var proto = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
    if (!proto) {
      return;
    }
    var send = proto.send;
    proto.send = function () {
      this.addEventListener("loadend", function () {
        try {
          notice(this.getResponseHeader(ID_HEADER));
        } catch (e) { /* no headers on failure */ }
      });
      return send.apply(this, arguments);
    };
  }

  /* --------------------------------------------------------- browser timing */

  // Navigation timing phases, each from one PerformanceNavigationTiming mark
  // to another (milliseconds since the navigation started).
  var PHASES = [
    ["Redirect", "redirectStart", "redirectEnd"],
    ["DNS lookup", "domainLookupStart", "domainLookupEnd"],
    ["Connect", "connectStart", "connectEnd"],
    ["Request (time to first byte)", "requestStart", "responseStart"],
    ["Response", "responseStart", "responseEnd"],
    ["DOM interactive", "responseEnd", "domInteractive"],
    ["DOMContentLoaded handlers", "domContentLoadedEventStart", "domContentLoadedEventEnd"],
    ["DOM complete", "domInteractive", "domComplete"],
    ["Load handlers", "loadEventStart", "loadEventEnd"]
  ];

  function fillBrowserTiming(root) {
    var tbody = root.querySelector("tbody[data-ddt-browser-timing]");
    if (!tbody) {
      return;
    }
    tbody.textContent = "";
    var cols = Math.max(1, (tbody.closest("table") || tbody).querySelectorAll("thead th").length);
    var note = function (text) {
      tbody.appendChild(h("tr", {}, [h("td", { class: "ddt-muted", colspan: String(cols), text: text })]));
    };
    if (state.currentId !== PAGE_ID) {
      note("Browser timing is only known for this page's own request.");
      return;
    }
    var nav = performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    if (!nav) {
      note("This browser does not report navigation timing.");
      return;
    }
    var total = nav.loadEventEnd || nav.domComplete || nav.responseEnd || 1;
    PHASES.forEach(function (ph) {
      var start = nav[ph[1]], end = nav[ph[2]];
      if (!end || end < start || (ph[1] === "redirectStart" && !start)) {
        return;
      }
      var bar = h("span", { class: "ddt-timing-bar" });
      bar.style.setProperty("margin-left", (100 * start / total).toFixed(2) + "%");
      bar.style.setProperty("width", Math.max(0.5, 100 * (end - start) / total).toFixed(2) + "%");
      var track = h("span", { class: "ddt-timing-track", "aria-hidden": "true" }, [bar]);
      var figures = h("td", { class: "ddt-num", text: start.toFixed(1) + " (+" + (end - start).toFixed(1) + ")" });
      // Three columns: name, timeline, figures. Two: the timeline goes
      // under the name.
      tbody.appendChild(h("tr", {}, cols >= 3 ?
        [h("td", { text: ph[0] }), h("td", {}, [track]), figures] :
        [h("td", { class: "ddt-timing-name" }, [ph[0], track]), figures]));
    });
    if (!nav.loadEventEnd) {
      note("The page is still loading; reopen the panel for the load phases.");
    }
  }

  /* -------------------------------------------------------------- keyboard */

  function editable(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  // Up and Down move between the panels of the list, Home and End to its
  // ends; Tab still visits every checkbox and button in order.
  function navKeys(e) {
    var keys = { ArrowDown: 1, ArrowUp: -1, Home: -Infinity, End: Infinity };
    if (!(e.key in keys) || e.altKey || e.ctrlKey || e.metaKey) {
      return;
    }
    var items = Array.prototype.slice.call(ui.nav.querySelectorAll("button.ddt-nav-btn"));
    if (!items.length) {
      return;
    }
    var i = items.indexOf(shadow.activeElement);
    var step = keys[e.key];
    i = step === -Infinity ? 0 : step === Infinity ? items.length - 1 :
      Math.max(0, Math.min(items.length - 1, (i < 0 ? (step > 0 ? -1 : items.length) : i) + step));
    items[i].focus();
    e.preventDefault();
  }

  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || e.defaultPrevented) {
      return;
    }
    var inToolbar = e.composedPath && e.composedPath().indexOf(host) >= 0;
    if (state.openPanel) {
      closePanel(true);
    } else if (state.shown && (inToolbar || !editable(document.activeElement))) {
      setShown(false);
    }
  });

  /* ------------------------------------------------------------------ start */

  build();
  ui.nav.addEventListener("keydown", navKeys);
  ["click", "keydown", "keyup"].forEach(function (type) {
    ui.panelBody.addEventListener(type, sameStackEvents);
  });
  ui.panelBody.addEventListener("click", contentClicks);
  applyTheme();
  if (darkQuery && darkQuery.addEventListener) {
    darkQuery.addEventListener("change", applyTheme);
  }
  if (STANDALONE) {
    window.addEventListener("ddt:open-request", function (e) {
      if (e.detail && e.detail.id && e.detail.id !== state.currentId) {
        switchTo(String(e.detail.id));
      }
    });
  } else {
    wrapFetch();
    wrapXHR();
  }
  window.addEventListener("load", function () {
    // Timing of the load phases is only complete now.
    if (state.openPanel && state.currentId === PAGE_ID) {
      fillBrowserTiming(ui.panelBody);
    }
  });
  render();
  if (state.shown && PAGE_ID) {
    switchTo(PAGE_ID);
  }
})();
