# azd postprovision hook (PowerShell; postprovision.sh is the same for Linux and macOS). Lets the web client sign users
# in: the client signs in to the API's own app registration as a single-page application (MSAL, authorization code
# with PKCE), so its address, https://<Static Web App host>/, must be one of the registration's SPA redirect URIs.
# Entra ID sends the authorization code nowhere else, and lets only those origins redeem it from a browser.
# On a registration the preprovision hook made (KANBATTE_API_REGISTRATION_MANAGED=true) it adds the URI, keeping the
# ones there; on one the operator brought it changes nothing and says what to add. Idempotent. See infra/README.md.
$ErrorActionPreference = 'Stop'

function Stop-Hook([string] $message) {
    [Console]::Error.WriteLine("Kanbatte postprovision: $message")
    exit 1
}

# Runs az; $null when it fails (a native command does not throw), else its output. Not named az: PowerShell names
# are case-insensitive, and a function would shadow the command it calls.
function Invoke-Az {
    $output = & az @args
    if ($LASTEXITCODE -ne 0) { return $null }
    return ($output -join "`n").Trim()
}

$web = $env:WEB_BASE_URL
$appId = $env:KANBATTE_API_CLIENT_ID
if (-not $web) { Stop-Hook 'WEB_BASE_URL is not set: the provisioning (infra/main.bicep) outputs it.' }
if (-not $appId) { Stop-Hook 'KANBATTE_API_CLIENT_ID is not set: the preprovision hook sets it.' }
if ($web -cnotmatch '^https://[A-Za-z0-9.:-]+$') { Stop-Hook "WEB_BASE_URL is not an https origin: $web" }
if ($appId -cnotmatch '^[0-9A-Fa-f-]+$') { Stop-Hook "KANBATTE_API_CLIENT_ID is not a client id (a GUID): $appId" }
# MSAL's redirectUri is the page's origin and "/" (src/Kanbatte.Web/src/auth-msal.ts); Entra ID compares it exactly.
$uri = "$web/"

if ($env:KANBATTE_API_REGISTRATION_MANAGED -ne 'true') {
    Write-Host "Kanbatte: the web client signs in at $uri. The API app registration $appId was brought, so it is left as it is:"
    Write-Host "  add $uri as a redirect URI of the platform `"Single-page application`" (Entra admin center: App registrations,"
    Write-Host "  $appId, Authentication), once. Until then, signing in from the web client fails with AADSTS50011."
    exit 0
}

if (-not (Get-Command az -CommandType Application -ErrorAction SilentlyContinue)) {
    Stop-Hook "the Azure CLI (az) is needed to add $uri to the app registration $appId as a single-page application redirect URI."
}
$objectId = Invoke-Az ad app show --id $appId --query id -o tsv
if (-not $objectId) { Stop-Hook "could not read the app registration ${appId}: az login (into its tenant), then azd provision again." }

# One per line; Entra ID keeps them in the order given.
$existing = @((Invoke-Az ad app show --id $appId --query spa.redirectUris -o tsv) -split "`n" | ForEach-Object { $_.Trim() } | Where-Object { $_ })
if ($existing -ccontains $uri) {
    Write-Host "Kanbatte: the web client's sign-in address $uri is already a redirect URI of $appId."
    exit 0
}

# The whole list is sent (Graph replaces it): the ones there, then this one. A file, as the sh hook sends it: no
# quoting of JSON through a native command line.
$body = New-TemporaryFile
try {
    $json = ConvertTo-Json -Depth 3 -Compress @{ spa = @{ redirectUris = @($existing + $uri) } }
    [IO.File]::WriteAllText($body.FullName, $json, [Text.UTF8Encoding]::new($false))
    $graph = Invoke-Az cloud show --query endpoints.microsoftGraphResourceId -o tsv
    if ($null -eq (Invoke-Az rest --method PATCH --uri "$($graph.TrimEnd('/'))/v1.0/applications/$objectId" --headers Content-Type=application/json --body "@$($body.FullName)")) {
        Stop-Hook "could not add $uri to the app registration $appId (az rest PATCH failed)."
    }
}
finally {
    Remove-Item $body -ErrorAction SilentlyContinue
}
Write-Host "Kanbatte: added $uri to the app registration $appId as a single-page application redirect URI."
