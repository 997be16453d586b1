// Kanbatte on Azure, pay-per-use: Functions Flex Consumption (FC1) over Cosmos DB serverless.
// Every connection uses the app's managed identity; no key or connection secret is created or stored.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds the unique resource names.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer Flex Consumption and Cosmos DB serverless.')
param location string

@description('Comma-separated origins allowed to call the API from a browser (CORS), e.g. https://board.example.com, besides the web client deployed here (always allowed). Empty: only that client.')
param corsAllowedOrigins string = ''

// Static Web Apps exist in a few regions only; the web client's files are the same wherever its resource lives.
@allowed([
  'centralus'
  'eastasia'
  'eastus2'
  'westeurope'
  'westus2'
])
@description('Region of the web client\'s Static Web App (Free tier), one of the regions Static Web Apps is offered in.')
param webLocation string = 'westeurope'

@description('Entra ID tenant whose v2 endpoint issues the API\'s access tokens (the app registration\'s tenant). Empty: the tenant of this deployment.')
param authTenantId string = ''

// A client id is a GUID: the length catches an empty or mangled value before anything is deployed.
@minLength(36)
@maxLength(36)
@description('Application (client) id of the API\'s Entra ID app registration; the preprovision hook creates it, or set KANBATTE_API_CLIENT_ID.')
param apiClientId string

@description('Optional Entra object id (a person) given Cosmos DB data access to inspect data. Empty (the default): nobody but the app.')
param dataAccessPrincipalId string = ''

@minValue(40)
@maxValue(1000)
@description('Upper bound of Flex Consumption instances: caps the bill under a traffic spike.')
param maximumInstanceCount int = 40

@description('Disable Application Insights key-based ingestion. Turn on once the worker exports telemetry with its identity too.')
param appInsightsDisableLocalAuth bool = false

@allowed([
  'Free_F1'
  'Standard_S1'
])
@description('Azure SignalR Service tier for the push channel: Free (20 connections, 20,000 messages a day, no SLA) or Standard (1,000 connections and 1 million messages a day per unit, billed per unit-day).')
param signalRSku string = 'Free_F1'

@minValue(0)
@maxValue(10)
@description('Always-ready instances for the change-feed projector (ProjectEvents). 0, the default, lets Flex Consumption scale to zero when idle, so the first change after a quiet spell waits for a cold start; 1 keeps one instance warm, at the always-ready price.')
param projectorAlwaysReadyInstances int = 0

// The names the code reads (src/Kanbatte.Storage.Cosmos/CosmosOptions.cs). InfrastructureNamesTests proves they match.
var cosmosDatabaseName = 'kanbatte'
var cosmosContainerNames = {
  eventLog: 'event_log'
  view: 'view'
  leases: 'leases'
  deadLetter: 'dead_letter'
  counters: 'counters'
  idempotency: 'idempotency'
  changes: 'changes'
  projectLog: 'project_log'
}
// 24 hours: the retention Kanbatte.Api's Idempotency.Retention promises to retrying clients.
var idempotencyRetentionSeconds = 86400

// Tokens from Entra ID's v2 endpoint: the authority serves the signing keys (so no key is configured here) and names
// itself as the issuer. loginEndpoint ends in '/' and differs per cloud.
var authTenant = empty(authTenantId) ? tenant().tenantId : authTenantId
var authIssuer = '${environment().authentication.loginEndpoint}${authTenant}/v2.0'
// Where the web client signs users in (MSAL's authority): the same tenant's endpoint, without the version.
var authAuthority = '${environment().authentication.loginEndpoint}${authTenant}'

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
// Deterministic names, known before deployment, so modules can address resources by name.
var names = {
  logAnalytics: 'log-${resourceToken}'
  applicationInsights: 'appi-${resourceToken}'
  storage: 'st${resourceToken}'
  deploymentContainer: 'app-package-${resourceToken}'
  cosmos: 'cosmos-${resourceToken}'
  plan: 'plan-${resourceToken}'
  app: 'func-${resourceToken}'
  signalR: 'sigr-${resourceToken}'
  web: 'stapp-${resourceToken}'
}
var tags = {
  'azd-env-name': environmentName
}

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    location: location
    tags: tags
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    disableLocalAuth: appInsightsDisableLocalAuth
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    location: location
    tags: tags
    name: names.storage
    deploymentContainerName: names.deploymentContainer
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    location: location
    tags: tags
    accountName: names.cosmos
    databaseName: cosmosDatabaseName
    containerNames: cosmosContainerNames
    idempotencyRetentionSeconds: idempotencyRetentionSeconds
  }
}

module web 'modules/static-web-app.bicep' = {
  name: 'web'
  scope: rg
  params: {
    location: webLocation
    tags: tags
    name: names.web
  }
}

// The browser origins allowed to call the API and to connect to SignalR: the web client deployed here, then the ones
// the parameter names. Empty entries (an empty value, a trailing comma) are dropped rather than allowed as an origin "".
var browserOrigins = concat(
  [web.outputs.origin],
  filter(map(split(corsAllowedOrigins, ','), origin => trim(origin)), origin => !empty(origin))
)

module signalR 'modules/signalr.bicep' = {
  name: 'signalr'
  scope: rg
  params: {
    location: location
    tags: tags
    name: names.signalR
    sku: signalRSku
    // Browsers connect to the service itself after negotiating with the API: the same origins the API allows.
    corsAllowedOrigins: browserOrigins
  }
}

module api 'modules/function-app.bicep' = {
  name: 'api'
  scope: rg
  params: {
    location: location
    tags: tags
    planName: names.plan
    appName: names.app
    storageAccountName: names.storage
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    applicationInsightsName: names.applicationInsights
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmosDatabaseName
    cosmosContainerNames: cosmosContainerNames
    corsAllowedOrigins: browserOrigins
    tokenIssuer: authIssuer
    // With accessTokenAcceptedVersion 2 a token's aud is the API's client id, whichever scope form the client asked for.
    tokenAudience: apiClientId
    maximumInstanceCount: maximumInstanceCount
    signalREndpoint: signalR.outputs.endpoint
    projectorAlwaysReadyInstances: projectorAlwaysReadyInstances
  }
  // The app reads the Application Insights connection string by name, which no output carries.
  dependsOn: [
    monitoring
  ]
}

module access 'modules/access.bicep' = {
  name: 'access'
  scope: rg
  params: {
    appName: names.app
    userPrincipalId: dataAccessPrincipalId
    storageAccountName: names.storage
    cosmosAccountName: names.cosmos
    applicationInsightsName: names.applicationInsights
    signalRName: names.signalR
  }
  // Names are passed, not outputs, so nothing implies the order: the roles need every resource to exist.
  dependsOn: [
    api
    storage
    cosmos
    monitoring
    signalR
  ]
}

// azd writes these into the environment (.azure/<env>/.env); UPPER_SNAKE by azd convention.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output API_BASE_URL string = api.outputs.apiBaseUrl
// The web client's configuration (written by its predeploy hook, infra/hooks/web-config.sh) comes from these.
output API_ORIGIN string = api.outputs.origin
output WEB_BASE_URL string = web.outputs.origin
output AZURE_STATIC_WEB_APP_NAME string = web.outputs.name
output AZURE_SIGNALR_ENDPOINT string = signalR.outputs.endpoint
output AUTH_AUTHORITY string = authAuthority
output AZURE_COSMOS_ACCOUNT_NAME string = cosmos.outputs.accountName
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output AZURE_COSMOS_DATABASE string = cosmosDatabaseName
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_SIGNALR_NAME string = signalR.outputs.name
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output AZURE_LOG_ANALYTICS_NAME string = monitoring.outputs.logAnalyticsName
