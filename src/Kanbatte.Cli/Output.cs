using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kanbatte.Cli;

/// <summary>The three output formats of the original tool.</summary>
public enum OutputFormat
{
    /// <summary>Aligned columns for people (the default).</summary>
    Table,

    /// <summary>The API's own documents, for scripts and agents.</summary>
    Json,

    /// <summary>Markdown tables and documents, for agents and notes.</summary>
    Markdown,
}

/// <summary>Writing to standard output: JSON as the API sent it, plain-text tables, Markdown.</summary>
public static class Output
{
    public static readonly JsonSerializerOptions IndentedJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        IndentSize = 2,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonSerializerOptions CompactJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Json(JsonNode? node) => node?.ToJsonString(IndentedJson) ?? "null";

    public static string JsonLine(JsonNode? node) => node?.ToJsonString(CompactJson) ?? "null";

    /// <summary>
    /// Columns separated by two spaces, padded to the widest cell, the last one not padded; headers in capitals. Cells
    /// are made one line (line breaks become spaces).
    /// </summary>
    public static string Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<string[]> { headers.Select(h => h.ToUpperInvariant()).ToArray() };
        all.AddRange(rows.Select(r => r.Select(OneLine).ToArray()));
        var widths = Enumerable.Range(0, headers.Count).Select(c => all.Max(r => Width(r[c]))).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            var line = new StringBuilder();
            for (var c = 0; c < row.Length; c++)
            {
                line.Append(row[c]);
                if (c < row.Length - 1) line.Append(' ', widths[c] - Width(row[c]) + 2);
            }
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Name and value pairs, one a line, the values aligned; values that span lines are indented under their name.</summary>
    public static string Fields(IEnumerable<(string Name, string Value)> fields)
    {
        var list = fields.ToList();
        var width = list.Count == 0 ? 0 : list.Max(f => Width(f.Name)) + 1;
        var text = new StringBuilder();
        foreach (var (name, value) in list)
        {
            var label = (name + ":").PadRight(width + 1);
            if (!value.Contains('\n'))
            {
                text.Append((label + value).TrimEnd()).Append('\n');
                continue;
            }
            text.Append(name).Append(":\n");
            foreach (var line in value.Split('\n')) text.Append(("  " + line).TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>A GitHub-flavoured Markdown table; '|' in a cell is escaped and line breaks become spaces.</summary>
    public static string MarkdownTable(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder();
        text.Append("| ").Append(string.Join(" | ", headers.Select(MarkdownCell))).Append(" |\n");
        text.Append('|').Append(string.Join("|", headers.Select(_ => "---"))).Append("|\n");
        foreach (var row in rows) text.Append("| ").Append(string.Join(" | ", row.Select(MarkdownCell))).Append(" |\n");
        return text.ToString();
    }

    public static string MarkdownCell(string value) => OneLine(value).Replace("\\", "\\\\").Replace("|", "\\|");

    /// <summary>Text as an inline Markdown code span, for ids and statuses.</summary>
    public static string Code(string value) => value.Length == 0 ? "" : value.Contains('`') ? $"`` {value} ``" : $"`{value}`";

    public static string OneLine(string value) => value.ReplaceLineEndings(" ");

    /// <summary>At most <paramref name="max"/> characters (text elements), "..." marking a cut.</summary>
    public static string Shorten(string value, int max)
    {
        value = OneLine(value);
        var info = new StringInfo(value);
        return info.LengthInTextElements <= max ? value : info.SubstringByTextElements(0, max - 3) + "...";
    }

    /// <summary>Columns a string takes in a terminal: wide (East Asian, emoji) characters take two.</summary>
    public static int Width(string value)
    {
        var width = 0;
        var elements = StringInfo.GetTextElementEnumerator(value);
        while (elements.MoveNext())
        {
            var rune = Rune.GetRuneAt((string)elements.Current, 0);
            width += IsWide(rune.Value) ? 2 : 1;
        }
        return width;
    }

    private static bool IsWide(int c) =>
        c is >= 0x1100 and <= 0x115F or >= 0x2E80 and <= 0xA4CF or >= 0xAC00 and <= 0xD7A3 or >= 0xF900 and <= 0xFAFF
            or >= 0xFE30 and <= 0xFE4F or >= 0xFF00 and <= 0xFF60 or >= 0xFFE0 and <= 0xFFE6 or >= 0x1F300 and <= 0x1F64F
            or >= 0x1F900 and <= 0x1F9FF or >= 0x20000 and <= 0x3FFFD;
}
