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
