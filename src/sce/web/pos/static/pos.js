/* SCE POS screens: form posts with an Idempotency-Key and the CSRF token, error dialogs (FDM PIN pad),
   live refresh from the server's event stream, and the lost-connection guard for fiscal actions. */
(function () {
  "use strict";
  var body = document.body;
  var live = { online: true, lastSeen: Date.now(), source: null, busy: false };
  window.scePos = live;

  function $(id) { return document.getElementById(id); }

  // The messages in the language of the page (a JSON block of base.html), English when missing.
  var messages = {};
  try { messages = JSON.parse(($("i18n") || {}).textContent || "{}"); } catch (ignored) { messages = {}; }
  function t(key, english) { return typeof messages[key] === "string" && messages[key] ? messages[key] : english; }

  function showDialog(title, message, error) {
    $("dialog-title").textContent = title;
    $("dialog-message").textContent = message;
    $("pinpad").hidden = !(error && error.action === "enter_pin");
    $("retry").hidden = !(error && error.rule === "FDM_BLOCKED" && error.action !== "enter_pin");
    $("dialog").hidden = false;
  }

  function closeDialog() { $("dialog").hidden = true; }

  function setOnline(online) {
    if (online && navigator.onLine === false) { online = false; }
    if (online === live.online) { return; }
    live.online = online;
    body.classList.toggle("offline", !online);
    if (online) { refresh(false); }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target) { return; }
    if (target.dataset.key !== undefined) {
      var form = target.closest("form");
      var input = target.dataset.target ? $(target.dataset.target) : form.querySelector("input[type=password]");
      var key = target.dataset.key;
      if (key === "⌫") { input.value = input.value.slice(0, -1); }
      else if (key === "C") { input.value = ""; }
      else { input.value += key; }
      input.focus();
    } else if (target.hasAttribute("data-close")) {
      closeDialog();
    } else if (target.dataset.print) {
      var frame = $(target.dataset.print);
      frame.contentWindow.focus();
      frame.contentWindow.print();
    } else if (target.hasAttribute("data-print-page")) {
      window.print();
    } else if (target.hasAttribute("data-open-pinpad")) {
      showDialog(t("pinTitle", "VSC PIN"), t("pinMessage", "Enter the PIN of the VAT signing card."), { action: "enter_pin" });
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-action")) { return; }
    event.preventDefault();
    var submitter = event.submitter || null;
    if (form.hasAttribute("data-fiscal") && !live.online) {
      showDialog(t("offlineTitle", "Connection lost"), t("offlineMessage", "This terminal lost its connection to the server: fiscal actions are blocked until it is back."), null);
      return;
    }
    var action = submitter && submitter.hasAttribute("formaction") ? submitter.formAction : form.action;
    var data = new FormData(form, submitter);
    var headers = { "X-SCE-Fetch": "1", "X-CSRF-Token": form.csrf ? form.csrf.value : body.dataset.csrf || "" };
    if (form.idem) { headers["Idempotency-Key"] = form.idem.value; }
    live.busy = true;
    fetch(action, { method: "POST", body: data, headers: headers, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (json) { return { ok: response.ok, status: response.status, json: json }; });
      })
      .then(function (answer) {
        live.busy = false;
        if (answer.ok && answer.json.go) { window.location.assign(answer.json.go); return; }
        var error = answer.json.error || { message: t("unexpected", "Unexpected answer ({status})").replace("{status}", String(answer.status)) };
        if (error.rule === "IN_PROGRESS") { return; }  // a double tap: the first request answers
        var title = error.rule === "FDM_BLOCKED" ? t("fdmTitle", "Fiscal data module") : answer.status === 409 ? t("conflictTitle", "Changed elsewhere") : t("notDoneTitle", "Not done");
        showDialog(title, error.message, error);
        if (answer.status === 409) { refresh(true); }
      })
      .catch(function () {
        live.busy = false;
        setOnline(false);
        showDialog(t("offlineTitle", "Connection lost"), t("noAnswer", "The server did not answer: nothing is lost. Try again when the connection is back; the same action will not be done twice."), null);
      });
  });

  function refresh(changed) {
    if (!$("main").querySelector("[data-live-refresh]")) { return; }
    var active = document.activeElement;
    if (!changed && active && (active.tagName === "INPUT" || active.tagName === "SELECT") && active.value) { return; }
    fetch(window.location.href, { headers: { "X-SCE-Partial": "1" }, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var main = doc.getElementById("main");
        if (!main) { return; }
        $("main").innerHTML = main.innerHTML;
        ["order", "version"].forEach(function (name) {
          if (doc.body.dataset[name] !== undefined) { body.dataset[name] = doc.body.dataset[name]; }
        });
        body.classList.toggle("training", doc.body.classList.contains("training"));
        if (changed && $("changed-notice")) { $("changed-notice").hidden = false; }
      })
      .catch(function () { setOnline(false); });
  }

  function onChange(message) {
    var page = $("main").dataset.page;
    if (page === "order" || page === "pay") {
      if (message.kind === "order" && message.order_id === body.dataset.order && String(message.version) !== body.dataset.version) {
        refresh(true);
      } else if (message.kind === "kitchen" && message.fired && message.order_id === body.dataset.order) {
        refresh(false);
      }
    } else if (page === "kitchen") {
      if (message.kind === "kitchen") { refresh(false); }
    } else {
      refresh(false);
    }
  }

  function connect() {
    if (body.dataset.live !== "1" || !window.EventSource) { return; }
    var source = new EventSource("/events");
    live.source = source;
    source.addEventListener("hello", function () { live.lastSeen = Date.now(); setOnline(true); });
    source.addEventListener("ping", function () { live.lastSeen = Date.now(); setOnline(true); });
    source.addEventListener("change", function (event) {
      live.lastSeen = Date.now();
      setOnline(true);
      onChange(JSON.parse(event.data));
    });
    source.onerror = function () { setOnline(false); };
    window.setInterval(function () {
      if (Date.now() - live.lastSeen > 6000) { setOnline(false); }
    }, 1000);
  }

  window.addEventListener("offline", function () { setOnline(false); });
  window.addEventListener("online", function () {
    if (live.source && live.source.readyState === 1) { setOnline(true); }
  });
  if (navigator.onLine === false) { setOnline(false); }
  connect();
})();
