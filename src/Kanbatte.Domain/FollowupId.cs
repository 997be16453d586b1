using System.Globalization;
using System.Text.RegularExpressions;

namespace Kanbatte.Domain;

/// <summary>Followups are numbered per project, like comments: <c>FU-1</c>, <c>FU-2</c>, ...</summary>
public static partial class FollowupId
{
    [GeneratedRegex("^FU-[1-9][0-9]{0,9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static string Format(long number) => $"FU-{number.ToString(CultureInfo.InvariantCulture)}";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id) && long.Parse(id.AsSpan(3), CultureInfo.InvariantCulture) <= int.MaxValue;
}
