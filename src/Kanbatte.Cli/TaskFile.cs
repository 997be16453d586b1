using System.Text.RegularExpressions;

namespace Kanbatte.Cli;

/// <summary>
/// A task written as a Markdown file, as the original tool took it: the first line <c># AI - Research ML models</c>
/// (the project key, a dash, the title), the rest of the file the description.
/// </summary>
public static partial class TaskFile
{
    public static (string ProjectKey, string Title, string Description) Parse(string text, string name)
    {
        var lines = text.ReplaceLineEndings("\n").TrimStart('\uFEFF').Split('\n');
        var first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first < 0) throw CliException.Usage($"{name}: the file is empty; its first line is '# <KEY> - <title>'.");
        var heading = Heading().Match(lines[first].Trim());
        if (!heading.Success)
            throw CliException.Usage($"{name}: the first line must be '# <KEY> - <title>' (e.g. '# AI - Research ML models'), not '{lines[first].Trim()}'.");
        var description = string.Join("\n", lines.Skip(first + 1).SkipWhile(l => l.Trim().Length == 0)).TrimEnd();
        return (heading.Groups["key"].Value.ToUpperInvariant(), heading.Groups["title"].Value.Trim(), description);
    }

    [GeneratedRegex(@"^#\s+(?<key>[A-Za-z][A-Za-z0-9]*)\s+-\s+(?<title>\S.*)$")]
    private static partial Regex Heading();
}
