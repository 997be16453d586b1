import type { AuthConfig } from "./config";

/**
 * Who the user is to the API: a bearer token. With the self-hosted server's own issuer the token arrives in the
 * sign-in link (#token=...): it is taken out of the address bar at once (so it is neither bookmarked nor shared by
 * accident) and kept for this tab only (sessionStorage), until sign-out. With Entra ID, MSAL signs in and refreshes.
 */
export interface Auth {
  /** The token to send, or null when nobody is signed in. */
  token(): Promise<string | null>;
  signOut(): Promise<void>;
  /** Where to send someone who is not signed in (a sign-in page or a hint). */
  readonly signInHint: string;
  signIn?(): Promise<void>;
}

const key = "kanbatte.token";

export function tokenAuth(hint: string): Auth {
  const hash = new URLSearchParams(location.hash.slice(1));
  const fromLink = hash.get("token");
  if (fromLink) {
    sessionStorage.setItem(key, fromLink);
    hash.delete("token");
    const rest = hash.toString();
    history.replaceState(history.state, "", location.pathname + location.search + (rest ? `#${rest}` : ""));
  }
  return {
    token: async () => sessionStorage.getItem(key),
    signOut: async () => sessionStorage.removeItem(key),
    signInHint: hint,
  };
}

export async function createAuth(config: AuthConfig): Promise<Auth> {
  if (config.kind === "token") return tokenAuth(config.hint);
  // Fetched only where Entra ID is configured: MSAL is the largest part of the client.
  const { msalAuth } = await import("./auth-msal");
  return msalAuth(config);
}
