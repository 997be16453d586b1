using System.Globalization;
using System.Text.RegularExpressions;

namespace Kanbatte.Domain;

public static partial class CommentId
{
    [GeneratedRegex("^CM-[1-9][0-9]{0,9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static string Format(long number) => $"CM-{number.ToString(CultureInfo.InvariantCulture)}";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id) && long.Parse(id.AsSpan(3), CultureInfo.InvariantCulture) <= int.MaxValue;
}
