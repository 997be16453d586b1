// Azure SignalR Service for the push channel, in serverless mode: clients connect to it after the function app's
// negotiate route, and the change-feed projector sends through its REST API. Keyless: local auth (access keys) is
// off, so only Microsoft Entra tokens (the app's managed identity, the clients' minted tokens) reach it.
param location string
param tags object
param name string
@allowed([
  'Free_F1'
  'Standard_S1'
])
param sku string
@description('Browser origins allowed to connect (the API\'s CORS origins).')
param corsAllowedOrigins string[]

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'SignalR'
  sku: {
    name: sku
    tier: sku == 'Free_F1' ? 'Free' : 'Standard'
    capacity: 1
  }
  properties: {
    features: [
      {
        flag: 'ServiceMode'
        value: 'Serverless'
      }
    ]
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
    cors: {
      allowedOrigins: corsAllowedOrigins
    }
    tls: {
      clientCertEnabled: false
    }
  }
}

output name string = signalR.name
output endpoint string = 'https://${signalR.properties.hostName}'
