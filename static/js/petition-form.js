// The petition form's conveniences; the form works without them (the server
// validates everything, and a <noscript> button refreshes the commune list).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Errors came back: move focus to their summary so that it is read out first.
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  const form = document.querySelector("form[data-communes-url]");
  if (!form) return;
  const province = form.querySelector("#id_province");
  const commune = form.querySelector("#id_commune");
  if (!province || !commune) return;

  // The commune list follows the province, fetched from the same origin.
  province.addEventListener("change", async () => {
    commune.length = 1; // keep the empty choice
    commune.value = "";
    if (!province.value) return;
    commune.setAttribute("aria-busy", "true");
    try {
      const url = new URL(form.dataset.communesUrl, window.location.href);
      url.searchParams.set("province", province.value);
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      for (const item of data.communes) {
        commune.add(new Option(item.name, String(item.code)));
      }
    } finally {
      commune.removeAttribute("aria-busy");
    }
  });
});
