using System.Globalization;
using System.Text.RegularExpressions;

namespace Kanbatte.Domain;

public static partial class ProjectKey
{
    [GeneratedRegex("^[A-Z][A-Z0-9]{1,9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? key) => key is not null && Pattern().IsMatch(key);
}

/// <summary>Task ids are KEY-NNN: the project key and a per-project number, zero-padded to at least 3 digits.</summary>
public static partial class TaskId
{
    [GeneratedRegex("^([A-Z][A-Z0-9]{1,9})-([0-9]{3,10})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static string Format(string projectKey, long number) =>
        $"{projectKey}-{number.ToString("D3", CultureInfo.InvariantCulture)}";

    /// <summary>Accepts only the canonical spelling, so that one task has exactly one id.</summary>
    public static bool TryParse(string? id, out string projectKey, out int number)
    {
        projectKey = "";
        number = 0;
        if (id is null) return false;
        var match = Pattern().Match(id);
        if (!match.Success || !int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < 1)
            return false;
        projectKey = match.Groups[1].Value;
        return Format(projectKey, number) == id;
    }
}

public static partial class CommentId
{
    [GeneratedRegex("^CM-[1-9][0-9]{0,9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static string Format(long number) => $"CM-{number.ToString(CultureInfo.InvariantCulture)}";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id) && long.Parse(id.AsSpan(3), CultureInfo.InvariantCulture) <= int.MaxValue;
}

/// <summary>Stream ids: one stream per project and one per task (a task's comments live in the task's stream).</summary>
public static class StreamIds
{
    public const string ProjectPrefix = "project:";
    public const string TaskPrefix = "task:";

    public static string Project(string key) => ProjectPrefix + key;
    public static string Task(string taskId) => TaskPrefix + taskId;
}
