# azd predeploy hook of the `web` service (PowerShell; web-config.sh is the same for Linux and macOS). Writes the web
# client's runtime configuration into the built client, dist/ of the service folder azd runs it in, just before azd
# uploads it to the Static Web App:
#   dist/config.json                what the client reads at start: the API's origin and Entra ID sign-in (MSAL);
#   dist/staticwebapp.config.json   how Static Web Apps serves it: index.html for every path that is not a file, and a
#                                   strict Content-Security-Policy that names exactly the origins the client talks to.
# predeploy, not postbuild or prepackage: `azd up` packages before it provisions, and these values are outputs of the
# provisioning (infra/main.bicep) and of the preprovision hook. Static Web Apps deploys the dist folder as it is then.
# Every value is checked for its shape first (an origin, a GUID), so nothing else can reach the JSON or the header.
param([string] $dist = 'dist')
$ErrorActionPreference = 'Stop'

function Stop-Hook([string] $message) {
    [Console]::Error.WriteLine("Kanbatte web config: $message")
    exit 1
}

if (-not (Test-Path -PathType Leaf (Join-Path $dist 'index.html'))) {
    Stop-Hook "no built client in $(Join-Path (Get-Location) $dist) (index.html is missing): azd builds it with npm run build before deploying (azd deploy web)."
}

# An azd environment value, required: the provisioning writes it.
function Get-Value([string] $name) {
    $v = [Environment]::GetEnvironmentVariable($name)
    if (-not $v) { Stop-Hook "$name is not set in the azd environment: run azd provision (or azd up) first." }
    return $v
}

# https://host[:port] and nothing else: no path, no quote, no space, no semicolon.
function Test-Origin([string] $name, [string] $value) {
    if ($value -cnotmatch '^https://[A-Za-z0-9.:-]+$') { Stop-Hook "$name is not an https origin (scheme and host only): $value" }
    return $value
}

$api = Test-Origin API_ORIGIN (Get-Value API_ORIGIN)
$signalr = Test-Origin AZURE_SIGNALR_ENDPOINT (Get-Value AZURE_SIGNALR_ENDPOINT)
$clientId = Get-Value KANBATTE_API_CLIENT_ID
if ($clientId -cnotmatch '^[0-9A-Fa-f-]{36}$') { Stop-Hook "KANBATTE_API_CLIENT_ID is not a client id (a GUID): $clientId" }
# The tenant's sign-in endpoint, e.g. https://login.microsoftonline.com/<tenant id>: MSAL calls its origin.
$authority = (Get-Value AUTH_AUTHORITY).TrimEnd('/')
if ($authority -cmatch '^(https://[A-Za-z0-9.:-]+)/[A-Za-z0-9._/-]+$') { $login = $Matches[1] }
else { Stop-Hook "AUTH_AUTHORITY is not an https sign-in endpoint with a tenant: $authority" }

# SignalR: the negotiate answer sends the client to the service itself, over WebSockets (wss) or, failing those,
# server-sent events and long polling (https).
$connect = "'self' $api $signalr wss://$($signalr.Substring('https://'.Length)) $login"
# As the self-hosted server's (src/Kanbatte.Server/WebClient.cs), with the connections the deployed client makes. No
# frame-src: MSAL renews tokens with the refresh token it keeps, never in a hidden frame (see src/Kanbatte.Web/src/auth-msal.ts).
$csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src $connect; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"

# UTF-8 without a byte order mark, \n line ends: the same bytes as the sh hook writes.
function Write-Text([string] $path, [string] $text) {
    $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($path)
    [IO.File]::WriteAllText($full, ($text -replace "`r`n", "`n") + "`n", [Text.UTF8Encoding]::new($false))
}

Write-Text (Join-Path $dist 'config.json') @"
{
  "apiBase": "$api",
  "auth": {
    "kind": "msal",
    "clientId": "$clientId",
    "authority": "$authority",
    "scopes": ["api://$clientId/access_as_user"]
  }
}
"@

# The fallback leaves out what looks like a file, so a missing script is a 404 rather than the page as a script.
# Names that do not change with their content are asked again on every load (no-cache); chunks/ names carry a hash.
Write-Text (Join-Path $dist 'staticwebapp.config.json') @"
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
"@

Write-Host "Kanbatte: the web client calls $api and signs in with $authority (client $clientId)."
