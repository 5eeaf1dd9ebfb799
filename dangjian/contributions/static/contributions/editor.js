// The editors' rich-text editor (Quill) over a <textarea data-rich-editor>: without scripts the
// textarea stays and holds the HTML; the server sanitizes whatever arrives (lib/richtext.py).
(function () {
  "use strict";

  // Only what the sanitizer keeps: headings, emphasis, quotes, lists and links.
  var TOOLBAR = [
    [{ header: [2, 3, false] }],
    ["bold", "italic", "underline"],
    ["blockquote", { list: "ordered" }, { list: "bullet" }],
    ["link"],
    ["clean"],
  ];

  // Toolbar buttons carry only icons: name them in the page's language (#dj-rich-labels).
  function nameButtons(holder) {
    var labels = document.getElementById("dj-rich-labels");
    if (!labels) return;
    holder.querySelectorAll(".ql-toolbar button, .ql-toolbar .ql-picker-label").forEach(function (el) {
      var key = (el.className.match(/ql-(bold|italic|underline|blockquote|list|link|clean)/) || [])[1];
      if (key === "list") key = el.value === "ordered" ? "ordered" : "bullet";
      if (!key && el.classList.contains("ql-picker-label")) key = "header";
      var text = key && labels.dataset[key];
      if (text) {
        el.setAttribute("aria-label", text);
        el.setAttribute("title", text);
      }
    });
  }

  function attach(textarea) {
    if (!window.Quill) return;
    var holder = document.createElement("div");
    holder.className = "dj-rich";
    var box = document.createElement("div");
    holder.appendChild(box);
    textarea.parentNode.insertBefore(holder, textarea);
    textarea.hidden = true;
    var quill = new window.Quill(box, { theme: "snow", modules: { toolbar: TOOLBAR } });
    quill.clipboard.dangerouslyPasteHTML(textarea.value);
    quill.setSelection(null);
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    quill.root.setAttribute("role", "textbox");
    quill.root.setAttribute("aria-multiline", "true");
    if (label) quill.root.setAttribute("aria-label", label.textContent.replace("*", "").trim());
    if (textarea.classList.contains("is-invalid")) holder.classList.add("is-invalid");
    if (label) label.addEventListener("click", function () { quill.focus(); });
    nameButtons(holder);
    textarea.form.addEventListener("submit", function () {
      textarea.value = quill.getLength() > 1 ? quill.root.innerHTML : "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-rich-editor]").forEach(attach);
  });
})();
