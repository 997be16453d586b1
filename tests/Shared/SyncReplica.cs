using System.Text.Json;
using System.Text.Json.Nodes;
using Kanbatte.Application;

namespace Kanbatte.Testing;

/// <summary>
/// A client of the changes feed as the README tells one to be: it applies each change in order, only when its version
/// is above the one it holds for that entity (a deletion's version included), and keeps nothing else.
/// </summary>
public sealed class SyncReplica
{
    private readonly Dictionary<(string Entity, string Id), (int Version, JsonNode? Data)> _held = [];

    public string? Cursor { get; set; }

    public void Apply(EntityChange change) =>
        Apply(change.Entity, change.Id, change.Op, change.Version, change.Data is { } data ? JsonNode.Parse(data.GetRawText()) : null);

    /// <summary>A pull's answer, as the API writes it: <c>{changes, cursor, hasMore}</c>; returns <c>hasMore</c>.</summary>
    public bool Apply(JsonElement page)
    {
        foreach (var change in page.GetProperty("changes").EnumerateArray())
        {
            var data = change.GetProperty("data");
            Apply(change.GetProperty("entity").GetString()!, change.GetProperty("id").GetString()!, change.GetProperty("op").GetString()!,
                change.GetProperty("version").GetInt32(), data.ValueKind == JsonValueKind.Null ? null : JsonNode.Parse(data.GetRawText()));
        }
        Cursor = page.GetProperty("cursor").GetString();
        return page.GetProperty("hasMore").GetBoolean();
    }

    private void Apply(string entity, string id, string op, int version, JsonNode? data)
    {
        if (_held.TryGetValue((entity, id), out var held) && held.Version >= version) return;
        _held[(entity, id)] = (version, op == EntityChange.Delete ? null : data ?? throw new InvalidOperationException($"An upsert of {entity} {id} without data."));
    }

    /// <summary>The live entities held, as "entity id" with their version and document.</summary>
    public IReadOnlyDictionary<string, (int Version, JsonNode Data)> Live =>
        _held.Where(e => e.Value.Data is not null).ToDictionary(e => $"{e.Key.Entity} {e.Key.Id}", e => (e.Value.Version, e.Value.Data!));

    /// <summary>The differences between what this replica holds and <paramref name="expected"/> (empty when it holds exactly that).</summary>
    public IReadOnlyList<string> Differences(IReadOnlyDictionary<string, (int Version, JsonNode Data)> expected)
    {
        var live = Live;
        var problems = new List<string>();
        foreach (var missing in expected.Keys.Except(live.Keys)) problems.Add($"missing {missing}");
        foreach (var extra in live.Keys.Except(expected.Keys)) problems.Add($"extra {extra} (v{live[extra].Version})");
        foreach (var key in expected.Keys.Intersect(live.Keys))
        {
            if (expected[key].Version != live[key].Version) problems.Add($"{key}: version {live[key].Version}, expected {expected[key].Version}");
            else if (!JsonNode.DeepEquals(expected[key].Data, live[key].Data)) problems.Add($"{key}: {live[key].Data.ToJsonString()} != {expected[key].Data.ToJsonString()}");
        }
        return problems;
    }

    /// <summary>The entities of a project as the view holds them: the project, and its members, tasks, comments and followups.</summary>
    public static async Task<IReadOnlyDictionary<string, (int Version, JsonNode Data)>> ViewOfAsync(IViewStore view, string projectKey)
    {
        var entities = new Dictionary<string, (int, JsonNode)>();
        var (partition, id) = ViewKeys.Project(projectKey);
        if (await view.GetAsync(partition, id) is { } project) entities[$"{EntityChange.Project} {projectKey}"] = (project.Version, JsonNode.Parse(project.Json)!);
        string? after = null;
        while (await view.ListByIdAsync(projectKey, [ViewKeys.MemberKind, ViewKeys.TaskKind, ViewKeys.CommentKind, ViewKeys.FollowupKind], after, 200) is { Count: > 0 } page)
        {
            foreach (var doc in page)
            {
                var data = JsonNode.Parse(doc.Json)!;
                var entityId = doc.Kind == ViewKeys.MemberKind ? data["userId"]!.GetValue<string>() : doc.Id[(doc.Id.IndexOf(':') + 1)..];
                entities[$"{doc.Kind} {entityId}"] = (doc.Version, data);
            }
            after = page[^1].Id;
        }
        return entities;
    }
}
