using System.Runtime.CompilerServices;
using System.Text;

namespace Kanbatte.CliTests;

/// <summary>
/// A session at the terminal: each command as typed (<c>ann$ kanbatte task list -p AI</c>), what it printed on standard
/// output, and, when there was any, its standard error and exit code. <see cref="Matches"/> compares the whole session,
/// times and ranks normalised, with <c>Expected/&lt;name&gt;.txt</c>; run the tests with KANBATTE_UPDATE_EXPECTED=1 to
/// write those files instead (then read the diff before committing it).
/// </summary>
public sealed class Transcript
{
    private readonly StringBuilder _text = new();

    public async Task<ToolResult> RunAsync(string who, Tool tool, params string[] args)
    {
        var result = await tool.RunAsync(args);
        Append(who, args, result);
        return result;
    }

    /// <summary>Runs a command that must succeed and print nothing on standard error; returns its standard output.</summary>
    public async Task<string> OkAsync(string who, Tool tool, params string[] args)
    {
        var result = await RunAsync(who, tool, args);
        Assert.True(result.ExitCode == 0 && result.Err.Length == 0, $"kanbatte {string.Join(' ', args)}\n{result}");
        return result.Out;
    }

    /// <summary>Runs a command with <paramref name="stdin"/> on its standard input, shown as a here-document.</summary>
    public async Task<ToolResult> RunWithInputAsync(string who, Tool tool, string stdin, params string[] args)
    {
        var result = await tool.RunWithInputAsync(stdin, args);
        Append(who, args, result, stdin);
        return result;
    }

    public void Append(string who, IEnumerable<string> args, ToolResult result, string? stdin = null)
    {
        _text.Append($"{who}$ kanbatte {string.Join(' ', args.Select(Quote))}");
        _text.Append(stdin is null ? "\n" : $" <<'EOF'\n{stdin}{(stdin.EndsWith('\n') ? "" : "\n")}EOF\n");
        _text.Append(result.Out);
        if (result.Out.Length > 0 && !result.Out.EndsWith('\n')) _text.Append("\\ (no newline at the end)\n");
        if (result.Err.Length > 0) _text.Append("[stderr]\n").Append(result.Err);
        if (result.ExitCode != 0) _text.Append($"[exit {result.ExitCode}]\n");
        _text.Append('\n');
    }

    /// <summary>Shows <paramref name="secret"/> (a token) as <paramref name="placeholder"/> in the expected output.</summary>
    public void Redact(string secret, string placeholder) => _text.Replace(secret, placeholder);

    public void Note(string line) => _text.Append("# ").Append(line).Append("\n\n");

    public override string ToString() => _text.ToString();

    public void Matches(string name, [CallerFilePath] string source = "")
    {
        var actual = Normalized.Of(_text.ToString());
        var file = Path.Combine(Path.GetDirectoryName(source)!, "Expected", name + ".txt");
        if (Environment.GetEnvironmentVariable("KANBATTE_UPDATE_EXPECTED") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, actual);
            return;
        }
        Assert.True(File.Exists(file), $"No expected output {file}; this session printed:\n{actual}");
        Assert.Equal(File.ReadAllText(file).ReplaceLineEndings("\n"), actual);
    }

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_.,:/=@+".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''") + "'";
}
