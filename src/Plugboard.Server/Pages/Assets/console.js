// The console's only script: copy buttons. Loaded from this server (the CSP allows no inline script).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy-target]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copyTarget);
  if (!source) return;
  try {
    await navigator.clipboard.writeText(source.textContent.trim());
    button.textContent = "Copied";
  } catch {
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    button.textContent = "Selected: press Ctrl+C";
  }
});

// OAuth2 Connect. A form marked data-oauth-popup posts into a popup opened here, in the click (popup blockers allow
// that); its answer sends the popup to the provider, and /oauth/callback reports back to this page.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-oauth-popup]");
  if (!form || !form.target) return;
  const popup = window.open("", form.target, "popup,width=640,height=760");
  if (!popup) form.removeAttribute("target"); // blocked anyway: go to the provider in this tab
});

// The callback page: tell the window that opened it (only at the origin recorded when Connect was pressed), then close.
(() => {
  const result = document.querySelector("main[data-oauth-result]");
  if (!result || !window.opener) return;
  const data = result.dataset;
  const message = data.oauthResult === "connected"
    ? { type: "plugboard:connected", connection: { id: data.connectionId, name: data.connectionName } }
    : { type: "plugboard:connect-failed", message: data.message };
  window.opener.postMessage(message, data.notifyOrigin);
  if (data.oauthResult === "connected") setTimeout(() => window.close(), 400);
})();

// The page that pressed Connect: on the popup's word, show the page named by data-after-connect in place (no reload).
window.addEventListener("message", async (event) => {
  if (event.origin !== window.location.origin || !event.data || typeof event.data.type !== "string") return;
  const form = document.querySelector("form[data-after-connect]");
  const main = document.querySelector("main");
  if (!form || !main) return;
  const notice = document.createElement("p");
  if (event.data.type === "plugboard:connected") {
    const url = form.dataset.afterConnect;
    const answer = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    const next = new DOMParser().parseFromString(await answer.text(), "text/html").querySelector("main");
    if (!answer.ok || !next) return window.location.assign(url);
    main.replaceChildren(...next.childNodes);
    if (url !== window.location.pathname + window.location.search) history.pushState(null, "", url);
    notice.className = "notice";
    notice.setAttribute("role", "status");
    notice.textContent = `Connected “${event.data.connection?.name ?? ""}”.`;
  } else if (event.data.type === "plugboard:connect-failed") {
    notice.className = "error";
    notice.setAttribute("role", "alert");
    notice.textContent = `Not connected: ${event.data.message ?? "the provider's page reported an error."}`;
  } else {
    return;
  }
  main.querySelector(":scope > .connect-outcome")?.remove();
  notice.classList.add("connect-outcome");
  main.prepend(notice);
});

// The Connect popup's step between the console and the provider (see OAuthConnectForm.razor).
const consent = document.querySelector("a[data-oauth-go]");
if (consent) window.location.replace(consent.href);

// A filter box over a list of checkboxes (the projects a global connection is shared with): hides what does not match.
document.addEventListener("input", (event) => {
  const box = event.target.closest("input[data-filter-checks]");
  if (!box) return;
  const list = document.getElementById(box.dataset.filterChecks);
  const words = box.value.trim().toLowerCase();
  for (const label of list ? list.querySelectorAll("label") : []) {
    label.hidden = words.length > 0 && !label.textContent.toLowerCase().includes(words);
  }
});
