#!/bin/sh
# azd preprovision hook (POSIX sh; preprovision.ps1 is the same for Windows). Makes sure the API's Entra ID app
# registration exists and hands its ids to the Bicep through the azd environment (KANBATTE_API_CLIENT_ID,
# KANBATTE_AUTH_TENANT_ID, read by infra/main.parameters.json), so `azd up` stays one command.
# Idempotent: a later run finds the same registration and only adds what is missing. See infra/README.md.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
scope=access_as_user
admin_role=Kanbatte.Admin
# The Azure CLI's well-known client id, pre-authorized for the scope so an operator can get a token with `az`.
azure_cli=04b07795-8ddb-461a-bbee-02f9e1bf7b46

# A registration the operator brought (not made by this hook) is used as it is, without needing az.
if [ -n "${KANBATTE_API_CLIENT_ID:-}" ] && [ "${KANBATTE_API_REGISTRATION_MANAGED:-}" != "true" ]; then
  echo "Kanbatte: using the API app registration $KANBATTE_API_CLIENT_ID from KANBATTE_API_CLIENT_ID, unchanged."
  exit 0
fi

fail() {
  echo "Kanbatte preprovision: $*" >&2
  exit 1
}

command -v az >/dev/null 2>&1 ||
  fail "the Azure CLI (az) is needed to create the API's Entra ID app registration. Install it and run az login, or use an existing registration: azd env set KANBATTE_API_CLIENT_ID <client id> (and KANBATTE_AUTH_TENANT_ID <tenant id>)."
tenant=$(az account show --query tenantId -o tsv 2>/dev/null) ||
  fail "az is not signed in: run az login (into the tenant that should issue the API's tokens), or azd env set KANBATTE_API_CLIENT_ID <client id> of an existing registration."
if [ -n "${KANBATTE_AUTH_TENANT_ID:-}" ] && [ "$KANBATTE_AUTH_TENANT_ID" != "$tenant" ]; then
  fail "the registration lives in tenant $KANBATTE_AUTH_TENANT_ID but az is signed in to $tenant: az login --tenant $KANBATTE_AUTH_TENANT_ID."
fi

# Entra ID replicates a new object within seconds: a call right after its creation may not see it yet.
retry() {
  attempt=1
  until "$@"; do
    [ "$attempt" -lt 6 ] || return 1
    attempt=$((attempt + 1))
    sleep 10
  done
}

app_id=${KANBATTE_API_CLIENT_ID:-}
name="kanbatte-api-${AZURE_ENV_NAME:?azd sets AZURE_ENV_NAME}"
if [ -z "$app_id" ]; then
  # Made for this environment before (say the .azure folder was lost): found by its name, reused.
  found=$(az ad app list --display-name "$name" --query "[?displayName=='$name'].appId" -o tsv)
  case "$found" in
    *[!0-9a-f-]*) fail "several app registrations are named $name; choose one: azd env set KANBATTE_API_CLIENT_ID <client id>." ;;
    '') app_id=$(az ad app create --display-name "$name" --sign-in-audience AzureADMyOrg --query appId -o tsv)
        echo "Kanbatte: created the API app registration $name ($app_id)." ;;
    *) app_id=$found
       echo "Kanbatte: found the API app registration $name ($app_id)." ;;
  esac
  # Kept at once, so a run that stops below resumes with this registration instead of making another.
  azd env set KANBATTE_API_CLIENT_ID "$app_id"
  azd env set KANBATTE_API_REGISTRATION_MANAGED true
fi
azd env set KANBATTE_AUTH_TENANT_ID "$tenant"

object_id=$(retry az ad app show --id "$app_id" --query id -o tsv) ||
  fail "no app registration $app_id in tenant $tenant. To make a new one: azd env set KANBATTE_API_CLIENT_ID \"\"."
graph=$(az cloud show --query endpoints.microsoftGraphResourceId -o tsv)
application="${graph%/}/v1.0/applications/$object_id"
show() { az ad app show --id "$app_id" --query "$1" -o tsv; }

# The client id is the audience; api://<client id> only names the scope clients request.
if [ "$(show "contains(identifierUris, 'api://$app_id')")" != "true" ]; then
  az ad app update --id "$app_id" --identifier-uris "api://$app_id"
fi

# v2 access tokens (aud = client id, iss = .../<tenant>/v2.0), the delegated scope and the operator role.
if [ "$(show api.requestedAccessTokenVersion)" != "2" ] ||
   [ -z "$(show "api.oauth2PermissionScopes[?value=='$scope'].id")" ] ||
   [ -z "$(show "appRoles[?value=='$admin_role'].id")" ]; then
  az rest --method PATCH --uri "$application" --headers Content-Type=application/json --body "@$here/api-registration.json"
  echo "Kanbatte: set v2 tokens, the scope $scope and the app role $admin_role."
fi

# The service principal (enterprise application): what users sign in to and what app roles are assigned on.
if ! az ad sp show --id "$app_id" --query id -o tsv >/dev/null 2>&1; then
  retry az ad sp create --id "$app_id" --query id -o tsv >/dev/null
fi

# Pre-authorizing needs the scope saved first (a separate request).
if [ -z "$(show "api.preAuthorizedApplications[?appId=='$azure_cli'].appId")" ]; then
  retry az rest --method PATCH --uri "$application" --headers Content-Type=application/json --body "@$here/api-preauthorized.json"
fi

azd env set KANBATTE_API_SCOPE "api://$app_id/$scope"
echo "Kanbatte: tokens from tenant $tenant for the API $app_id; clients request the scope api://$app_id/$scope."
