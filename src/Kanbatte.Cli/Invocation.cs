using System.CommandLine;
using System.Globalization;

namespace Kanbatte.Cli;

/// <summary>One run of a command: its parsed options, the server and the client, standard output and error.</summary>
public sealed class Invocation(ParseResult parse, CancellationToken ct) : IDisposable
{
    public const string ServerVariable = "KANBATTE_URL";
    public const string DefaultServer = "http://localhost:7071";

    private KanbatteClient? _client;

    public ParseResult Parse { get; } = parse;
    public CancellationToken Ct { get; } = ct;
    public TextWriter Out { get; } = Console.Out;
    public TextWriter Error { get; } = Console.Error;

    public Uri Server => field ??= ResolveServer(Parse.GetValue(Cli.ServerOption));

    public KanbatteClient Client => _client ??= new KanbatteClient(Server, TokenSources.For(Server));

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    /// <summary>True when the option was given on the command line (not only defaulted).</summary>
    public bool Has(Option option) => Parse.GetResult(option) is { Implicit: false };

    /// <summary>Writes a command's whole output at once, after everything it needed has succeeded.</summary>
    public void Write(string text)
    {
        Out.Write(text);
        Out.Flush();
    }

    /// <summary><c>--server</c>, else <c>KANBATTE_URL</c>, else http://localhost:7071; a trailing <c>/api</c> is dropped.</summary>
    public static Uri ResolveServer(string? option)
    {
        var value = option ?? Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(value)) value = DefaultServer;
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw CliException.Usage($"--server: '{value}' is not an http or https URL.");
        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/api", StringComparison.OrdinalIgnoreCase)) path = path[..^4];
        return new UriBuilder(uri) { Path = path + "/", Query = "", Fragment = "" }.Uri;
    }

    /// <summary>A time for <c>asOf</c>: RFC 3339, or a date and time without an offset, read as local time; sent in UTC.</summary>
    public static string AsOf(string value, string option)
    {
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal | DateTimeStyles.AllowWhiteSpaces, out var time))
            throw CliException.Usage($"{option}: '{value}' is not a time (2026-11-26T07:19:16Z, or 2026-11-26 08:19 in local time).");
        return time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    public void Dispose() => _client?.Dispose();
}
