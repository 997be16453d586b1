namespace Kanbatte.Application;

/// <summary>
/// Where each entity lives in the view. Tasks and comments share their project's partition, so a task is a point read
/// and a project's lists are single-partition queries; projects share one partition so listing them is one too.
/// A document's id starts with its kind, and an entity's document id equals its stream id.
/// </summary>
public static class ViewKeys
{
    public const string ProjectsPartition = "_projects";
    public const string ProjectKind = "project";
    public const string TaskKind = "task";
    public const string CommentKind = "comment";

    public static (string Partition, string Id) Project(string key) => (ProjectsPartition, "project:" + key);
    public static (string Partition, string Id) Task(string projectKey, string taskId) => (projectKey, "task:" + taskId);
    public static (string Partition, string Id) Comment(string projectKey, string commentId) => (projectKey, "comment:" + commentId);
}
