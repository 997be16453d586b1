// The Kanbatte function app on Flex Consumption (FC1): scales to zero, billed per execution and GB-second.
param location string
param tags object
param planName string
param appName string
param storageAccountName string
param deploymentContainerUrl string
param applicationInsightsName string
param cosmosEndpoint string
param cosmosDatabaseName string
param cosmosContainerNames {
  eventLog: string
  view: string
  leases: string
  deadLetter: string
  counters: string
  idempotency: string
  changes: string
  projectLog: string
}
@description('Browser origins Kanbatte itself allows (CORS); App Service\'s own CORS stays off.')
param corsAllowedOrigins string[]
@description('Authority and issuer of the access tokens the API accepts (an Entra ID v2 endpoint).')
param tokenIssuer string
@description('The audience those tokens must carry: the API app registration\'s client id.')
param tokenAudience string
param maximumInstanceCount int
@description('Azure SignalR Service endpoint (serverless mode) the app pushes to with its managed identity.')
param signalREndpoint string
@description('Always-ready instances for the ProjectEvents function (0: scale to zero).')
param projectorAlwaysReadyInstances int

// The change-feed projector's per-function scaling group on Flex Consumption: function:<name>.
var alwaysReady = projectorAlwaysReadyInstances > 0 ? [
  {
    name: 'function:ProjectEvents'
    instanceCount: projectorAlwaysReadyInstances
  }
] : []

// Kanbatte validates bearer tokens itself (JwtBearer, section Authentication:Schemes:Bearer): signing keys come from
// the authority's metadata, so no key or secret is set. oid, not sub: sub differs per client app, oid is the user.
var authSettings = [
  {
    name: 'Authentication__Schemes__Bearer__Authority'
    value: tokenIssuer
  }
  {
    name: 'Authentication__Schemes__Bearer__ValidIssuer'
    value: tokenIssuer
  }
  {
    name: 'Authentication__Schemes__Bearer__ValidAudiences__0'
    value: tokenAudience
  }
  {
    name: 'Kanbatte__Auth__UserIdClaim'
    value: 'oid'
  }
]

// The configuration array Kanbatte:Cors:Origins, one indexed setting per origin.
var corsSettings = [
  for (origin, i) in corsAllowedOrigins: {
    name: 'Kanbatte__Cors__Origins__${i}'
    value: origin
  }
]

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  // azd finds the resource to deploy the `api` service of azure.yaml to by this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
        alwaysReady: alwaysReady
      }
      // Flex Consumption takes the runtime here; FUNCTIONS_WORKER_RUNTIME must not be an app setting.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Platform CORS off (no origins): it cannot expose response headers (ETag, Location), so Kanbatte answers CORS,
      // preflights included. Written out empty so a redeployment also clears origins an earlier one set.
      cors: {
        allowedOrigins: []
        supportCredentials: false
      }
      // Identity-based connections only: a setting ending in __accountName / __accountEndpoint makes the host
      // and the SDK clients authenticate with the app's managed identity (roles in access.bicep).
      appSettings: concat([
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storageAccountName
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: applicationInsights.properties.ConnectionString
        }
        {
          // The host sends its telemetry with the managed identity (Monitoring Metrics Publisher role).
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'Authorization=AAD'
        }
        {
          // The change-feed trigger's Connection and the store's CosmosClient (CosmosOptions.ConnectionSetting).
          name: 'KanbatteCosmos__accountEndpoint'
          value: cosmosEndpoint
        }
        {
          name: 'Kanbatte__Store'
          value: 'Cosmos'
        }
        {
          name: 'Kanbatte__Cosmos__Database'
          value: cosmosDatabaseName
        }
        {
          name: 'Kanbatte__Cosmos__EventLogContainer'
          value: cosmosContainerNames.eventLog
        }
        {
          name: 'Kanbatte__Cosmos__ViewContainer'
          value: cosmosContainerNames.view
        }
        {
          name: 'Kanbatte__Cosmos__LeasesContainer'
          value: cosmosContainerNames.leases
        }
        {
          name: 'Kanbatte__Cosmos__DeadLetterContainer'
          value: cosmosContainerNames.deadLetter
        }
        {
          name: 'Kanbatte__Cosmos__CountersContainer'
          value: cosmosContainerNames.counters
        }
        {
          name: 'Kanbatte__Cosmos__IdempotencyContainer'
          value: cosmosContainerNames.idempotency
        }
        {
          name: 'Kanbatte__Cosmos__ChangesContainer'
          value: cosmosContainerNames.changes
        }
        {
          name: 'Kanbatte__Cosmos__ProjectLogContainer'
          value: cosmosContainerNames.projectLog
        }
        {
          // Push (Kanbatte.Functions.Push): REST calls with the app's managed identity (SignalR REST API Owner).
          name: 'Kanbatte__SignalR__Endpoint'
          value: signalREndpoint
        }
      ], authSettings, corsSettings)
    }
  }
}

output name string = app.name
output principalId string = app.identity.principalId
// Routes live under the host's default route prefix `api` (host.json does not change it).
output apiBaseUrl string = 'https://${app.properties.defaultHostName}/api'
// The app's browser origin: what the web client calls (it adds /api itself) and lets its pages connect to.
output origin string = 'https://${app.properties.defaultHostName}'
