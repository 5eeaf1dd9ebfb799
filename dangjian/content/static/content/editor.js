// dangjian — the content editor: Quill 2 for the text (only the formats the server's sanitizer
// keeps), pictures uploaded to the server and inserted by their URL (never as data: URLs), the
// section's own fields and columns, and the audience. The form posts the text's HTML in the
// hidden field "body"; the server sanitizes it again (dangjian/lib/richtext.py).
(function () {
  "use strict";

  var form = document.getElementById("item-form");
  if (!form) return;
  var labels = {};
  try {
    labels = JSON.parse(document.getElementById("editor-labels").textContent);
  } catch (e) { /* the English defaults of quill.snow.css stay */ }

  // -- The section: its columns and its own fields -------------------------------------------
  var section = form.querySelector("[name=section]");
  var column = form.querySelector("[name=category]");
  var notify = form.querySelector("[name=send_notification]");
  var notifyTouched = false;
  if (notify) notify.addEventListener("change", function () { notifyTouched = true; });

  function syncSection(initial) {
    var value = section.value;
    form.querySelectorAll("[data-for-sections]").forEach(function (el) {
      el.hidden = el.dataset.forSections.split(" ").indexOf(value) === -1;
    });
    if (column) {
      Array.prototype.forEach.call(column.options, function (option) {
        var other = option.dataset.section && option.dataset.section !== value;
        option.hidden = !!other;
        option.disabled = !!other;
        if (other && option.selected) column.value = "";
      });
    }
    if (!initial && notify && !notifyTouched) notify.checked = value === "notice";
  }
  if (section) {
    section.addEventListener("change", function () { syncSection(false); });
    syncSection(true);
  }

  // -- The audience ------------------------------------------------------------------------------
  var targetsBox = document.getElementById("targets-box");
  function syncAudience() {
    var chosen = form.querySelector("[name=audience]:checked");
    if (targetsBox) targetsBox.hidden = !chosen || chosen.value === "all";
  }
  form.querySelectorAll("[name=audience]").forEach(function (radio) {
    radio.addEventListener("change", syncAudience);
  });
  syncAudience();

  // -- Publish now, or schedule ---------------------------------------------------------------------
  var publishButton = document.getElementById("publish-button");
  var publishAt = form.querySelector("[name=publish_at]");
  function syncPublish() {
    if (!publishButton || !publishAt) return;
    var later = publishAt.value && new Date(publishAt.value) > new Date();
    publishButton.querySelector("span").textContent =
      later ? publishButton.dataset.labelLater : publishButton.dataset.labelNow;
  }
  if (publishAt) publishAt.addEventListener("input", syncPublish);
  syncPublish();

  // -- The text ------------------------------------------------------------------------------
  var area = document.getElementById("editor-area");
  var hidden = document.getElementById("id_body");
  var status = document.getElementById("editor-status");
  if (!area || !hidden || !window.Quill) return;
  var box = document.getElementById("editor-box");
  var uploadUrl = form.dataset.uploadUrl;
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var quill;

  [["visit", "--dj-ql-visit"], ["enter", "--dj-ql-enter"], ["edit", "--dj-ql-edit"],
    ["remove", "--dj-ql-remove"], ["save", "--dj-ql-save"]].forEach(function (pair) {
    if (labels[pair[0]]) box.style.setProperty(pair[1], JSON.stringify(labels[pair[0]]));
  });

  function say(text, isError) {
    status.textContent = text || "";
    status.classList.toggle("is-error", !!isError);
  }

  function uploadPicture(file, index) {
    var data = new FormData();
    data.append("file", file);
    data.append("kind", "image");
    say(labels.uploading);
    return fetch(uploadUrl, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": csrf },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok || !answer.url) throw new Error(answer.error || labels.failed);
        quill.insertEmbed(index, "image", answer.url, "user");
        quill.setSelection(index + 1, 0, "silent");
        say(labels.uploaded);
      });
    }).catch(function (error) {
      say(error.message || labels.failed, true);
    });
  }

  function choosePicture() {
    var input = document.createElement("input");
    input.type = "file";
    input.accept = "image/jpeg,image/png,image/gif,image/webp";
    input.addEventListener("change", function () {
      if (!input.files || !input.files[0]) return;
      var range = quill.getSelection(true);
      uploadPicture(input.files[0], range ? range.index : quill.getLength());
    });
    input.click();
  }

  quill = new window.Quill(area, {
    theme: "snow",
    placeholder: area.dataset.placeholder || "",
    // The formats richtext.ALLOWED_TAGS keeps; anything else pasted in is dropped here too.
    formats: ["header", "bold", "italic", "underline", "strike", "list", "blockquote", "link", "image"],
    modules: {
      toolbar: { container: "#editor-toolbar", handlers: { image: choosePicture } },
      // Pasted or dropped pictures go to the server like chosen ones.
      uploader: {
        mimetypes: ["image/jpeg", "image/png", "image/gif", "image/webp"],
        handler: function (range, files) {
          var index = range ? range.index : quill.getLength();
          files.reduce(function (done, file) {
            return done.then(function () { return uploadPicture(file, index++); });
          }, Promise.resolve());
        },
      },
    },
  });
  quill.root.setAttribute("aria-labelledby", "body-label");
  quill.root.setAttribute("aria-multiline", "true");
  quill.root.setAttribute("role", "textbox");
  var link = box.querySelector(".ql-tooltip input[data-link]");
  if (link) link.setAttribute("data-link", "https://");

  function html() {
    var images = quill.root.querySelector("img");
    if (!quill.getText().trim() && !images) return "";
    // Quill 2.0.3's semantic HTML writes every space as &nbsp;, which stops lines wrapping.
    return quill.getSemanticHTML().replace(/&nbsp;/g, " ");
  }

  var changed = false;
  quill.on("text-change", function () {
    changed = true;
    hidden.value = html();
  });
  form.addEventListener("input", function () { changed = true; });
  form.addEventListener("submit", function () {
    hidden.value = html();
    changed = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (!changed) return;
    event.preventDefault();
    event.returnValue = labels.leave || "";
  });
})();
