/*
 * The Feature Flags panel's overrides: its buttons set and clear the
 * ddt_flags cookie, which the panel reads on the requests the toolbar
 * records, then reload the page so that it is served with them.
 *
 * The cookie holds key=value pairs joined by "&", each part escaped with
 * encodeURIComponent (featureflag.ParseOverrides reads it). It is a session
 * cookie for the whole site, SameSite=Strict.
 */
(function () {
  "use strict";

  var COOKIE = "ddt_flags";

  function read() {
    var out = {};
    var parts = document.cookie ? document.cookie.split(";") : [];
    for (var i = 0; i < parts.length; i++) {
      var kv = parts[i].trim();
      if (kv.indexOf(COOKIE + "=") !== 0) {
        continue;
      }
      var pairs = kv.slice(COOKIE.length + 1).split("&");
      for (var j = 0; j < pairs.length; j++) {
        var eq = pairs[j].indexOf("=");
        if (eq <= 0) {
          continue;
        }
        try {
          out[decodeURIComponent(pairs[j].slice(0, eq))] = decodeURIComponent(pairs[j].slice(eq + 1));
        } catch (e) {
          // A malformed entry: dropped when the cookie is written again.
        }
      }
    }
    return out;
  }

  function write(overrides) {
    var pairs = Object.keys(overrides).sort().map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(overrides[k]);
    });
    if (pairs.length === 0) {
      document.cookie = COOKIE + "=; path=/; max-age=0; samesite=strict";
    } else {
      document.cookie = COOKIE + "=" + pairs.join("&") + "; path=/; samesite=strict";
    }
    window.location.reload();
  }

  function onClick(ev) {
    var el = ev.target.closest ? ev.target.closest("button") : null;
    if (!el) {
      return;
    }
    var overrides;
    if (el.hasAttribute("data-ddt-flags-clear-all")) {
      write({});
    } else if (el.hasAttribute("data-ddt-flag-clear")) {
      overrides = read();
      delete overrides[el.getAttribute("data-ddt-flag-clear")];
      write(overrides);
    } else if (el.hasAttribute("data-ddt-flag-set")) {
      var key = el.getAttribute("data-ddt-flag-set");
      var value = el.getAttribute("data-ddt-flag-to");
      if (value === null) {
        var input = el.parentNode.querySelector("input[data-ddt-flag-input]");
        value = input ? input.value : "";
      }
      overrides = read();
      overrides[key] = value;
      write(overrides);
    }
  }

  window.addEventListener("ddt:panel-shown", function (ev) {
    var root = ev.detail && ev.detail.root;
    if (!root || ev.detail.panel !== "featureflags" || root.ddtFlagOverrides) {
      return;
    }
    // The panel body is reused for every panel: listen once.
    root.ddtFlagOverrides = true;
    root.addEventListener("click", onClick);
  });
})();
