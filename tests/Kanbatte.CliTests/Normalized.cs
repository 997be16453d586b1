using System.Text.RegularExpressions;

namespace Kanbatte.CliTests;

/// <summary>Output with what differs from run to run replaced: times (by a placeholder of their width) and ranks.</summary>
public static partial class Normalized
{
    public const string Time = "YYYY-MM-DDThh:mm:ss.fffZ";

    public static string Of(string text)
    {
        text = Timestamp().Replace(text, Time);
        text = JsonRank().Replace(text, "\"rank\": \"<rank>\"");
        text = DataRank().Replace(text, "rank=<rank>");
        text = LoopbackAddress().Replace(text, "http://127.0.0.1:<port>/");
        return text;
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"""rank"": ""[0-9a-z]+""")]
    private static partial Regex JsonRank();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/")]
    private static partial Regex LoopbackAddress();

    [GeneratedRegex(@"rank=[0-9a-z]+")]
    private static partial Regex DataRank();
}
