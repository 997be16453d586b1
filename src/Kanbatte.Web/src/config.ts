/** Where the API is and how users sign in: the host serves /config.json (the self-hosted server writes its own). */
export type AuthConfig =
  | { kind: "token"; hint: string } // the self-hosted server: a token in a sign-in link (#token=...), e.g. the one it prints
  | { kind: "msal"; clientId: string; authority: string; scopes: string[] }; // Entra ID, authorization code with PKCE

export interface Config {
  /** The API's base, without /api: "" for the page's own origin. */
  apiBase: string;
  auth: AuthConfig;
}

export async function loadConfig(): Promise<Config> {
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`The client's configuration (/config.json) could not be read: ${response.status}.`);
  return (await response.json()) as Config;
}
