# azd preprovision hook (PowerShell; preprovision.sh is the same for Linux and macOS). Makes sure the API's Entra ID
# app registration exists and hands its ids to the Bicep through the azd environment (KANBATTE_API_CLIENT_ID,
# KANBATTE_AUTH_TENANT_ID, read by infra/main.parameters.json), so `azd up` stays one command.
# Idempotent: a later run finds the same registration and only adds what is missing. See infra/README.md.
$ErrorActionPreference = 'Stop'

$scope = 'access_as_user'
$adminRole = 'Kanbatte.Admin'
# The Azure CLI's well-known client id, pre-authorized for the scope so an operator can get a token with `az`.
$azureCli = '04b07795-8ddb-461a-bbee-02f9e1bf7b46'

# A registration the operator brought (not made by this hook) is used as it is, without needing az.
if ($env:KANBATTE_API_CLIENT_ID -and $env:KANBATTE_API_REGISTRATION_MANAGED -ne 'true') {
    Write-Host "Kanbatte: using the API app registration $env:KANBATTE_API_CLIENT_ID from KANBATTE_API_CLIENT_ID, unchanged."
    exit 0
}

function Stop-Hook([string] $message) {
    [Console]::Error.WriteLine("Kanbatte preprovision: $message")
    exit 1
}

# Runs az; $null when it fails (a native command does not throw), else its output. Not named az: PowerShell names
# are case-insensitive, and a function would shadow the command it calls.
function Invoke-Az {
    $output = & az @args
    if ($LASTEXITCODE -ne 0) { return $null }
    return ($output -join "`n").Trim()
}

# Entra ID replicates a new object within seconds: a call right after its creation may not see it yet.
function Invoke-WithRetry([scriptblock] $call) {
    for ($attempt = 1; $attempt -le 6; $attempt++) {
        $result = & $call
        if ($null -ne $result) { return $result }
        if ($attempt -lt 6) { Start-Sleep -Seconds 10 }
    }
    return $null
}

function Set-AzdValue([string] $name, [string] $value) {
    & azd env set $name $value
    if ($LASTEXITCODE -ne 0) { Stop-Hook "azd env set $name failed." }
}

if (-not (Get-Command az -CommandType Application -ErrorAction SilentlyContinue)) {
    Stop-Hook "the Azure CLI (az) is needed to create the API's Entra ID app registration. Install it and run az login, or use an existing registration: azd env set KANBATTE_API_CLIENT_ID <client id> (and KANBATTE_AUTH_TENANT_ID <tenant id>)."
}
$tenant = Invoke-Az account show --query tenantId -o tsv 2>$null
if (-not $tenant) {
    Stop-Hook "az is not signed in: run az login (into the tenant that should issue the API's tokens), or azd env set KANBATTE_API_CLIENT_ID <client id> of an existing registration."
}
if ($env:KANBATTE_AUTH_TENANT_ID -and $env:KANBATTE_AUTH_TENANT_ID -ne $tenant) {
    Stop-Hook "the registration lives in tenant $env:KANBATTE_AUTH_TENANT_ID but az is signed in to ${tenant}: az login --tenant $env:KANBATTE_AUTH_TENANT_ID."
}
if (-not $env:AZURE_ENV_NAME) { Stop-Hook 'AZURE_ENV_NAME is not set (azd sets it).' }

$appId = $env:KANBATTE_API_CLIENT_ID
$name = "kanbatte-api-$env:AZURE_ENV_NAME"
if (-not $appId) {
    # Made for this environment before (say the .azure folder was lost): found by its name, reused.
    $list = Invoke-Az ad app list --display-name $name --query "[?displayName=='$name'].appId" -o tsv
    if ($null -eq $list) { Stop-Hook "could not list the app registrations (az ad app list failed)." }
    $found = @($list -split "`n" | Where-Object { $_ })
    if ($found.Count -gt 1) {
        Stop-Hook "several app registrations are named $name; choose one: azd env set KANBATTE_API_CLIENT_ID <client id>."
    }
    if ($found.Count -eq 1) {
        $appId = $found[0]
        Write-Host "Kanbatte: found the API app registration $name ($appId)."
    }
    else {
        $appId = Invoke-Az ad app create --display-name $name --sign-in-audience AzureADMyOrg --query appId -o tsv
        if (-not $appId) { Stop-Hook "could not create the app registration $name (az ad app create failed)." }
        Write-Host "Kanbatte: created the API app registration $name ($appId)."
    }
    # Kept at once, so a run that stops below resumes with this registration instead of making another.
    Set-AzdValue KANBATTE_API_CLIENT_ID $appId
    Set-AzdValue KANBATTE_API_REGISTRATION_MANAGED 'true'
}
Set-AzdValue KANBATTE_AUTH_TENANT_ID $tenant

$objectId = Invoke-WithRetry { Invoke-Az ad app show --id $appId --query id -o tsv }
if (-not $objectId) { Stop-Hook "no app registration $appId in tenant $tenant. To make a new one: azd env set KANBATTE_API_CLIENT_ID `"`"." }
$graph = Invoke-Az cloud show --query endpoints.microsoftGraphResourceId -o tsv
$application = "$($graph.TrimEnd('/'))/v1.0/applications/$objectId"
function Get-AppProperty([string] $query) { Invoke-Az ad app show --id $appId --query $query -o tsv }

# The client id is the audience; api://<client id> only names the scope clients request.
if ((Get-AppProperty "contains(identifierUris, 'api://$appId')") -ne 'true') {
    if ($null -eq (Invoke-Az ad app update --id $appId --identifier-uris "api://$appId")) { Stop-Hook 'could not set the identifier URI.' }
}

# v2 access tokens (aud = client id, iss = .../<tenant>/v2.0), the delegated scope and the operator role.
if ((Get-AppProperty 'api.requestedAccessTokenVersion') -ne '2' -or
    -not (Get-AppProperty "api.oauth2PermissionScopes[?value=='$scope'].id") -or
    -not (Get-AppProperty "appRoles[?value=='$adminRole'].id")) {
    if ($null -eq (Invoke-Az rest --method PATCH --uri $application --headers Content-Type=application/json --body "@$PSScriptRoot/api-registration.json")) {
        Stop-Hook 'could not set the scope and the app role (az rest PATCH failed).'
    }
    Write-Host "Kanbatte: set v2 tokens, the scope $scope and the app role $adminRole."
}

# The service principal (enterprise application): what users sign in to and what app roles are assigned on.
if (-not (Invoke-Az ad sp show --id $appId --query id -o tsv 2>$null)) {
    if (-not (Invoke-WithRetry { Invoke-Az ad sp create --id $appId --query id -o tsv })) { Stop-Hook 'could not create the service principal.' }
}

# Pre-authorizing needs the scope saved first (a separate request).
if (-not (Get-AppProperty "api.preAuthorizedApplications[?appId=='$azureCli'].appId")) {
    $patched = Invoke-WithRetry { Invoke-Az rest --method PATCH --uri $application --headers Content-Type=application/json --body "@$PSScriptRoot/api-preauthorized.json" }
    if ($null -eq $patched) { Stop-Hook 'could not pre-authorize the Azure CLI (az rest PATCH failed).' }
}

Set-AzdValue KANBATTE_API_SCOPE "api://$appId/$scope"
Write-Host "Kanbatte: tokens from tenant $tenant for the API $appId; clients request the scope api://$appId/$scope."
