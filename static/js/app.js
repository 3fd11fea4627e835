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
