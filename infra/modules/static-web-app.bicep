// The web client (src/Kanbatte.Web) on Azure Static Web Apps, Free tier: static files only, no server code, no bill.
// azd deploys the built client (dist/) to it with the site's deployment token, which azd reads itself: nothing here
// outputs or stores it. Headers (the Content-Security-Policy) and the fallback to index.html come from
// dist/staticwebapp.config.json, which the web service's predeploy hook writes (infra/hooks/web-config.sh).
param location string
param tags object
param name string

resource web 'Microsoft.Web/staticSites@2025-03-01' = {
  name: name
  location: location
  // azd finds the resource to deploy the `web` service of azure.yaml to by this tag.
  tags: union(tags, { 'azd-service-name': 'web' })
  sku: {
    name: 'Free'
    tier: 'Free'
  }
  properties: {
    // No linked repository: content arrives from azd (the SWA CLI), not from a build the service runs.
    provider: 'Custom'
  }
}

output name string = web.name
// The browser origin of the client (no path, no trailing slash), as CORS compares it and Entra ID's redirect URI starts.
output origin string = 'https://${web.properties.defaultHostname}'
