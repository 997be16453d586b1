import {
  AuthError,
  BrowserCacheLocation,
  CacheLookupPolicy,
  InteractionRequiredAuthError,
  PublicClientApplication,
} from "@azure/msal-browser";
import type { AuthConfig } from "./config";
import type { Auth } from "./auth";

/** MSAL's answers after which only signing in again helps: no refresh token, or one expired or revoked. */
const signInAgain = new Set(["no_account_error", "no_tokens_found", "refresh_token_expired", "token_refresh_required", "invalid_grant"]);

/**
 * Sign-in with Entra ID through MSAL: authorization code with PKCE, by redirecting the whole page (no popup, no frame,
 * so the Content-Security-Policy allows no frame at all). Tokens are kept for this tab only (sessionStorage). Access
 * tokens are renewed with the refresh token MSAL holds; once that has expired (24 hours for a single-page app) the
 * user signs in again with the button, which takes one round trip to Entra ID while its session lasts.
 * The redirect URI is this origin's "/": the deployment registers it (infra/hooks/postprovision.sh).
 */
export async function msalAuth(config: Extract<AuthConfig, { kind: "msal" }>): Promise<Auth> {
  const home = `${location.origin}/`;
  const msal = new PublicClientApplication({
    auth: { clientId: config.clientId, authority: config.authority, redirectUri: home, postLogoutRedirectUri: home },
    cache: { cacheLocation: BrowserCacheLocation.SessionStorage },
  });
  await msal.initialize();

  // Back from Entra ID: MSAL redeems the code with the PKCE verifier it kept, then returns to the page that asked.
  let failed: string | null = null;
  try {
    const back = await msal.handleRedirectPromise();
    if (back) msal.setActiveAccount(back.account);
  } catch (e) {
    failed = e instanceof AuthError ? e.errorCode : String(e);
  }
  const account = () => msal.getActiveAccount() ?? msal.getAllAccounts()[0] ?? null;

  return {
    async token() {
      const signedIn = account();
      if (!signedIn) return null;
      try {
        // From the cache, else with the refresh token; never in a hidden frame.
        const result = await msal.acquireTokenSilent({
          scopes: config.scopes,
          account: signedIn,
          cacheLookupPolicy: CacheLookupPolicy.AccessTokenAndRefreshToken,
        });
        return result.accessToken;
      } catch (e) {
        if (e instanceof InteractionRequiredAuthError || (e instanceof AuthError && signInAgain.has(e.errorCode))) return null;
        throw e;
      }
    },
    async signIn() {
      await msal.loginRedirect({ scopes: config.scopes });
    },
    async signOut() {
      const signedIn = account();
      // Ends the Entra ID session too (a shared computer), then comes back here.
      if (signedIn) await msal.logoutRedirect({ account: signedIn });
      else await msal.clearCache();
    },
    signInHint: failed
      ? `Signing in did not complete (${failed}). Sign in to try again.`
      : "Sign in with your organization's Microsoft account.",
  };
}
