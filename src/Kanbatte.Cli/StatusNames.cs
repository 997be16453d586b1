namespace Kanbatte.Cli;

/// <summary>
/// Task statuses as the API writes them (<c>in_progress</c>); the original tool's spelling (<c>in-progress</c>) and any
/// letter case are accepted and sent as the API's. Values the API does not know are sent as given, so the server's
/// 400 names them.
/// </summary>
public static class StatusNames
{
    public static string Normalize(string status) => status.Trim().ToLowerInvariant().Replace('-', '_');

    /// <summary>A comma list (<c>ready,in-progress</c>), or several options, as one API comma list.</summary>
    public static string NormalizeList(IEnumerable<string> values) =>
        string.Join(",", values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(Normalize));
}
