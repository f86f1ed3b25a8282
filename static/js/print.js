// The print button of receipt slips and answer letters (no inline script).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-document");
  if (button) button.addEventListener("click", function () { window.print(); });
});
