/* Form helpers: search-as-you-type pickers (Tom Select on <select data-picker="url">), repeating rows
   (<fieldset data-rows>) and the error summary (focused on load, its links focus the field).
   Without JavaScript the forms still work: a picker is a plain select holding the chosen option(s). */
(function () {
  "use strict";

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function initPicker(el) {
    if (el.tomselect || typeof window.TomSelect === "undefined") return;
    var url = el.getAttribute("data-picker");
    var latest = 0;
    var settings = {
      valueField: "value",
      labelField: "text",
      searchField: [],
      maxOptions: null,
      preload: "focus",
      loadThrottle: 250,
      allowEmptyOption: false,
      placeholder: el.getAttribute("data-placeholder") || "",
      plugins: el.multiple ? ["remove_button"] : [],
      hidePlaceholder: false,
      shouldLoad: function () { return true; },
      // The server has already matched (diacritics-insensitive, within scope): show what it sent.
      score: function () { return function () { return 1; }; },
      load: function (query, callback) {
        var self = this;
        var ticket = ++latest;
        var sep = url.indexOf("?") === -1 ? "?" : "&";
        fetch(url + sep + "q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { "Accept": "application/json" }
        }).then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            if (ticket !== latest) { callback(); return; }
            self.clearOptions();
            callback(data.results || []);
          })
          .catch(function () { callback(); });
      },
      render: {
        option: function (item, escape) {
          return "<div class=\"picker-option\"><span class=\"picker-text\">" + escape(item.text) + "</span>" +
            (item.hint ? "<small class=\"picker-hint\">" + escape(item.hint) + "</small>" : "") + "</div>";
        },
        item: function (item, escape) { return "<div>" + escape(item.text) + "</div>"; },
        no_results: function () {
          return "<div class=\"no-results\">" + escapeHtml(el.getAttribute("data-no-results") || "") + "</div>";
        },
        loading: function () { return "<div class=\"spinner\" aria-hidden=\"true\"></div>"; }
      }
    };
    var ts = new window.TomSelect(el, settings);
    var describedBy = el.getAttribute("aria-describedby");
    if (describedBy) ts.control_input.setAttribute("aria-describedby", describedBy);
    if (el.getAttribute("aria-invalid")) ts.control_input.setAttribute("aria-invalid", "true");
  }

  function renumber(fieldset) {
    var prefix = fieldset.getAttribute("data-rows");
    var total = fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    return { prefix: prefix, total: total };
  }

  function initRows(fieldset) {
    if (fieldset.hasAttribute("data-rows-ready")) return;
    fieldset.setAttribute("data-rows-ready", "");
    var add = fieldset.querySelector("[data-rows-add]");
    var template = fieldset.querySelector("template[data-rows-template]");
    var list = fieldset.querySelector("[data-rows-list]");
    var info = renumber(fieldset);
    if (add && template && list && info.total) {
      add.hidden = false;
      add.addEventListener("click", function () {
        var index = parseInt(info.total.value, 10) || 0;
        var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__n__/g, String(index + 1));
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var row = holder.firstElementChild;
        list.appendChild(row);
        info.total.value = String(index + 1);
        initRowRemove(row);
        var first = row.querySelector("input:not([type=checkbox]), select, textarea");
        if (first) first.focus();
      });
    }
    fieldset.querySelectorAll("[data-row]").forEach(initRowRemove);
  }

  function initRowRemove(row) {
    // The "Remove" checkbox stays for the server (can_delete); with JavaScript it becomes a button.
    var box = row.querySelector(".row-delete input[type=checkbox]");
    if (!box || row.hasAttribute("data-row-ready")) return;
    row.setAttribute("data-row-ready", "");
    var label = row.querySelector(".row-delete label");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-small row-remove";
    button.textContent = label ? label.textContent : "×";
    box.parentNode.hidden = true;
    row.appendChild(button);
    button.addEventListener("click", function () {
      box.checked = true;
      row.querySelectorAll("input:not([type=checkbox]):not([type=hidden]), textarea").forEach(function (i) {
        i.value = "";
      });
      row.hidden = true;
    });
    if (box.checked) row.hidden = true;
  }

  function focusTarget(id) {
    var target = document.getElementById(id);
    if (!target) return false;
    if (target.tomselect) { target.tomselect.focus(); return true; }
    target.focus();
    return true;
  }

  function initSummary(summary, first) {
    if (summary.hasAttribute("data-summary-ready")) return;
    summary.setAttribute("data-summary-ready", "");
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var id = decodeURIComponent(link.getAttribute("href").slice(1));
      var target = document.getElementById(id);
      if (!target) return;
      event.preventDefault();
      var field = target.closest(".field") || target;
      field.scrollIntoView({ block: "center" });
      focusTarget(id);
    });
    if (first) summary.focus();
  }

  function init(root) {
    root = root || document;
    if (!root.querySelectorAll) return;
    root.querySelectorAll("select[data-picker]").forEach(initPicker);
    root.querySelectorAll("fieldset[data-rows]").forEach(initRows);
    var summaries = root.querySelectorAll("[data-error-summary]");
    summaries.forEach(function (s, i) { initSummary(s, i === 0); });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
