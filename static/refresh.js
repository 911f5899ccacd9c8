// A page waiting for something made in the background (a file "Đang chờ" or "Đang tạo") carries
// data-refresh-seconds: it reloads itself after that many seconds, until the server stops saying so.
(function () {
  const waiting = document.querySelector("[data-refresh-seconds]");
  if (waiting) {
    window.setTimeout(function () { window.location.reload(); }, 1000 * Number(waiting.dataset.refreshSeconds));
  }
})();
