// Cosmos DB for NoSQL, serverless (billed per request unit and GB, nothing while idle), keys disabled.
// The database and containers are created here, not by the app: with an identity connection the app
// has data-plane rights only, and the change-feed trigger cannot create its lease container.
param location string
param tags object
param accountName string
param databaseName string
@description('How long an Idempotency-Key response is kept, in seconds: the idempotency container\'s default TTL.')
param idempotencyRetentionSeconds int
param containerNames {
  eventLog: string
  view: string
  leases: string
  deadLetter: string
  counters: string
  idempotency: string
  changes: string
  projectLog: string
}

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: [
      {
        name: 'EnableServerless'
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    disableLocalAuth: true
    // Control-plane changes (containers, indexing) only through ARM, never through a data-plane token.
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2025-04-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
  }
}

// One document per event, read by stream and version; the payload and request metadata are never filtered
// or sorted on, so they stay out of the index (every indexed path costs RU on each write).
resource eventLog 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: containerNames.eventLog
  properties: {
    resource: {
      id: containerNames.eventLog
      partitionKey: {
        paths: [
          '/streamId'
        ]
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          {
            path: '/*'
          }
        ]
        excludedPaths: [
          {
            path: '/data/*'
          }
          {
            path: '/metadata/*'
          }
          {
            path: '/"_etag"/?'
          }
        ]
      }
    }
  }
}

// Current state per entity: point reads plus single-partition list queries that filter and sort on
// fields of the document, so everything stays indexed.
resource view 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: containerNames.view
  properties: {
    resource: {
      id: containerNames.view
      partitionKey: {
        paths: [
          '/partition'
        ]
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          {
            path: '/*'
          }
        ]
        excludedPaths: [
          {
            path: '/"_etag"/?'
          }
        ]
      }
    }
  }
}

// The change-feed trigger's leases: partition key /id is required by the trigger, and the change feed
// processor queries this container, so it keeps the default (full) index.
resource leases 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: containerNames.leases
  properties: {
    resource: {
      id: containerNames.leases
      partitionKey: {
        paths: [
          '/id'
        ]
        kind: 'Hash'
      }
    }
  }
}

// Events the projector failed to apply, parked with their error: listed (keyset-paged by stream and version, an
// ORDER BY on two paths that needs the composite index) and counted, never searched by the parked event's content,
// so that copy stays out of the index.
resource deadLetter 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: containerNames.deadLetter
  properties: {
    resource: {
      id: containerNames.deadLetter
      partitionKey: {
        paths: [
          '/streamId'
        ]
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          {
            path: '/*'
          }
        ]
        excludedPaths: [
          {
            path: '/event/*'
          }
          {
            path: '/"_etag"/?'
          }
        ]
        compositeIndexes: [
          [
            {
              path: '/streamId'
              order: 'ascending'
            }
            {
              path: '/version'
              order: 'ascending'
            }
          ]
        ]
      }
    }
  }
}

// Per-project number counters: only point reads and patch increments, never queried, so no property is indexed.
resource counters 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: containerNames.counters
  properties: {
    resource: {
      id: containerNames.counters
      partitionKey: {
        paths: [
          '/id'
        ]
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: []
        excludedPaths: [
          {
            path: '/*'
          }
        ]
      }
    }
  }
}


// Responses kept for Idempotency-Key retries: point operations by key only, so nothing is indexed; the container's
// default time to live removes them after the 24 hours the API promises (Kanbatte.Api Idempotency.Retention).
resource idempotency 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: containerNames.idempotency
  properties: {
    resource: {
      id: containerNames.idempotency
      partitionKey: {
        paths: [
          '/id'
        ]
        kind: 'Hash'
      }
      defaultTtl: idempotencyRetentionSeconds
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: []
        excludedPaths: [
          {
            path: '/*'
          }
        ]
      }
    }
  }
}

// Each project's changes journal (the changes feed): point reads of a counter, creates, and one query a pull that
// filters on kind and seq within a project and orders by seq. Only those are indexed; the changes themselves are not.
// Time to live on without a default (-1): journal entries carry their own ttl, the counters none.
resource changes 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: containerNames.changes
  properties: {
    resource: {
      id: containerNames.changes
      partitionKey: {
        paths: [
          '/projectKey'
        ]
        kind: 'Hash'
      }
      defaultTtl: -1
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          {
            path: '/kind/?'
          }
          {
            path: '/seq/?'
          }
        ]
        excludedPaths: [
          {
            path: '/*'
          }
        ]
      }
    }
  }
}

// Each project's copy of its events (activity, board asOf) and its board snapshots, written by the change-feed
// projection: queried within a project on kind and seq (filter and order) only, so only those are indexed; the events'
// payloads and the snapshots' tasks are not (each indexed path costs RU on every copy).
resource projectLog 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: containerNames.projectLog
  properties: {
    resource: {
      id: containerNames.projectLog
      partitionKey: {
        paths: [
          '/projectKey'
        ]
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          {
            path: '/kind/?'
          }
          {
            path: '/seq/?'
          }
        ]
        excludedPaths: [
          {
            path: '/*'
          }
        ]
      }
    }
  }
}

output accountName string = account.name
output endpoint string = account.properties.documentEndpoint
