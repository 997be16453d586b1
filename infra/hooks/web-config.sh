#!/bin/sh
# azd predeploy hook of the `web` service (POSIX sh; web-config.ps1 is the same for Windows). Writes the web client's
# runtime configuration into the built client, dist/ of the service folder azd runs it in, just before azd uploads it
# to the Static Web App:
#   dist/config.json                what the client reads at start: the API's origin and Entra ID sign-in (MSAL);
#   dist/staticwebapp.config.json   how Static Web Apps serves it: index.html for every path that is not a file, and a
#                                   strict Content-Security-Policy that names exactly the origins the client talks to.
# predeploy, not postbuild or prepackage: `azd up` packages before it provisions, and these values are outputs of the
# provisioning (infra/main.bicep) and of the preprovision hook. Static Web Apps deploys the dist folder as it is then.
# Every value is checked for its shape first (an origin, a GUID), so nothing else can reach the JSON or the header.
set -eu

fail() {
  echo "Kanbatte web config: $*" >&2
  exit 1
}

dist=${1:-dist}
[ -f "$dist/index.html" ] ||
  fail "no built client in $(pwd)/$dist (index.html is missing): azd builds it with npm run build before deploying (azd deploy web)."

# An azd environment value, required: the provisioning writes it.
value() {
  eval "v=\${$1:-}"
  [ -n "$v" ] || fail "$1 is not set in the azd environment: run azd provision (or azd up) first."
  printf '%s' "$v"
}

# https://host[:port] and nothing else: no path, no quote, no space, no semicolon.
origin() {
  host=${2#https://}
  case "$2" in https://*) ;; *) fail "$1 is not an https origin: $2" ;; esac
  case "$host" in '' | *[!A-Za-z0-9.:-]*) fail "$1 is not an https origin (scheme and host only): $2" ;; esac
  printf '%s' "$2"
}

api=$(value API_ORIGIN)
api=$(origin API_ORIGIN "$api")
signalr=$(value AZURE_SIGNALR_ENDPOINT)
signalr=$(origin AZURE_SIGNALR_ENDPOINT "$signalr")
client_id=$(value KANBATTE_API_CLIENT_ID)
case "$client_id" in *[!0-9A-Fa-f-]*) fail "KANBATTE_API_CLIENT_ID is not a client id (a GUID): $client_id" ;; esac
[ ${#client_id} -eq 36 ] || fail "KANBATTE_API_CLIENT_ID is not a client id (a GUID): $client_id"
# The tenant's sign-in endpoint, e.g. https://login.microsoftonline.com/<tenant id>: MSAL calls its origin.
authority=$(value AUTH_AUTHORITY)
authority=${authority%/}
path=${authority#https://*/}
case "$path" in '' | "$authority" | *[!A-Za-z0-9._/-]*) fail "AUTH_AUTHORITY is not an https sign-in endpoint with a tenant: $authority" ;; esac
login=$(origin AUTH_AUTHORITY "${authority%/"$path"}")

# SignalR: the negotiate answer sends the client to the service itself, over WebSockets (wss) or, failing those,
# server-sent events and long polling (https).
connect="'self' $api $signalr wss://${signalr#https://} $login"
# As the self-hosted server's (src/Kanbatte.Server/WebClient.cs), with the connections the deployed client makes. No
# frame-src: MSAL renews tokens with the refresh token it keeps, never in a hidden frame (see src/Kanbatte.Web/src/auth-msal.ts).
csp="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src $connect; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"

cat > "$dist/config.json" <<EOF
{
  "apiBase": "$api",
  "auth": {
    "kind": "msal",
    "clientId": "$client_id",
    "authority": "$authority",
    "scopes": ["api://$client_id/access_as_user"]
  }
}
EOF

# The fallback leaves out what looks like a file, so a missing script is a 404 rather than the page as a script.
# Names that do not change with their content are asked again on every load (no-cache); chunks/ names carry a hash.
cat > "$dist/staticwebapp.config.json" <<EOF
{
  "navigationFallback": {
    "rewrite": "/index.html",
    "exclude": ["/chunks/*", "/*.{js,css,json,map,ico,png,svg,txt,webmanifest}"]
  },
  "routes": [
    { "route": "/chunks/*", "headers": { "Cache-Control": "public, max-age=31536000, immutable" } }
  ],
  "globalHeaders": {
    "Content-Security-Policy": "$csp",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache"
  }
}
EOF

echo "Kanbatte: the web client calls $api and signs in with $authority (client $client_id)."
