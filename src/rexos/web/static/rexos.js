// RexOS pages: progressive enhancement only. Every form works without this file (the
// server renders the answer); with it, a form marked data-enhance="ID" is sent with fetch
// and only the element #ID of the page it returns is swapped in.
"use strict";
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.enhance) return;
  const target = document.getElementById(form.dataset.enhance);
  if (!target) return;
  event.preventDefault();
  const buttons = form.querySelectorAll("button");
  buttons.forEach((b) => { b.setAttribute("aria-busy", "true"); b.disabled = true; });
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
    });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById(form.dataset.enhance);
    if (!fresh) { form.submit(); return; }
    target.replaceChildren(...fresh.childNodes);
    const asked = form.querySelector("input[name=question]");
    const field = document.getElementById("question");
    if (asked && field && asked !== field) field.value = asked.value;
  } catch (_error) {
    form.submit();
  } finally {
    buttons.forEach((b) => { b.removeAttribute("aria-busy"); b.disabled = false; });
  }
});
