/**
 * The console's client script, served by the gateway itself at
 * /console/assets/console.js (no build step, no CDN). It builds every node
 * with textContent, never innerHTML: event data is shown, never run. Each
 * change it sends carries the session's CSRF token in the x-csrf-token header.
 */
export const CONSOLE_SCRIPT = String.raw`"use strict";
(function () {
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var page = document.body.dataset.page;

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "text") node.textContent = props[key];
      else if (key === "class") node.className = props[key];
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) node.append(child);
    });
    return node;
  }

  function send(url, body, contentType) {
    var headers = { "x-csrf-token": csrf };
    if (contentType) headers["content-type"] = contentType;
    return fetch(url, { method: "POST", headers: headers, body: body, credentials: "same-origin" }).then(
      function (response) {
        return response.text().then(function (text) {
          var json;
          try { json = JSON.parse(text); } catch (e) { json = { detail: text }; }
          return { status: response.status, json: json };
        });
      },
    );
  }

  function problemText(answer) {
    var j = answer.json || {};
    var lines = [answer.status + " " + (j.title || "") + (j.detail ? ": " + j.detail : "")];
    (j.errors || []).forEach(function (f) {
      lines.push("  " + (f.pointer || f.query || "") + " " + (f.code || "") + ": " + (f.detail || ""));
    });
    return lines.join("\n");
  }

  function table(headers, rows) {
    return el("table", {}, [
      el("thead", {}, [el("tr", {}, headers.map(function (h) { return el("th", { text: h }); }))]),
      el("tbody", {}, rows.map(function (cells) {
        return el("tr", {}, cells.map(function (c) {
          return c instanceof Node ? el("td", {}, [c]) : el("td", { text: c === undefined ? "" : String(c) });
        }));
      })),
    ]);
  }

  function streamUrl(params) {
    var query = new URLSearchParams();
    Object.keys(params || {}).forEach(function (k) { if (params[k]) query.set(k, params[k]); });
    var text = query.toString();
    return "/console/stream" + (text ? "?" + text : "");
  }

  // ---- Live tail ----
  function tailPage() {
    var list = document.getElementById("tail");
    var status = document.getElementById("tail-status");
    var form = document.getElementById("tail-filter");
    var source;
    var entries = new Map();
    var MAX_ENTRIES = 500;

    function badge(delivery) {
      var label = delivery.target + ": " + delivery.status;
      return el("span", { class: "badge " + delivery.status, text: label });
    }

    function redraw(entry) {
      entry.badges.replaceChildren.apply(entry.badges, entry.targets.map(function (t) {
        return badge(entry.deliveries.get(t) || { target: t, status: "pending" });
      }));
      var rows = entry.targets.map(function (t) {
        var d = entry.deliveries.get(t) || { status: "pending" };
        return [t, d.status, d.attempts, d.durationMs === undefined ? "" : d.durationMs + " ms",
          (d.error || "") + (d.deadLetter ? " (dead letter " + d.deadLetter + ": " + d.deadLetterStatus + ")" : "")];
      });
      entry.deliveryTable.replaceChildren(rows.length
        ? table(["target", "result", "attempts", "latency", "error"], rows)
        : el("p", { class: "muted", text: "No target: no route matched, and unmatched events are accepted." }));
    }

    function addEvent(m) {
      var key = m.requestId + "/" + m.index;
      var v = m.verdict;
      var verdict = v.schema ? "checked against " + v.schema : "no schema for this type";
      if (v.warnings.length) verdict += "; warnings: " + v.warnings.map(function (w) { return (w.pointer || "") + " " + w.detail; }).join("; ");
      var badges = el("span", { class: "badges" });
      var deliveryTable = el("div");
      var explain = el("a", { href: "/console/explain", text: "Explain this event" });
      explain.addEventListener("click", function () {
        sessionStorage.setItem("explain-event", JSON.stringify(m.event, null, 2));
      });
      var node = el("details", { class: "entry", "data-key": key, "data-type": m.type }, [
        el("summary", {}, [
          el("time", { text: m.at.slice(11, 23) }), " ",
          el("strong", { class: "type", text: m.type }), " ",
          el("span", { class: "muted", text: m.source + " · " + m.id }), " ", badges,
        ]),
        el("h4", { text: "Attributes and data" }),
        el("pre", { class: "json", text: JSON.stringify(m.event, null, 2) + (m.dataOmittedBytes ? "\n(data not shown: " + m.dataOmittedBytes + " bytes)" : "") }),
        el("h4", { text: "Schema" }), el("p", { class: "verdict", text: verdict }),
        el("h4", { text: "Routes matched" }),
        el("p", { class: "routes", text: m.routes.length ? m.routes.join(", ") : "none" }),
        el("h4", { text: "Deliveries" }), deliveryTable, explain,
      ]);
      var entry = { node: node, targets: m.targets.slice(), deliveries: new Map(), badges: badges, deliveryTable: deliveryTable, eventId: m.id };
      entries.set(key, entry);
      redraw(entry);
      list.prepend(node);
      while (list.children.length > MAX_ENTRIES) {
        var last = list.lastElementChild;
        entries.delete(last.dataset.key);
        last.remove();
      }
    }

    function entryOf(m) {
      if (m.index !== undefined) return entries.get(m.requestId + "/" + m.index);
      var found;
      entries.forEach(function (e) { if (e.eventId === m.eventId) found = e; });
      return found;
    }

    function addRejected(m) {
      var node = el("details", { class: "entry rejected", "data-key": m.requestId }, [
        el("summary", {}, [el("time", { text: m.at.slice(11, 23) }), " ",
          el("strong", { text: "refused " + m.status + " " + m.code }), " ", el("span", { class: "muted", text: m.detail })]),
        el("pre", { text: m.failures.map(function (f) { return (f.pointer || "") + " " + f.detail; }).join("\n") }),
      ]);
      list.prepend(node);
    }

    // A reconnected stream starts with the recent backlog again: each message is shown once.
    var epoch;
    var lastSeq = 0;
    function fresh(e) {
      var m = JSON.parse(e.data);
      if (m.seq <= lastSeq) return undefined;
      lastSeq = m.seq;
      return m;
    }

    function connect(params) {
      if (source) source.close();
      list.replaceChildren();
      entries.clear();
      lastSeq = 0;
      status.textContent = "Connecting…";
      source = new EventSource(streamUrl(params));
      source.addEventListener("ready", function (e) {
        var ready = JSON.parse(e.data);
        // A restarted gateway numbers from 1 again.
        if (ready.epoch !== epoch) lastSeq = 0;
        epoch = ready.epoch;
        status.textContent = "Live: events appear as they pass.";
        status.dataset.state = "live";
      });
      source.addEventListener("event", function (e) {
        var m = fresh(e);
        if (m) addEvent(m);
      });
      source.addEventListener("delivery", function (e) {
        var m = fresh(e);
        if (!m) return;
        var entry = entryOf(m);
        if (!entry) return;
        if (entry.targets.indexOf(m.target) < 0) entry.targets.push(m.target);
        entry.deliveries.set(m.target, Object.assign(entry.deliveries.get(m.target) || {}, m));
        redraw(entry);
      });
      source.addEventListener("dead-letter", function (e) {
        var m = fresh(e);
        if (!m) return;
        var entry = entryOf(m);
        if (!entry) return;
        var d = entry.deliveries.get(m.target) || { target: m.target, status: "terminal" };
        d.deadLetter = m.deadLetter;
        d.deadLetterStatus = m.status;
        entry.deliveries.set(m.target, d);
        redraw(entry);
      });
      source.addEventListener("rejected", function (e) {
        var m = fresh(e);
        if (m) addRejected(m);
      });
      source.addEventListener("dropped", function (e) {
        status.textContent = "Live; " + JSON.parse(e.data).count + " events were skipped (too many to show).";
      });
      source.onerror = function () {
        status.textContent = "Disconnected; retrying…";
        status.dataset.state = "retrying";
      };
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var data = new FormData(form);
      var params = { type: data.get("type"), source: data.get("source"), sql: data.get("sql") };
      // A CESQL expression that does not parse is answered 400 before any stream: say why.
      fetch(streamUrl(params)).then(function (response) {
        if (response.ok) {
          response.body && response.body.cancel();
          connect(params);
        } else {
          response.json().then(function (j) {
            status.textContent = j.detail + ": " + ((j.errors || [])[0] || {}).detail;
            status.dataset.state = "error";
          });
        }
      });
    });
    connect({});
  }

  // ---- Route explain ----
  function explainPage() {
    var form = document.getElementById("explain-form");
    var input = document.getElementById("explain-event");
    var result = document.getElementById("explain-result");
    var kept = sessionStorage.getItem("explain-event");
    if (kept) {
      input.value = kept;
      sessionStorage.removeItem("explain-event");
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var text = input.value.trim();
      var type = text.charAt(0) === "[" ? "application/cloudevents-batch+json" : "application/cloudevents+json";
      send("/console/api/explain", text, type).then(function (answer) {
        if (answer.status !== 200) {
          result.replaceChildren(el("pre", { class: "error", text: problemText(answer) }));
          return;
        }
        result.replaceChildren.apply(result, answer.json.explanations.map(function (x) {
          return el("div", { class: "explanation" }, [
            el("h3", { text: x.event.type + " · " + x.event.id }),
            el("p", { class: "outcome", text: "Outcome: " + x.outcome }),
            table(["route", "matched", "why", "to"], x.routes.map(function (r) {
              return [r.route, r.matched ? "yes" : "no", r.reason, r.to.join(", ")];
            })),
            el("h4", { text: "Targets" }),
            table(["target", "address", "note"], x.targets.map(function (t) {
              return [t.target, t.address || "", t.error || (t.transformedBy ? "transformed by " + t.transformedBy : "")];
            })),
          ]);
        }));
      });
    });
  }

  // ---- Schemas ----
  function schemasPage() {
    var form = document.getElementById("register-form");
    if (!form) return;
    var result = document.getElementById("register-result");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var type = form.dataset.type;
      var url = "/console/api/schemas/" + encodeURIComponent(type) + "/versions";
      send(url, document.getElementById("register-schema").value, "application/json").then(function (answer) {
        if (answer.status === 201) {
          location.href = "/console/schemas?type=" + encodeURIComponent(type) + "&version=" + answer.json.versionid;
        } else {
          result.replaceChildren(el("pre", { class: "error", text: problemText(answer) }));
        }
      });
    });
  }

  // ---- Targets ----
  function targetsPage() {
    document.querySelectorAll("button.replay").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = button.dataset.target;
        var out = button.closest(".dead-letters").querySelector(".replay-result");
        button.disabled = true;
        send("/console/api/deadletters/" + encodeURIComponent(target) + "/replay").then(function (answer) {
          button.disabled = false;
          var r = answer.json;
          out.textContent = answer.status === 200
            ? "Re-drove " + r.listed + ": " + r.delivered + " delivered, " + r.deadLetteredAgain + " dead-lettered again, " + r.kept + " kept"
            : problemText(answer);
        });
      });
    });
    var WINDOW_MS = 60000;
    var opened = Date.now();
    var seen = new Map();
    // Only what passes from now: the recent backlog would count earlier deliveries as this second's.
    var stream = new EventSource("/console/stream?recent=0");
    stream.addEventListener("delivery", function (e) {
      var m = JSON.parse(e.data);
      if (!seen.has(m.target)) seen.set(m.target, []);
      seen.get(m.target).push({ at: Date.now(), ms: m.durationMs });
    });
    setInterval(function () {
      var now = Date.now();
      var span = Math.max(1, Math.min(WINDOW_MS, now - opened)) / 1000;
      document.querySelectorAll("#targets tr[data-target]").forEach(function (row) {
        var list = (seen.get(row.dataset.target) || []).filter(function (x) { return now - x.at <= WINDOW_MS; });
        seen.set(row.dataset.target, list);
        var ms = list.map(function (x) { return x.ms; }).sort(function (a, b) { return a - b; });
        row.querySelector(".rate").textContent = (list.length / span).toFixed(2);
        row.querySelector(".latency").textContent = ms.length
          ? "p50 " + ms[Math.floor(ms.length / 2)] + " ms, max " + ms[ms.length - 1] + " ms"
          : "–";
      });
    }, 1000);
  }

  if (page === "tail") tailPage();
  else if (page === "explain") explainPage();
  else if (page === "schemas") schemasPage();
  else if (page === "targets") targetsPage();
})();
`;
