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
                var sort = doc.Kind == ViewKeys.TaskKind ? TaskSortKeys.Of(data.RootElement) : null;
                await View.UpsertItemAsync(new CosmosViewItem(doc.Id, doc.Partition, doc.Kind, doc.Version, data.RootElement, sort), key, options, ct);
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
        var sql = new StringBuilder("SELECT TOP @limit * FROM c WHERE c.partition = @p AND c.kind = @kind AND c.data.archived = @archived");
        var parameters = new List<(string, object)> { ("@p", query.ProjectKey), ("@kind", ViewKeys.TaskKind), ("@archived", query.Archived) };
        In(sql, parameters, "c.data.status", "@s", query.Statuses);
        In(sql, parameters, "c.data.priority", "@pr", query.Priorities);
        if (query.Assignee is not null)
        {
            sql.Append(" AND c.data.assignee = @assignee");
            parameters.Add(("@assignee", query.Assignee));
        }
        if (query.Label is not null)
        {
            sql.Append(" AND ARRAY_CONTAINS(c.data.labels, @label)");
            parameters.Add(("@label", query.Label));
        }
        if (query.Text is not null)
        {
            sql.Append(" AND CONTAINS(LOWER(c.data.title), @text)");
            parameters.Add(("@text", query.Text.ToLowerInvariant()));
        }

        var path = TaskSortKeys.PathOf(query.Sort) ?? "c.data.number";
        var (cmp, dir) = query.Descending ? ("<", "DESC") : (">", "ASC");
        if (query.HasCursor)
        {
            sql.Append($" AND {path} {cmp} @after");
            parameters.Add(("@after", TaskSortKeys.PathOf(query.Sort) is null ? query.AfterNumber : TaskSortKeys.Compose(query.AfterValue ?? "", query.AfterNumber)));
        }
        sql.Append($" ORDER BY {path} {dir}");
        var definition = new QueryDefinition(sql.ToString());
        foreach (var (name, value) in parameters) definition = definition.WithParameter(name, value);
        return await ListAsync(definition, query.ProjectKey, query.Limit, ct);
    }

    /// <summary>Reads just the statuses of the project's open tasks and counts them here (small, and needs no GROUP BY).</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountTasksByStatusAsync(string projectKey, CancellationToken ct = default)
    {
        var query = new QueryDefinition("SELECT VALUE c.data.status FROM c WHERE c.partition = @p AND c.kind = @kind AND c.data.archived = false")
            .WithParameter("@p", projectKey)
            .WithParameter("@kind", ViewKeys.TaskKind);
        var statuses = await CosmosQueries.ReadAllAsync<string>(View, query, new PartitionKey(projectKey), ct);
        return statuses.CountBy(s => s, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    private static void In(StringBuilder sql, List<(string, object)> parameters, string path, string prefix, IReadOnlyList<string> values)
    {
        if (values.Count == 0) return;
        sql.Append(" AND ").Append(path).Append(" IN (").AppendJoin(", ", values.Select((_, i) => prefix + i)).Append(')');
        parameters.AddRange(values.Select((v, i) => (prefix + i, (object)v)));
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
