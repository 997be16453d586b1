using System.Net;
using System.Text;
using System.Text.Json;
using Kanbatte.Application;
using Microsoft.Azure.Cosmos;

namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// The view container (partition key <c>/partition</c>): a task or project is a point read, a project's tasks and
/// comments are single-partition queries keyset-paged by number. The app's store follows the active view container
/// (<see cref="CosmosActiveView"/>), so a rebuilt view goes live without a restart; a rebuild writes a fixed one.
/// </summary>
public sealed class CosmosViewStore : IViewStore
{
    private readonly Func<CancellationToken, ValueTask<Container>> _view;
    private static readonly ItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };

    /// <summary>The active view container, as readers and the projector use it.</summary>
    public CosmosViewStore(CosmosContainers containers) => _view = containers.ActiveView.GetAsync;

    /// <summary>One given container, whatever is active (the target of a rebuild).</summary>
    public CosmosViewStore(Container view) => _view = _ => ValueTask.FromResult(view);

    public async Task<ViewDocument?> GetAsync(string partition, string id, CancellationToken ct = default)
    {
        var view = await _view(ct);
        try
        {
            var response = await view.ReadItemAsync<CosmosViewItem>(id, new PartitionKey(partition), cancellationToken: ct);
            return response.Resource.IsTombstone ? null : response.Resource.ToDocument();
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Applies the changes one by one in order: the projector writes a stream's derived documents before the stream's
    /// own, so a failure part-way leaves the stream's version behind and redelivery completes the rest. No write moves a
    /// document back: the same batch may be projected twice at once (a lease handed to another instance mid-batch), a
    /// re-drive of parked events runs beside the live projector, and a rebuild's last catch-up beside both.
    /// <para>
    /// A delete leaves a tombstone at its version instead of removing the document, so that what it deleted stays deleted:
    /// without one, a late writer's older version (the rebuild's last pass read a task before the live projector deleted
    /// one of its comments) found no version to compare with and brought the document back. Tombstones are kept: one
    /// small document per deleted comment, removed member's documents or owner marker, which every query leaves out by
    /// its kind. A write at a newer version replaces one (a member added again). SQLite needs none: its writes run one
    /// at a time in the writer's turn, each reading the document it replaces, and its rebuild swaps its table in that turn.
    /// </para>
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<ViewChange> changes, CancellationToken ct = default)
    {
        var view = await _view(ct);
        foreach (var change in changes)
        {
            var item = change.Document is { } doc ? CosmosViewItem.From(doc) : CosmosViewItem.Tombstone(change);
            await WriteIfNewerAsync(view, item, new PartitionKey(change.Partition), ct);
        }
    }

    /// <summary>
    /// Writes a document unless the container holds it at the same or a newer version, and a tombstone unless it holds a
    /// newer version or a tombstone already (a delete made by an event deletes what that event wrote), guarded by the ETag
    /// of what was just read, so a concurrent writer's newer state is never overwritten (one point read more per write).
    /// </summary>
    private static async Task WriteIfNewerAsync(Container view, CosmosViewItem item, PartitionKey key, CancellationToken ct)
    {
        while (true)
        {
            var (version, deleted, etag) = await ReadVersionAsync(view, item.Id, key, ct);
            if (version > item.Version || (version == item.Version && (!item.IsTombstone || deleted))) return;
            try
            {
                if (version is null) await view.CreateItemAsync(item, key, NoContent, ct);
                else await view.ReplaceItemAsync(item, item.Id, key, new ItemRequestOptions { EnableContentResponseOnWrite = false, IfMatchEtag = etag }, ct);
                return;
            }
            catch (CosmosException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
            {
                // Written by someone else since the read: look again.
            }
        }
    }

    /// <summary>
    /// The version and ETag of a document as stored, or nulls when there is none; read through the stream API, so a
    /// document not there yet (the first write of every new one) costs no exception.
    /// </summary>
    private static async Task<(int? Version, bool Tombstone, string? ETag)> ReadVersionAsync(Container view, string id, PartitionKey key, CancellationToken ct)
    {
        using var response = await view.ReadItemStreamAsync(id, key, cancellationToken: ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return (null, false, null);
        response.EnsureSuccessStatusCode();
        var item = await JsonSerializer.DeserializeAsync<CosmosViewItem>(response.Content, KanbatteJson.Options, ct);
        return (item!.Version, item.IsTombstone, response.Headers.ETag);
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

    public async Task<IReadOnlyList<ViewDocument>> ListByIdAsync(string partition, IReadOnlyList<string> kinds, string? afterId, int limit, CancellationToken ct = default)
    {
        var sql = new StringBuilder("SELECT TOP @limit * FROM c WHERE c.partition = @p");
        var parameters = new List<(string, object)> { ("@p", partition), ("@after", afterId ?? "") };
        In(sql, parameters, "c.kind", "@k", kinds);
        sql.Append(" AND c.id > @after ORDER BY c.id");
        var query = new QueryDefinition(sql.ToString());
        foreach (var (name, value) in parameters) query = query.WithParameter(name, value);
        return await ListAsync(query, partition, limit, ct);
    }

    /// <summary>
    /// A marker upserted in the project's partition and one in the projects' partition, at once: each write's session
    /// token (kept by the SDK for this client, per partition) holds the reads after it to a replica with every write
    /// acknowledged before it. Markers are of a kind no query asks for; last writer wins, nothing is compared.
    /// </summary>
    public async Task FenceProjectAsync(string projectKey, CancellationToken ct = default)
    {
        var view = await _view(ct);
        await Task.WhenAll(
            view.UpsertItemAsync(CosmosViewItem.Fence(projectKey, CosmosViewItem.FenceKind), new PartitionKey(projectKey), NoContent, ct),
            view.UpsertItemAsync(CosmosViewItem.Fence(ViewKeys.ProjectsPartition, $"{CosmosViewItem.FenceKind}:{projectKey}"), new PartitionKey(ViewKeys.ProjectsPartition), NoContent, ct));
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
        var statuses = await CosmosQueries.ReadAllAsync<string>(await _view(ct), query, new PartitionKey(projectKey), ct);
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

    public async Task<IReadOnlyList<ViewDocument>> ListFollowupsAsync(string projectKey, string? taskId, IReadOnlyList<string> statuses, int afterNumber, int limit, CancellationToken ct = default)
    {
        var sql = new StringBuilder("SELECT TOP @limit * FROM c WHERE c.partition = @p AND c.kind = @kind");
        var parameters = new List<(string, object)> { ("@p", projectKey), ("@kind", ViewKeys.FollowupKind), ("@after", afterNumber) };
        if (taskId is not null)
        {
            sql.Append(" AND c.data.taskId = @task");
            parameters.Add(("@task", taskId));
        }
        In(sql, parameters, "c.data.status", "@s", statuses);
        sql.Append(" AND c.data.number > @after ORDER BY c.data.number");
        var query = new QueryDefinition(sql.ToString());
        foreach (var (name, value) in parameters) query = query.WithParameter(name, value);
        return await ListAsync(query, projectKey, limit, ct);
    }

    private async Task<IReadOnlyList<ViewDocument>> ListAsync(QueryDefinition query, string partition, int limit, CancellationToken ct) =>
        (await CosmosQueries.ReadAllAsync<CosmosViewItem>(await _view(ct), query.WithParameter("@limit", limit), new PartitionKey(partition), ct))
            .Select(i => i.ToDocument()).ToList();
}
