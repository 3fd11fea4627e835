// Similar proposals, refreshed while a proposer types a title and a description.
(function () {
  "use strict";
  const box = document.querySelector("[data-similar-url]");
  if (!box) return;
  const title = document.querySelector("[data-similar-title]");
  const description = document.querySelector("[data-similar-description]");
  let timer = null;
  let lastQuery = "";

  function refresh() {
    const params = new URLSearchParams({
      title: title ? title.value : "",
      description: description ? description.value : "",
      // Editing a proposal: it is not a similar effort to itself.
      exclude: (description && description.dataset.similarExclude) || "",
    });
    const query = params.toString();
    if (query === lastQuery) return;
    lastQuery = query;
    fetch(box.dataset.similarUrl + "?" + query, {
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    })
      .then((response) => (response.ok ? response.text() : Promise.reject(response)))
      .then((html) => { box.innerHTML = html; })
      .catch(() => { /* The form works without suggestions; stay quiet. */ });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  }

  [title, description].forEach((field) => field && field.addEventListener("input", schedule));
  if ((title && title.value) || (description && description.value)) refresh();
})();

// A UMS pathway always has every level: tick them all and lock them while it is chosen.
(function () {
  "use strict";
  const kinds = document.querySelectorAll("input[name=credential_type]");
  const levels = document.querySelectorAll("input[name=intended_levels]");
  if (!kinds.length || !levels.length) return;

  function sync() {
    const pathway = document.querySelector("input[name=credential_type][value=pathway]");
    const locked = pathway && pathway.checked;
    levels.forEach((box) => {
      if (locked) box.checked = true;
      box.disabled = locked;
    });
  }

  kinds.forEach((radio) => radio.addEventListener("change", sync));
  sync();
})();

// The framework check beside the meta-data editor, refreshed while the team types.
(function () {
  "use strict";
  const form = document.getElementById("template-form");
  const panel = document.getElementById("framework-check");
  if (!form || !panel || !form.dataset.checkUrl) return;
  let timer = null;

  function refresh() {
    fetch(form.dataset.checkUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then((response) => (response.ok ? response.text() : Promise.reject(response)))
      .then((html) => { panel.innerHTML = html; })
      .catch(() => { /* The check also runs on every save. */ });
  }

  form.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 700);
  });
  form.addEventListener("change", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 300);
  });
})();

// The editor's other forms (a reply, resolving a comment, an image, a new badge) load
// the page again: ask before that drops what was typed in the template and not saved.
(function () {
  "use strict";
  const form = document.getElementById("template-form");
  if (!form) return;
  let unsaved = false;
  form.addEventListener("input", () => { unsaved = true; });
  form.addEventListener("change", () => { unsaved = true; });
  form.addEventListener("submit", () => { unsaved = false; });
  document.addEventListener("submit", (event) => {
    if (!unsaved || event.target === form) return;
    const leave = window.confirm(
      "You have changes in the template that are not saved. They are lost if you go on: "
      + "choose Cancel, then save them first."
    );
    if (!leave) event.preventDefault();
  }, true);
})();

// In a merge conflict, copy the other person's saved text into the field.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-use-theirs]");
  if (!button) return;
  const field = document.getElementById(button.dataset.useTheirs);
  if (field) {
    field.value = button.dataset.value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.focus();
  }
});

// Printable agenda: a button instead of an inline handler.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// The invitation form's people lookup: find accounts by name, add several; without
// JavaScript the form takes email addresses alone.
(function () {
  "use strict";
  const box = document.querySelector("[data-people-url]");
  if (!box) return;
  box.hidden = false;
  const input = box.querySelector("input[type=search]");
  const results = box.querySelector("[data-people-results]");
  const chosen = box.querySelector("[data-people-chosen]");
  let timer = null;

  function chosenIds() {
    return Array.from(chosen.querySelectorAll("input[name=people]"), (i) => i.value);
  }

  function search() {
    const query = input.value.trim();
    fetch(box.dataset.peopleUrl + "?" + new URLSearchParams({ q: query }), {
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    })
      .then((response) => (response.ok ? response.text() : Promise.reject(response)))
      .then((html) => { results.innerHTML = html; })
      .catch(() => { results.textContent = ""; });
  }

  function add(id, name) {
    if (chosenIds().includes(id)) return;
    const item = document.createElement("li");
    item.className = "list-inline-item badge text-bg-primary fs-6 fw-normal mb-1";
    const hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "people";
    hidden.value = id;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn-close btn-close-white btn-sm";
    remove.dataset.peopleRemove = "";
    remove.setAttribute("aria-label", "Remove " + name);
    item.append(hidden, name + " ", remove);
    chosen.append(item);
  }

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 300);
  });
  // Enter in the lookup searches; it must not send the invitation half-filled.
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); search(); }
  });
  results.addEventListener("click", (event) => {
    const button = event.target.closest("[data-people-add]");
    if (!button) return;
    add(button.dataset.peopleAdd, button.dataset.peopleName);
    button.closest("li").remove();
    input.focus();
  });
  chosen.addEventListener("click", (event) => {
    if (event.target.matches("[data-people-remove]")) event.target.closest("li").remove();
  });
})();

// Review comments on a submitted draft, made in place: a field's "Comment" link opens
// the form in that field, and the form posts the same fields the page would, then
// shows the saved comment without leaving the page. Without script the link opens
// the form by loading the page, and the form posts and comes back as usual.
(function () {
  "use strict";
  const template = document.getElementById("comment-form-template");
  if (!template) return;
  const status = document.getElementById("comment-status");

  function open(link) {
    const slot = link.closest(".comment-slot");
    const form = template.content.firstElementChild.cloneNode(true);
    const anchor = slot.dataset.badge + "-" + slot.dataset.field;
    form.elements.field.value = slot.dataset.field;
    form.elements.badge.value = slot.dataset.badge;
    const body = form.elements.body;
    const error = form.querySelector("[data-comment-error]");
    body.id = "c-" + anchor;
    error.id = "e-" + anchor;
    body.setAttribute("aria-describedby", error.id);
    form.querySelector("label").htmlFor = body.id;
    link.hidden = true;
    slot.appendChild(form);
    body.focus();
  }

  function close(form) {
    const slot = form.closest(".comment-slot");
    const link = slot.querySelector("[data-comment-open]");
    form.remove();
    if (link) {
      link.hidden = false;
      link.focus();
    }
  }

  function refuse(form, message) {
    const error = form.querySelector("[data-comment-error]");
    error.textContent = message;
    error.hidden = false;
    form.elements.body.classList.add("is-invalid");
    form.elements.body.focus();
  }

  // The page's own confirmations (forward, request revisions) list the open comments
  // and forwarding asks to confirm them: after a comment they are taken anew from the
  // server, keeping what was typed in them and whether each was open.
  function refreshDecisions() {
    const shown = document.querySelectorAll("details.confirm-inline");
    if (!shown.length) return;
    fetch(window.location.href, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(response)))
      .then((html) => {
        const page = new DOMParser().parseFromString(html, "text/html");
        const fresh = page.querySelectorAll("details.confirm-inline");
        if (fresh.length !== shown.length) return;
        shown.forEach((old, index) => {
          const next = document.importNode(fresh[index], true);
          next.open = old.open;
          old.querySelectorAll("textarea[name], input[type=text][name], input[type=date][name]").forEach((field) => {
            const twin = next.querySelector(`[name="${CSS.escape(field.name)}"]`);
            if (twin) twin.value = field.value;
          });
          old.replaceWith(next);
        });
      })
      .catch(() => { /* The server still checks what was seen when forwarding. */ });
  }

  function submit(form) {
    const button = form.querySelector("[type=submit]");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    })
      .then((response) =>
        response.json().then(
          (data) => ({ ok: response.ok, status: response.status, data }),
          () => ({ ok: false, status: response.status, data: {} }),
        ),
      )
      .then(({ ok, status: code, data }) => {
        if (!ok || data.error) {
          // 403: the session changed hands since the page was loaded; the text
          // stays in the box either way.
          const reason = data.error || (code === 403
            ? "The comment was not saved: you may no longer comment here. Reload the page."
            : "The comment was not saved; try again.");
          refuse(form, reason);
          return;
        }
        const slot = form.closest(".comment-slot");
        slot.insertAdjacentHTML("beforebegin", data.html);
        if (status) status.textContent = "Comment added; the team sees it beside the field.";
        close(form);
        refreshDecisions();
      })
      .catch(() => refuse(form, "The server could not be reached; your text is still here. Try again."))
      .finally(() => { button.disabled = false; });
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-comment-open]");
    if (link) {
      event.preventDefault();
      open(link);
      return;
    }
    // A form the page was loaded with has no link to go back to: its Cancel loads.
    const cancel = event.target.closest("[data-comment-cancel]");
    const slot = cancel && cancel.closest(".comment-slot");
    if (slot && slot.querySelector("[data-comment-open]")) {
      event.preventDefault();
      close(cancel.closest("[data-comment-form]"));
    }
  });

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("[data-comment-form]");
    if (!form) return;
    event.preventDefault();
    if (!form.elements.body.value.trim()) {
      refuse(form, "Write a comment first.");
      return;
    }
    submit(form);
  });
})();

// An award import's progress, followed by polling its small JSON endpoint (without
// JavaScript the page reloads itself every few seconds); the finished page replaces it.
(function () {
  "use strict";
  const panel = document.getElementById("import-progress");
  if (!panel || panel.dataset.finished === "true") return;
  const bar = panel.querySelector("progress");
  const issued = panel.querySelector("[data-progress-issued]");
  const label = panel.querySelector("[data-progress-label]");

  function poll() {
    fetch(panel.dataset.progressUrl, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response)))
      .then((progress) => {
        if (progress.finished) {
          window.location.reload();
          return;
        }
        bar.max = progress.total;
        bar.value = progress.issued;
        bar.textContent = `${progress.percent} %`;
        issued.textContent = progress.issued;
        label.textContent = progress.label;
        window.setTimeout(poll, 1500);
      })
      .catch(() => window.setTimeout(poll, 5000));
  }

  window.setTimeout(poll, 1000);
})();

// An attachment over the size cap is refused before it is sent; without JavaScript
// the server refuses it, having stopped reading it at the cap.
(function () {
  const input = document.querySelector("input[type=file][data-max-bytes]");
  if (!input) return;
  input.addEventListener("change", function () {
    const file = input.files[0];
    const tooLarge = file && file.size > Number(input.dataset.maxBytes);
    input.setCustomValidity(tooLarge ? input.dataset.tooLarge : "");
    input.reportValidity();
  });
})();
