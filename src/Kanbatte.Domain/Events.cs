using System.Text.Json.Serialization;

namespace Kanbatte.Domain;

/// <summary>A fact recorded in the event log. Its wire name is given by <see cref="EventTypes"/>.</summary>
public interface IDomainEvent;

public sealed record ProjectCreated(string Key, string Name, string? Description, string? Repository) : IDomainEvent;

public sealed record TaskCreated(string Id, string ProjectKey, int Number, string Title, string Description, string Status) : IDomainEvent;

/// <summary>Carries only the fields that changed; a null field did not change.</summary>
public sealed record TaskUpdated(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Title = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status = null) : IDomainEvent;

public sealed record CommentAdded(string CommentId, int Number, string Body, string? Author) : IDomainEvent;

/// <summary>The one place that names event types on the wire.</summary>
public static class EventTypes
{
    public const string ProjectCreated = "project_created";
    public const string TaskCreated = "task_created";
    public const string TaskUpdated = "task_updated";
    public const string CommentAdded = "comment_added";

    private static readonly Dictionary<string, Type> ByName = new(StringComparer.Ordinal)
    {
        [ProjectCreated] = typeof(ProjectCreated),
        [TaskCreated] = typeof(TaskCreated),
        [TaskUpdated] = typeof(TaskUpdated),
        [CommentAdded] = typeof(CommentAdded),
    };

    private static readonly Dictionary<Type, string> ByType = ByName.ToDictionary(p => p.Value, p => p.Key);

    public static string NameOf(IDomainEvent e) =>
        ByType.TryGetValue(e.GetType(), out var name) ? name : throw new ArgumentException($"Unregistered event type {e.GetType().Name}.");

    public static Type TypeOf(string name) =>
        ByName.TryGetValue(name, out var type) ? type : throw new ArgumentException($"Unknown event type '{name}'.");

    public static IReadOnlyCollection<string> All => ByName.Keys;
}
