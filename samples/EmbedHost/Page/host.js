// The SaaS page's side of the embed: configure once with a getToken that asks this page's own backend, then connect in
// a click handler (so the browser allows the popup).
(() => {
  const body = document.body;
  Plugboard.configure({
    instanceUrl: body.dataset.plugboardUrl,
    getToken: async () => {
      const answer = await fetch("/token", { credentials: "same-origin" });
      if (!answer.ok) throw new Error(`GET /token answered ${answer.status}`);
      return (await answer.json()).token;
    },
  });
  const result = document.getElementById("result");
  document.getElementById("connect-gelato").addEventListener("click", async () => {
    result.textContent = "Connecting…";
    try {
      const outcome = await Plugboard.connect({ pieceName: "@activepieces/piece-gelato", connectionName: body.dataset.connectionName });
      result.textContent = JSON.stringify(outcome);
    } catch (error) {
      result.textContent = `Error: ${error.message}`;
    }
  });
})();
