/* Counsellor pages: copy/print the test link; poll an open assessment's progress every 10 seconds. */
(function () {
  "use strict";
  var copy = document.getElementById("copy");
  if (copy) copy.addEventListener("click", function () {
    var status = document.getElementById("copy-status");
    var done = function () { status.textContent = copy.dataset.done; };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(copy.dataset.url).then(done);
    else {
      var range = document.createRange();
      range.selectNodeContents(document.getElementById("take-link"));
      var selection = window.getSelection();
      selection.removeAllRanges(); selection.addRange(range);
      if (document.execCommand("copy")) done();
    }
  });
  var print = document.getElementById("print");
  if (print) print.addEventListener("click", function () { window.print(); });

  var table = document.getElementById("parts");
  var url = table && table.dataset.poll;
  if (!url) return;
  var timer = setInterval(function () {
    fetch(url, {credentials: "same-origin", cache: "no-store"}).then(function (r) {
      if (r.status === 401 || r.redirected) { clearInterval(timer); return null; }
      return r.ok ? r.json() : null;
    }).then(function (data) {
      if (!data) return;
      data.parts.forEach(function (part) {
        var row = table.querySelector('tr[data-instrument="' + part.instrument_id + '"]');
        if (!row) return;
        row.querySelector(".answered").textContent = part.answered;
        var finished = row.querySelector(".finished");
        finished.textContent = part.finished ? table.dataset.yes : table.dataset.no;
      });
      if (data.status === "completed") { clearInterval(timer); location.reload(); }
    }).catch(function () { /* try again at the next tick */ });
  }, 10000);
})();
