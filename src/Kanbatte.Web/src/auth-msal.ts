import type { AuthConfig } from "./config";
import type { Auth } from "./auth";

/** Sign-in with Entra ID through MSAL (authorization code with PKCE). Not available in this build yet. */
export async function msalAuth(config: Extract<AuthConfig, { kind: "msal" }>): Promise<Auth> {
  throw new Error(`Sign-in with Entra ID (client ${config.clientId}) is not part of this build.`);
}
