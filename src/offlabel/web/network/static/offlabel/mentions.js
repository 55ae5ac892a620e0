/* @-mention completion for textareas marked data-mentions="<completion url>".
   Typing "@" and a few letters lists matching members; Enter, a click or a tap inserts their
   handle ("@dr-price "). Arrow keys move through the list; Escape closes it. No framework. */
(function () {
  "use strict";
  function setup(area) {
    var url = area.getAttribute("data-mentions");
    var list = document.createElement("ul");
    list.className = "mention-suggestions";
    list.id = area.id + "-mentions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Members to mention");
    list.hidden = true;
    area.insertAdjacentElement("afterend", list);
    area.setAttribute("aria-controls", list.id);
    area.setAttribute("aria-autocomplete", "list");
    var active = -1, timer = null;

    function word() {
      var before = area.value.slice(0, area.selectionStart);
      var match = /(^|[^\w.+-])@([\w.-]*(?: [\w.-]*)?)$/.exec(before);
      return match ? { text: match[2], start: before.length - match[2].length - 1 } : null;
    }
    function close() { list.hidden = true; list.innerHTML = ""; active = -1; }
    function insert(handle) {
      var found = word();
      if (!found) { return; }
      var end = area.selectionStart;
      area.value = area.value.slice(0, found.start) + "@" + handle + " " + area.value.slice(end);
      var caret = found.start + handle.length + 2;
      area.setSelectionRange(caret, caret);
      close();
      area.focus();
    }
    function show(members) {
      list.innerHTML = "";
      members.forEach(function (m, i) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.setAttribute("role", "option");
        button.id = list.id + "-" + i;
        button.textContent = "@" + m.handle + " — " + m.name;
        button.addEventListener("mousedown", function (e) { e.preventDefault(); });
        button.addEventListener("click", function () { insert(m.handle); });
        item.appendChild(button);
        list.appendChild(item);
      });
      list.hidden = members.length === 0;
      active = -1;
    }
    function highlight(i) {
      var options = list.querySelectorAll("button");
      if (!options.length) { return; }
      active = (i + options.length) % options.length;
      options.forEach(function (o, j) { o.setAttribute("aria-selected", j === active ? "true" : "false"); });
      area.setAttribute("aria-activedescendant", options[active].id);
    }
    area.addEventListener("input", function () {
      var found = word();
      clearTimeout(timer);
      if (!found) { close(); return; }
      timer = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(found.text), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { members: [] }; })
          .then(function (data) { show(data.members || []); })
          .catch(close);
      }, 120);
    });
    area.addEventListener("keydown", function (e) {
      if (list.hidden) { return; }
      var options = list.querySelectorAll("button");
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); options[active].click(); }
      else if (e.key === "Escape") { close(); }
    });
    area.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  document.querySelectorAll("textarea[data-mentions]").forEach(setup);
})();
