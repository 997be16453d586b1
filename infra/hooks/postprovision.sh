#!/bin/sh
# azd postprovision hook (POSIX sh; postprovision.ps1 is the same for Windows). Lets the web client sign users in: the
# client signs in to the API's own app registration as a single-page application (MSAL, authorization code with PKCE),
# so its address, https://<Static Web App host>/, must be one of the registration's SPA redirect URIs. Entra ID sends
# the authorization code nowhere else, and lets only those origins redeem it from a browser.
# On a registration the preprovision hook made (KANBATTE_API_REGISTRATION_MANAGED=true) it adds the URI, keeping the
# ones there; on one the operator brought it changes nothing and says what to add. Idempotent. See infra/README.md.
set -eu

fail() {
  echo "Kanbatte postprovision: $*" >&2
  exit 1
}

web=${WEB_BASE_URL:-}
app_id=${KANBATTE_API_CLIENT_ID:-}
[ -n "$web" ] || fail "WEB_BASE_URL is not set: the provisioning (infra/main.bicep) outputs it."
[ -n "$app_id" ] || fail "KANBATTE_API_CLIENT_ID is not set: the preprovision hook sets it."
case "${web#https://}" in "$web" | '' | *[!A-Za-z0-9.:-]*) fail "WEB_BASE_URL is not an https origin: $web" ;; esac
case "$app_id" in *[!0-9A-Fa-f-]*) fail "KANBATTE_API_CLIENT_ID is not a client id (a GUID): $app_id" ;; esac
# MSAL's redirectUri is the page's origin and "/" (src/Kanbatte.Web/src/auth-msal.ts); Entra ID compares it exactly.
uri="$web/"

if [ "${KANBATTE_API_REGISTRATION_MANAGED:-}" != "true" ]; then
  echo "Kanbatte: the web client signs in at $uri. The API app registration $app_id was brought, so it is left as it is:"
  echo "  add $uri as a redirect URI of the platform \"Single-page application\" (Entra admin center: App registrations,"
  echo "  $app_id, Authentication), once. Until then, signing in from the web client fails with AADSTS50011."
  exit 0
fi

command -v az >/dev/null 2>&1 ||
  fail "the Azure CLI (az) is needed to add $uri to the app registration $app_id as a single-page application redirect URI."
object_id=$(az ad app show --id "$app_id" --query id -o tsv) ||
  fail "could not read the app registration $app_id: az login (into its tenant), then azd provision again."

# One per line; Entra ID keeps them in the order given.
existing=$(az ad app show --id "$app_id" --query spa.redirectUris -o tsv)
if printf '%s\n' "$existing" | grep -Fqx -- "$uri"; then
  echo "Kanbatte: the web client's sign-in address $uri is already a redirect URI of $app_id."
  exit 0
fi

# The whole list is sent (Graph replaces it): the ones there, JSON-escaped, then this one.
body=$(mktemp "${TMPDIR:-/tmp}/kanbatte-spa.XXXXXX")
trap 'rm -f "$body"' EXIT
{
  printf '{ "spa": { "redirectUris": ['
  printf '%s\n' "$existing" | while IFS= read -r known; do
    [ -z "$known" ] || printf '"%s", ' "$(printf '%s' "$known" | sed 's/[\\"]/\\&/g')"
  done
  printf '"%s"] } }\n' "$uri"
} > "$body"
graph=$(az cloud show --query endpoints.microsoftGraphResourceId -o tsv)
az rest --method PATCH --uri "${graph%/}/v1.0/applications/$object_id" --headers Content-Type=application/json --body "@$body"
echo "Kanbatte: added $uri to the app registration $app_id as a single-page application redirect URI."
