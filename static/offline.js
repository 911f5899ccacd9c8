// The team lead's offline queue: activities typed without a signal are kept on the phone and
// sent when the network returns (issue 17). Only on a team lead's pages (the server sets
// <body data-offline="1" data-user="..."> through {% can "activity.offline" %}); on every other
// page this file removes the service worker and its cached pages, and does nothing else.
//
// - static/sw.js keeps the team lead's home, team page, recent activities and activity form
//   once visited, so that they open offline.
// - Offline, the activity form is not posted: the typed values and the photos (made smaller
//   here, like the size rule of the online form) go into IndexedDB with a client-made UUID and
//   the user's id. The page says "Đã lưu trên máy, sẽ gửi khi có mạng (N)".
// - Online (on page load and on the "online" event), the entries of the logged-in user are
//   sent in order to the team's sync address (teams.views.activity_sync); the server treats the
//   UUID as an idempotency key, so a retry never makes a second activity. A refused entry stays,
//   shown with its messages and values, until the team lead refills the form with it or drops it.
(function () {
  "use strict";
  var CACHE_PREFIX = "tocnscd-offline";
  var body = document.body;
  var sw = navigator.serviceWorker;

  if (body.dataset.offline !== "1") {
    if (sw) sw.getRegistrations().then(function (regs) { regs.forEach(function (reg) { reg.unregister(); }); });
    if (window.caches) {
      caches.keys().then(function (names) {
        names.forEach(function (name) { if (name.indexOf(CACHE_PREFIX) === 0) caches.delete(name); });
      });
    }
    return;
  }

  var user = body.dataset.user;
  var form = document.querySelector("form[data-offline-form]");
  var MAX_SIDE = 1600;  // pixels on the long side: plenty for a record photo, small to send
  var MAX_BYTES = 10 * 1024 * 1024;  // settings.MAX_UPLOAD_BYTES, the online form's rule
  var sentNow = 0;
  var syncing = false;

  // IndexedDB: one store, entries in the order they were typed ----------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("tocnscd-offline", 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("queue", mode);
        var request = work(tx.objectStore("queue"));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function mine() {
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (entries) {
      return entries.filter(function (entry) { return entry.user === user; });
    });
  }
  function save(entry) { return withStore("readwrite", function (store) { return store.put(entry); }); }
  function drop(seq) { return withStore("readwrite", function (store) { return store.delete(seq); }); }

  // Photos: drawn again on a canvas, at most MAX_SIDE pixels, as JPEG under MAX_BYTES --------
  async function shrink(file) {
    try {
      var bitmap = await createImageBitmap(file);
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      var quality = 0.85;
      var blob;
      do {
        blob = await new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", quality); });
        quality -= 0.2;
      } while (blob && blob.size > MAX_BYTES && quality > 0.2);
      if (blob) return { blob: blob, name: file.name.replace(/\.[^.]*$/, "") + ".jpg" };
    } catch (error) {
      // Not an image this browser reads: kept as it is, the server will say what is wrong.
    }
    return { blob: file, name: file.name };
  }

  // What the form holds: the values to send, and the same as the team lead reads them --------
  function labelOf(element) {
    var box = element.closest("[id^=div_id_]");
    var label = box && box.querySelector("legend, label.form-label, label");
    return label ? label.textContent.replace(/\*/g, "").trim() : element.name;
  }
  function read() {
    var fields = [];
    var shown = [];
    var labels = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || ["hidden", "file", "submit", "button"].indexOf(element.type) >= 0) return;
      labels[element.name] = labelOf(element);
      var checkable = element.type === "checkbox" || element.type === "radio";
      if (checkable && !element.checked) return;
      fields.push([element.name, element.value]);
      var text = element.value;
      if (element.tagName === "SELECT") text = element.selectedOptions.length ? element.selectedOptions[0].textContent : "";
      if (checkable) text = element.labels.length ? element.labels[0].textContent : element.value;
      text = text.trim();
      if (!text) return;
      var last = shown.length && shown[shown.length - 1];
      if (last && last[0] === labels[element.name]) last[1] += ", " + text;
      else shown.push([labels[element.name], text]);
    });
    return { fields: fields, shown: shown, labels: labels };
  }
  function refill(entry) {
    form.reset();
    Array.prototype.forEach.call(form.elements, function (element) {
      if (element.type === "checkbox" || element.type === "radio") element.checked = false;
    });
    entry.fields.forEach(function (pair) {
      var element = form.querySelector('[name="' + pair[0] + '"]:not([type=checkbox]):not([type=radio])');
      var box = form.querySelector('[name="' + pair[0] + '"][value="' + CSS.escape(pair[1]) + '"]');
      if (box && (box.type === "checkbox" || box.type === "radio")) box.checked = true;
      else if (element) element.value = pair[1];
    });
    var input = form.querySelector("input[type=file]");
    if (input && entry.photos.length && window.DataTransfer) {
      var files = new DataTransfer();
      entry.photos.forEach(function (photo) { files.items.add(new File([photo.blob], photo.name, { type: photo.blob.type })); });
      input.files = files.files;
    }
    form.dataset.replaces = entry.seq;  // dropped from the queue when the form is saved again
    form.scrollIntoView();
  }

  // The queue's box at the top of the page ---------------------------------------------------
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }
  async function render() {
    var entries = await mine();
    var box = document.getElementById("offline-queue");
    if (!entries.length && !sentNow) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = element("div");
      box.id = "offline-queue";
      box.setAttribute("role", "status");
      document.querySelector("main").prepend(box);
    }
    box.className = "alert " + (entries.length ? "alert-warning" : "alert-success");
    box.replaceChildren();
    var waiting = entries.filter(function (entry) { return !entry.errors; });
    if (sentNow) box.append(element("p", "mb-1", "Đã gửi " + sentNow + " hoạt động đã lưu trên máy."));
    if (waiting.length) {
      box.append(element("p", "mb-1 fw-semibold", "Đã lưu trên máy, sẽ gửi khi có mạng (" + waiting.length + ")"));
    }
    entries.filter(function (entry) { return entry.errors; }).forEach(function (entry) {
      var item = element("div", "border border-danger rounded bg-white p-2 mt-2");
      item.dataset.refused = entry.uuid;
      item.append(element("p", "mb-1 text-danger fw-semibold", "Chưa gửi được hoạt động này:"));
      var messages = element("ul", "mb-1 text-danger");
      Object.keys(entry.errors).forEach(function (name) {
        var label = name === "__all__" ? "" : (entry.labels[name] || name) + ": ";
        entry.errors[name].forEach(function (message) { messages.append(element("li", null, label + message)); });
      });
      item.append(messages);
      var values = element("dl", "row small mb-2");
      entry.shown.forEach(function (pair) {
        values.append(element("dt", "col-5", pair[0]), element("dd", "col-7 mb-0", pair[1]));
      });
      if (entry.photos.length) values.append(element("dt", "col-5", "Ảnh"), element("dd", "col-7 mb-0", entry.photos.length + " ảnh"));
      item.append(values);
      if (form && entry.formUrl === location.pathname) {
        var fill = element("button", "btn btn-sm btn-primary me-2", "Điền lại vào biểu mẫu để sửa");
        fill.type = "button";
        fill.addEventListener("click", function () { refill(entry); });
        item.append(fill);
      } else {
        var link = element("a", "btn btn-sm btn-primary me-2", "Mở biểu mẫu để sửa");
        link.href = entry.formUrl;
        item.append(link);
      }
      var remove = element("button", "btn btn-sm btn-outline-danger", "Bỏ mục này");
      remove.type = "button";
      remove.addEventListener("click", async function () {
        if (!window.confirm("Bỏ hẳn hoạt động này? Những gì đã gõ sẽ mất.")) return;
        await drop(entry.seq);
        render();
      });
      item.append(remove);
      box.append(item);
    });
  }

  // Sending ----------------------------------------------------------------------------------
  // A fresh CSRF token from the form's page, only if the session is still this user's. Asked of
  // the server itself ("no-store": static/sw.js never answers it with a kept copy).
  async function tokenFor(url) {
    try {
      var response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok || response.redirected) return null;
      var page = new DOMParser().parseFromString(await response.text(), "text/html");
      if (page.body.dataset.user !== user) return null;
      var input = page.querySelector("input[name=csrfmiddlewaretoken]");
      return input ? input.value : null;
    } catch (error) {
      return null;
    }
  }
  async function sync() {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    try {
      var entries = (await mine()).filter(function (entry) { return !entry.errors; });
      var tokens = {};
      for (var i = 0; i < entries.length; i++) {
        var entry = entries[i];
        if (!(entry.formUrl in tokens)) tokens[entry.formUrl] = await tokenFor(entry.formUrl);
        if (!tokens[entry.formUrl]) break;  // offline again, or logged out: later
        // The phone went offline since this round began (it may have begun as the page loaded,
        // before the entry was typed offline): the entry stays for the next "online".
        if (!navigator.onLine) break;
        var data = new FormData();
        entry.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
        data.append("client_uuid", entry.uuid);
        entry.photos.forEach(function (photo) { data.append("photos", photo.blob, photo.name); });
        var response;
        try {
          response = await fetch(entry.syncUrl, {
            method: "POST",
            body: data,
            credentials: "same-origin",
            headers: { "X-CSRFToken": tokens[entry.formUrl] },
          });
        } catch (error) {
          break;  // the network went again: the entry stays, sent next time
        }
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        var answer = json ? await response.json() : null;
        if (answer && answer.ok) {
          await drop(entry.seq);
          sentNow += 1;
        } else if (answer && [400, 403, 404].indexOf(response.status) >= 0) {
          entry.errors = answer.errors;  // refused: shown with its values until fixed or dropped
          await save(entry);
        } else {
          break;  // a server error, the login page or a stale session (CSRF): tried again later
        }
      }
    } finally {
      syncing = false;
      await render();
    }
  }

  // Typing, with or without a signal ------------------------------------------------------
  // Offline, the entry is queued and the form is not posted. Online, a copy is queued first and
  // then the form is posted with the same UUID: if the answer never comes (the signal drops
  // while sending), the copy is sent later and the server's idempotency key makes it one row;
  // when the answer comes, the page it leads to shows the UUID and the copy is dropped on load.
  async function queueTyped(uuid) {
    var values = read();
    var input = form.querySelector("input[type=file]");
    var photos = [];
    for (var i = 0; input && i < input.files.length; i++) photos.push(await shrink(input.files[i]));
    await save({
      uuid: uuid,
      user: user,
      syncUrl: form.dataset.syncUrl,
      formUrl: location.pathname,
      typedAt: new Date().toISOString(),
      fields: values.fields,
      shown: values.shown,
      labels: values.labels,
      photos: photos,
      errors: null,
    });
  }
  if (form) {
    form.addEventListener("submit", async function (event) {
      if (form.dataset.posting === "1") return;  // the copy is kept: let the browser post it
      var key = form.querySelector("input[name=client_uuid]");
      var replaces = form.dataset.replaces ? Number(form.dataset.replaces) : null;
      event.preventDefault();
      if (navigator.onLine) {
        if (key && !key.value) key.value = crypto.randomUUID();  // a resent form makes no duplicate
        try {
          if (key) await queueTyped(key.value);
        } catch (error) {
          // No room or no IndexedDB: post as any page would.
        }
        if (replaces) await drop(replaces);
        form.dataset.posting = "1";
        form.requestSubmit(event.submitter || undefined);
        return;
      }
      await queueTyped(crypto.randomUUID());
      if (replaces) await drop(replaces);
      delete form.dataset.replaces;
      form.reset();
      await render();
      window.scrollTo(0, 0);
    });
  }

  // Copies of entries the server has already saved: the team's page lists the new activity
  // (data-client-uuid), and a form shown again with its errors carries the UUID it was sent with.
  async function dropSaved() {
    var saved = new Set();
    document.querySelectorAll("[data-client-uuid]").forEach(function (node) { saved.add(node.dataset.clientUuid); });
    var key = form && form.querySelector("input[name=client_uuid]");
    if (key && key.value) saved.add(key.value);
    if (!saved.size) return;
    var entries = await mine();
    for (var i = 0; i < entries.length; i++) {
      if (saved.has(entries[i].uuid)) await drop(entries[i].seq);
    }
  }

  // The service worker, and what this page was loaded with ------------------------------------
  async function keepThisPage() {
    if (!sw || !window.isSecureContext) return;
    await sw.register("/sw.js", { scope: "/" });
    var registration = await sw.ready;
    var wanted = [location.pathname];
    document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=icon], link[rel=apple-touch-icon]").forEach(function (node) {
      wanted.push(node.src || node.href);
    });
    var urls = [];
    for (var i = 0; i < wanted.length; i++) {
      if ((i === 0 && !sw.controller) || !(await caches.match(new URL(wanted[i], location.href).pathname))) urls.push(wanted[i]);
    }
    // The team's page is the team lead's home ("/" redirects there): kept under "/" too.
    var home = /^\/so-lieu\/to\/\d+\/$/.test(location.pathname) ? location.pathname : null;
    var channel = new MessageChannel();
    channel.port1.onmessage = function () { body.dataset.offlineReady = "1"; };
    registration.active.postMessage({ type: "keep", urls: urls, home: home }, [channel.port2]);
  }

  window.addEventListener("online", sync);
  dropSaved().then(render).then(sync);
  if (navigator.onLine) keepThisPage();
})();
