// The Connect popup's only script (served from this server: the CSP allows no inline script).
// 1. /embed/connect: ask the window that opened this one for the user's token, take it only from that window, and
//    trade it (with the origin the browser reports for that window) for this popup's session cookie. The token goes in
//    a POST body, never in a URL.
// 2. /embed/connect/form, once connected: tell the opener (only at the origin checked at the hand-over), then close.
(() => {
  const handover = document.getElementById("embed-handover");
  if (handover) {
    const status = document.getElementById("embed-status");
    const fail = (text) => {
      status.textContent = text;
      status.className = "error";
      status.setAttribute("role", "alert");
      status.id = "embed-refused";
    };
    if (!window.opener) {
      fail("This window opens from your app's Connect button. Close it and click Connect there.");
      return;
    }
    let started = false;
    window.addEventListener("message", async (event) => {
      if (started || event.source !== window.opener || !event.data || event.data.type !== "plugboard:token") return;
      started = true;
      if (typeof event.data.token !== "string" || event.data.token.length === 0) {
        fail("Your app did not send a sign-in for this window. Close it and try again.");
        return;
      }
      try {
        const answer = await fetch(handover.dataset.session, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ token: event.data.token, origin: event.origin }),
        });
        if (answer.ok) {
          window.location.replace(handover.dataset.next);
          return;
        }
        const error = await answer.json().catch(() => null);
        fail(`Not signed in: ${error?.params?.message ?? error?.detail ?? "the sign-in was refused."}`);
      } catch {
        fail("Not signed in: the server could not be reached.");
      }
    });
    // Nothing secret in it, so any origin may hear it; the opener's SDK checks it comes from this server.
    window.opener.postMessage({ type: "plugboard:ready" }, "*");
    return;
  }

  const result = document.getElementById("embed-result");
  if (result && window.opener) {
    const data = result.dataset;
    window.opener.postMessage({ type: "plugboard:connected", connection: { id: data.connectionId, name: data.connectionName } }, data.origin);
    setTimeout(() => window.close(), 300);
  }
})();

// 3. An OAuth2 Connect: the step between this screen and the provider's sign-in page (see EmbedConnectForm.razor).
(() => {
  const consent = document.querySelector("a[data-oauth-go]");
  if (consent) window.location.replace(consent.href);
})();
