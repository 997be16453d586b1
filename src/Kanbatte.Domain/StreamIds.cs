namespace Kanbatte.Domain;

/// <summary>Stream ids: one stream per project and one per task (a task's comments live in the task's stream).</summary>
public static class StreamIds
{
    public const string ProjectPrefix = "project:";
    public const string TaskPrefix = "task:";

    public static string Project(string key) => ProjectPrefix + key;
    public static string Task(string taskId) => TaskPrefix + taskId;
}
