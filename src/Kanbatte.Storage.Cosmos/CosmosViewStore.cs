using System.Net;
using System.Text;
using System.Text.Json;
using Kanbatte.Application;
using Microsoft.Azure.Cosmos;

namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// The view container (partition key <c>/partition</c>): a task or project is a point read, a project's tasks and
/// comments are single-partition queries keyset-paged by number.
/// </summary>
public sealed class CosmosViewStore(CosmosContainers containers) : IViewStore
{
    private Container View => containers.View;

    public async Task<ViewDocument?> GetAsync(string partition, string id, CancellationToken ct = default)
    {
        try
        {
            var response = await View.ReadItemAsync<CosmosViewItem>(id, new PartitionKey(partition), cancellationToken: ct);
            return response.Resource.ToDocument();
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Applies the changes one by one in order: the projector writes a stream's derived documents before the stream's
    /// own, so a failure part-way leaves the stream's version behind and redelivery completes the rest.
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<ViewChange> changes, CancellationToken ct = default)
    {
        var options = new ItemRequestOptions { EnableContentResponseOnWrite = false };
        foreach (var change in changes)
        {
            var key = new PartitionKey(change.Partition);
            if (change.Document is { } doc)
            {
                using var data = JsonDocument.Parse(doc.Json);
                await View.UpsertItemAsync(new CosmosViewItem(doc.Id, doc.Partition, doc.Kind, doc.Version, data.RootElement), key, options, ct);
            }
            else
            {
                using var response = await View.DeleteItemStreamAsync(change.Id, key, cancellationToken: ct);
                if (response.StatusCode != HttpStatusCode.NotFound) response.EnsureSuccessStatusCode();
            }
        }
    }

    public async Task<IReadOnlyList<ViewDocument>> ListProjectsAsync(string? afterKey, int limit, CancellationToken ct = default)
    {
        var (partition, after) = ViewKeys.Project(afterKey ?? "");
        var query = new QueryDefinition("SELECT TOP @limit * FROM c WHERE c.partition = @p AND c.kind = @kind AND c.id > @after ORDER BY c.id")
            .WithParameter("@p", partition)
            .WithParameter("@kind", ViewKeys.ProjectKind)
            .WithParameter("@after", after);
        return await ListAsync(query, partition, limit, ct);
    }

    public async Task<IReadOnlyList<ViewDocument>> ListTasksAsync(TaskListQuery query, CancellationToken ct = default)
    {
        var sql = new StringBuilder("SELECT TOP @limit * FROM c WHERE c.partition = @p AND c.kind = @kind AND c.data.number > @after");
        if (query.Statuses.Count > 0)
            sql.Append(" AND c.data.status IN (").AppendJoin(", ", query.Statuses.Select((_, i) => "@s" + i)).Append(')');
        sql.Append(" ORDER BY c.data.number");
        var definition = new QueryDefinition(sql.ToString())
            .WithParameter("@p", query.ProjectKey)
            .WithParameter("@kind", ViewKeys.TaskKind)
            .WithParameter("@after", query.AfterNumber);
        for (var i = 0; i < query.Statuses.Count; i++) definition = definition.WithParameter("@s" + i, query.Statuses[i]);
        return await ListAsync(definition, query.ProjectKey, query.Limit, ct);
    }

    public async Task<IReadOnlyList<ViewDocument>> ListCommentsAsync(string projectKey, string taskId, int afterNumber, int limit, CancellationToken ct = default)
    {
        var query = new QueryDefinition("SELECT TOP @limit * FROM c WHERE c.partition = @p AND c.kind = @kind AND c.data.taskId = @task AND c.data.number > @after ORDER BY c.data.number")
            .WithParameter("@p", projectKey)
            .WithParameter("@kind", ViewKeys.CommentKind)
            .WithParameter("@task", taskId)
            .WithParameter("@after", afterNumber);
        return await ListAsync(query, projectKey, limit, ct);
    }

    private async Task<IReadOnlyList<ViewDocument>> ListAsync(QueryDefinition query, string partition, int limit, CancellationToken ct) =>
        (await CosmosQueries.ReadAllAsync<CosmosViewItem>(View, query.WithParameter("@limit", limit), new PartitionKey(partition), ct))
            .Select(i => i.ToDocument()).ToList();
}
