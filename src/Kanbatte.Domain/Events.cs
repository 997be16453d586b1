using System.Text.Json.Serialization;

namespace Kanbatte.Domain;

/// <summary>A fact recorded in the event log. Its wire name is given by <see cref="EventTypes"/>.</summary>
public interface IDomainEvent;

public sealed record ProjectCreated(string Key, string Name, string? Description, string? Repository) : IDomainEvent;

/// <summary>Carries only what changed; <see cref="Cleared"/> names optional fields set to nothing.</summary>
public sealed record ProjectUpdated(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Repository = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Cleared = null) : IDomainEvent;

/// <summary>Schema 2 (schema 1, before priority, assignee, labels, due date and rank, is upcast on reading).</summary>
public sealed record TaskCreated(
    string Id, string ProjectKey, int Number, string Title, string Description, string Status,
    string Priority, string? Assignee, IReadOnlyList<string> Labels, DateOnly? DueDate, string Rank) : IDomainEvent;

/// <summary>Carries only the fields that changed (a null field did not change); <see cref="Cleared"/> names optional fields set to nothing.</summary>
public sealed record TaskUpdated(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Title = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Priority = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Assignee = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Labels = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateOnly? DueDate = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Rank = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Cleared = null) : IDomainEvent
{
    [JsonIgnore]
    public bool IsEmpty => Title is null && Description is null && Status is null && Priority is null && Assignee is null
                           && Labels is null && DueDate is null && Rank is null && (Cleared is null || Cleared.Count == 0);
}

/// <summary>A task placed in a column (its status, when that changed) at a rank between its new neighbours.</summary>
public sealed record TaskMoved(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status,
    string Rank) : IDomainEvent;

public sealed record TaskArchived : IDomainEvent;

public sealed record TaskRestored : IDomainEvent;

public sealed record CommentAdded(string CommentId, int Number, string Body, string? Author) : IDomainEvent;

public sealed record CommentEdited(string CommentId, string Body) : IDomainEvent;

public sealed record CommentDeleted(string CommentId) : IDomainEvent;

/// <summary>The one place that names event types on the wire.</summary>
public static class EventTypes
{
    public const string ProjectCreated = "project_created";
    public const string ProjectUpdated = "project_updated";
    public const string TaskCreated = "task_created";
    public const string TaskUpdated = "task_updated";
    public const string TaskMoved = "task_moved";
    public const string TaskArchived = "task_archived";
    public const string TaskRestored = "task_restored";
    public const string CommentAdded = "comment_added";
    public const string CommentEdited = "comment_edited";
    public const string CommentDeleted = "comment_deleted";

    private static readonly Dictionary<string, Type> ByName = new(StringComparer.Ordinal)
    {
        [ProjectCreated] = typeof(ProjectCreated),
        [ProjectUpdated] = typeof(ProjectUpdated),
        [TaskCreated] = typeof(TaskCreated),
        [TaskUpdated] = typeof(TaskUpdated),
        [TaskMoved] = typeof(TaskMoved),
        [TaskArchived] = typeof(TaskArchived),
        [TaskRestored] = typeof(TaskRestored),
        [CommentAdded] = typeof(CommentAdded),
        [CommentEdited] = typeof(CommentEdited),
        [CommentDeleted] = typeof(CommentDeleted),
    };

    private static readonly Dictionary<Type, string> ByType = ByName.ToDictionary(p => p.Value, p => p.Key);

    public static string NameOf(IDomainEvent e) =>
        ByType.TryGetValue(e.GetType(), out var name) ? name : throw new ArgumentException($"Unregistered event type {e.GetType().Name}.");

    public static Type TypeOf(string name) =>
        ByName.TryGetValue(name, out var type) ? type : throw new ArgumentException($"Unknown event type '{name}'.");
}
