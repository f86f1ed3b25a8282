// Copy and print buttons beside the tracking code and secret (no inline script:
// the Content-Security-Policy forbids it).
document.addEventListener("DOMContentLoaded", function () {
  var status = document.getElementById("copy-status");
  function told() {
    if (!status) return;
    status.hidden = false;
    window.setTimeout(function () { status.hidden = true; }, 4000);
  }
  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var node = document.getElementById(button.getAttribute("data-copy"));
      var text = node.textContent.trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(told, function () { selectText(node); });
      } else {
        // Plain http (a local test server): select it, and let the user copy.
        selectText(node);
        try { if (document.execCommand("copy")) told(); } catch (e) { /* selected */ }
      }
    });
  });
  var print = document.getElementById("print-page");
  if (print) print.addEventListener("click", function () { window.print(); });
});
