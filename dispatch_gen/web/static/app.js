/* dispatch-gen: small helpers for the edit page (no library, nothing loaded from elsewhere). */
(function () {
  "use strict";

  function rewrite(root, oldPrefix, newPrefix) {
    var attrs = ["name", "data-path", "data-list"];
    var nodes = [root].concat(Array.prototype.slice.call(root.querySelectorAll("*")));
    nodes.forEach(function (el) {
      attrs.forEach(function (a) {
        var v = el.getAttribute && el.getAttribute(a);
        if (v && (v === oldPrefix || v.indexOf(oldPrefix + ".") === 0)) {
          el.setAttribute(a, newPrefix + v.slice(oldPrefix.length));
        }
      });
      if (el.tagName === "TEMPLATE") rewrite(el.content, oldPrefix, newPrefix);
    });
  }

  function entriesOf(list) {
    var box = list.querySelector(":scope > .entries");
    return Array.prototype.slice.call(box.children);
  }

  function renumber(list) {
    var base = list.getAttribute("data-list");
    var entries = entriesOf(list);
    entries.forEach(function (entry, i) {
      var old = entry.getAttribute("data-path");
      var neu = base + "." + i;
      if (old !== neu) rewrite(entry, old, neu);
    });
    var count = list.querySelector(":scope > .list-head .count");
    if (count) count.textContent = "(" + entries.length + ")";
  }

  function depthMark(list) {
    var tpl = list.querySelector(":scope > template");
    var first = tpl.content.firstElementChild;
    var path = first ? first.getAttribute("data-path") : "";
    var m = path.match(/__i\d+__$/);
    return m ? m[0] : null;
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("button");
    if (!btn) return;
    if (btn.hasAttribute("data-add")) {
      var list = btn.closest(".list");
      var tpl = list.querySelector(":scope > template");
      var mark = depthMark(list);
      var clone = document.importNode(tpl.content, true);
      var entry = clone.firstElementChild;
      var base = list.getAttribute("data-list");
      var index = entriesOf(list).length;
      rewrite(entry, base + "." + mark, base + "." + index);
      list.querySelector(":scope > .entries").appendChild(entry);
      renumber(list);
      var input = entry.querySelector("input:not([type=hidden]), textarea, select");
      if (input) input.focus();
    } else if (btn.hasAttribute("data-remove")) {
      var e = btn.closest(".entry");
      var l = e.closest(".list");
      e.remove();
      renumber(l);
    } else if (btn.hasAttribute("data-move")) {
      var en = btn.closest(".entry");
      var li = en.closest(".list");
      if (btn.getAttribute("data-move") === "-1" && en.previousElementSibling) {
        en.parentNode.insertBefore(en, en.previousElementSibling);
      } else if (btn.getAttribute("data-move") === "1" && en.nextElementSibling) {
        en.parentNode.insertBefore(en.nextElementSibling, en);
      }
      renumber(li);
    } else if (btn.hasAttribute("data-tab")) {
      var name = btn.getAttribute("data-tab");
      document.querySelectorAll("[data-tab]").forEach(function (b) {
        b.setAttribute("aria-selected", b.getAttribute("data-tab") === name ? "true" : "false");
      });
      document.querySelectorAll("[data-tab-panel]").forEach(function (p) {
        p.hidden = p.getAttribute("data-tab-panel") !== name;
      });
    } else if (btn.hasAttribute("data-wrap")) {
      var mark2 = btn.getAttribute("data-wrap");
      var area = lastText;
      if (!area) return;
      var s = area.selectionStart, t = area.selectionEnd;
      if (s === t) return;
      area.value = area.value.slice(0, s) + mark2 + area.value.slice(s, t) + mark2 + area.value.slice(t);
      area.focus();
      area.setSelectionRange(s + mark2.length, t + mark2.length);
    }
  });

  var lastText = null;
  document.addEventListener("focusin", function (ev) {
    if (ev.target.matches && ev.target.matches("textarea.prose, input[name^='f.']")) lastText = ev.target;
  });

  document.addEventListener("click", function (ev) {
    var a = ev.target.closest("a[data-line]");
    if (!a) return;
    ev.preventDefault();
    var area = document.querySelector("textarea.source");
    var line = parseInt(a.getAttribute("data-line"), 10);
    var lines = area.value.split("\n");
    var start = lines.slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1] || "").length);
    area.scrollTop = Math.max(0, (line - 5) * 18);
  });

  document.addEventListener("click", function (ev) {
    var a = ev.target.closest("a[data-back]");
    if (!a) return;
    ev.preventDefault();
    history.back();
  });

  function pollJob(box) {
    var url = box.getAttribute("data-job");
    var bar = box.querySelector("progress");
    var status = box.querySelector(".job-status");
    function tick() {
      fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (j) {
        bar.value = j.percent;
        if (j.state === "running") {
          status.textContent = "Đang làm: " + j.done + "/" + (j.total || "?");
          setTimeout(tick, 400);
        } else {
          window.location.reload();
        }
      }).catch(function () { setTimeout(tick, 1500); });
    }
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var job = document.querySelector("[data-job]");
    if (job && job.getAttribute("data-state") === "running") pollJob(job);
  });
})();
