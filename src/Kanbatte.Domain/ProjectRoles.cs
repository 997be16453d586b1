namespace Kanbatte.Domain;

/// <summary>
/// What a member may do in a project, each role including the ones below it: a viewer reads everything of the project;
/// a member also changes tasks and writes comments (editing and deleting their own); an owner also changes the project,
/// manages its members and may edit or delete any comment.
/// </summary>
public static class ProjectRoles
{
    public const string Viewer = "viewer";
    public const string Member = "member";
    public const string Owner = "owner";

    public static readonly IReadOnlyList<string> All = [Viewer, Member, Owner];

    public static bool IsValid(string? role) => role is not null && All.Contains(role);

    /// <summary>True when <paramref name="role"/> includes everything <paramref name="required"/> may do.</summary>
    public static bool Includes(string role, string required) => Level(role) >= Level(required);

    private static int Level(string role) => role switch { Viewer => 0, Member => 1, Owner => 2, _ => -1 };
}
