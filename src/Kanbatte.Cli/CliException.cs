namespace Kanbatte.Cli;

/// <summary>The process exit codes, as documented in docs/cli.md.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The server refused the request (a 4xx answer).</summary>
    public const int Refused = 1;

    /// <summary>Wrong usage: a bad option or value, an unreadable file, no token configured.</summary>
    public const int Usage = 2;

    /// <summary>The server failed (5xx), did not answer, or answered what the tool cannot read.</summary>
    public const int Failure = 3;

    /// <summary>Stopped by Ctrl+C (SIGINT), as shells report it (128 + 2); <c>watch</c> ends with 0 instead.</summary>
    public const int Interrupted = 130;
}

/// <summary>
/// Ends the command: <see cref="Lines"/> go to standard error, one message a line, and the process exits with
/// <see cref="ExitCode"/>. Nothing is written to standard output after one is thrown.
/// </summary>
public sealed class CliException(int exitCode, IReadOnlyList<string> lines, int? httpStatus = null) : Exception(string.Join(Environment.NewLine, lines))
{
    public CliException(int exitCode, string line) : this(exitCode, [line]) { }

    public int ExitCode { get; } = exitCode;
    public IReadOnlyList<string> Lines { get; } = lines;

    /// <summary>The server's status when it refused or failed the request; null when it did not answer.</summary>
    public int? HttpStatus { get; } = httpStatus;

    public static CliException Usage(string line) => new(ExitCodes.Usage, line);
}
