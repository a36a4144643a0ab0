/* lamtheo: the few behaviours every page shares. Everything works without this file; it only adds comfort. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  /* The menu folds behind a button on a phone. */
  function setupMenu() {
    var button = document.querySelector(".menu-toggle");
    var nav = document.getElementById("main-nav");
    if (!button || !nav) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
      nav.classList.toggle("open", !open);
    });
  }

  /* Wide tables become stacked cards on a phone: each cell is labelled with its column's header. */
  function labelCells(root) {
    root.querySelectorAll("table").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.replace(/[▲▼]/g, "").trim();
      });
      if (!heads.length) return;
      table.classList.add("stackable");
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (cell, i) {
          if (!cell.hasAttribute("data-label") && heads[i]) cell.setAttribute("data-label", heads[i]);
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupMenu();
    labelCells(document);
  });
  document.addEventListener("htmx:load", function (event) { labelCells(event.target); });
})();
