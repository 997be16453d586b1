import { render } from "preact";
import { Api } from "./api";
import { App } from "./app";
import { createAuth } from "./auth";
import { loadConfig } from "./config";

async function start() {
  const root = document.getElementById("app")!;
  try {
    const config = await loadConfig();
    const auth = await createAuth(config.auth);
    const api = new Api(config.apiBase, () => auth.token(), () => window.dispatchEvent(new Event("kanbatte:unauthorized")));
    root.textContent = ""; // the page's "Loading…" placeholder
    render(<App api={api} auth={auth} />, root);
  } catch (e) {
    root.textContent = "";
    render(<p class="error" role="alert">{e instanceof Error ? e.message : String(e)}</p>, root);
  }
}

void start();
