// Plugboard's embed SDK: the SaaS's page includes
//   <script src="https://<plugboard>/embed/plugboard-embed.js"></script>
// then calls
//   Plugboard.configure({ instanceUrl: "https://<plugboard>", getToken: async () => "<JWT your backend signed>" });
//   const { connection } = await Plugboard.connect({ pieceName: "@activepieces/piece-gelato", connectionName: "gelato_org_1" });
// connect() opens the Connect screen in a popup (call it in a click handler: popup blockers allow that), hands it the
// token by postMessage when the popup asks (never in a URL), and resolves {connection: {id, name}} (name is the
// connection's externalId) once connected, or {} when the user closes the popup.
(() => {
  "use strict";
  let settings = null;

  function configure(options) {
    if (!options || typeof options.instanceUrl !== "string" || typeof options.getToken !== "function") {
      throw new TypeError("Plugboard.configure needs { instanceUrl, getToken }.");
    }
    settings = { origin: new URL(options.instanceUrl).origin, getToken: options.getToken };
  }

  function connect(options) {
    if (!settings) return Promise.reject(new Error("Call Plugboard.configure({ instanceUrl, getToken }) first."));
    if (!options || (!options.pieceName && !options.definition)) {
      return Promise.reject(new TypeError("Plugboard.connect needs { pieceName } or { definition }."));
    }
    const query = new URLSearchParams();
    if (options.pieceName) query.set("pieceName", options.pieceName);
    if (options.connectionName) query.set("connectionName", options.connectionName);
    if (options.definition) query.set("definition", options.definition);
    // Opened now, in the click; the token is fetched while the popup loads.
    const popup = window.open(`${settings.origin}/embed/connect?${query}`, "plugboard-connect", "popup,width=520,height=720");
    if (!popup) return Promise.reject(new Error("The browser blocked the Connect popup: call Plugboard.connect in a click handler."));
    const token = Promise.resolve().then(() => settings.getToken());
    const origin = settings.origin;

    return new Promise((resolve) => {
      let done = false;
      const finish = (result) => {
        if (done) return;
        done = true;
        window.removeEventListener("message", onMessage);
        clearInterval(watch);
        resolve(result);
      };
      async function onMessage(event) {
        // Only the popup, and only from the Plugboard server's origin.
        if (event.source !== popup || event.origin !== origin || !event.data) return;
        if (event.data.type === "plugboard:ready") {
          let value = null;
          try {
            value = await token;
          } catch (error) {
            console.error("Plugboard: getToken() failed", error);
          }
          popup.postMessage({ type: "plugboard:token", token: typeof value === "string" ? value : "" }, origin);
        } else if (event.data.type === "plugboard:connected" && event.data.connection) {
          const { id, name } = event.data.connection;
          finish({ connection: { id, name } });
        }
      }
      window.addEventListener("message", onMessage);
      const watch = setInterval(() => {
        if (popup.closed) finish({});
      }, 300);
    });
  }

  window.Plugboard = Object.freeze({ configure, connect });
})();
