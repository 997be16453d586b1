using System.Text.RegularExpressions;

namespace Kanbatte.Domain;

public static partial class ProjectKey
{
    [GeneratedRegex("^[A-Z][A-Z0-9]{1,9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? key) => key is not null && Pattern().IsMatch(key);
}
