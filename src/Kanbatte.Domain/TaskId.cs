using System.Globalization;
using System.Text.RegularExpressions;

namespace Kanbatte.Domain;

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
