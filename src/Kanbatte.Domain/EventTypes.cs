namespace Kanbatte.Domain;

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
    public const string MemberAdded = "member_added";
    public const string MemberRoleChanged = "member_role_changed";
    public const string MemberRemoved = "member_removed";
    public const string FollowupAdded = "followup_added";
    public const string FollowupUpdated = "followup_updated";

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
        [MemberAdded] = typeof(MemberAdded),
        [MemberRoleChanged] = typeof(MemberRoleChanged),
        [MemberRemoved] = typeof(MemberRemoved),
        [FollowupAdded] = typeof(FollowupAdded),
        [FollowupUpdated] = typeof(FollowupUpdated),
    };

    private static readonly Dictionary<Type, string> ByType = ByName.ToDictionary(p => p.Value, p => p.Key);

    public static string NameOf(IDomainEvent e) =>
        ByType.TryGetValue(e.GetType(), out var name) ? name : throw new ArgumentException($"Unregistered event type {e.GetType().Name}.");

    public static Type TypeOf(string name) =>
        ByName.TryGetValue(name, out var type) ? type : throw new ArgumentException($"Unknown event type '{name}'.");
}
