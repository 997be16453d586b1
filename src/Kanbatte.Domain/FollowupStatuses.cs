namespace Kanbatte.Domain;

public static class FollowupStatuses
{
    public const string Open = "open";
    public const string Resolved = "resolved";

    public static readonly IReadOnlyList<string> All = [Open, Resolved];
}
