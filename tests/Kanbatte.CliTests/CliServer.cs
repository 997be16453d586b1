namespace Kanbatte.CliTests;

/// <summary>
/// One real server process for the CLI tests (the test issuer's tokens), started once: the tests share it and each
/// works in projects of its own, so expected outputs hold whatever ran before.
/// </summary>
public sealed class CliServer : IAsyncLifetime
{
    private DirectoryInfo? _folder;

    public ServerProcess Process { get; private set; } = null!;

    /// <summary>The server's address as the tool prints it (http://127.0.0.1:port/).</summary>
    public string Url => Process.BaseAddress.ToString();

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("kanbatte-cli-tests-");
        Process = await ServerProcess.StartAsync(_folder.FullName);
    }

    /// <summary>A token of the test issuer for <paramref name="userId"/>, whose display name is the id with a capital (ann: Ann).</summary>
    public static string Token(string userId) => TestTokens.Mint(userId, NameOf(userId), admin: false);

    public static string NameOf(string userId) => char.ToUpperInvariant(userId[0]) + userId[1..];

    /// <summary>An HTTP client of the API acting as <paramref name="userId"/>, to set up and check what the tool did.</summary>
    public HttpClient Api(string userId) =>
        new HttpClient { BaseAddress = Process.BaseAddress, Timeout = TimeSpan.FromSeconds(30) }.WithToken(Token(userId));

    /// <summary>The tool as <paramref name="userId"/> (KANBATTE_TOKEN), against this server (KANBATTE_URL), with a config folder of its own.</summary>
    public Tool As(string userId) => new(Url, Token(userId));

    /// <summary>The tool with no token at all (for login and its errors).</summary>
    public Tool Anonymous() => new(Url, null);

    public async Task DisposeAsync()
    {
        await Process.DisposeAsync();
        try
        {
            _folder?.Delete(recursive: true);
        }
        catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliServer>
{
    public const string Name = "kanbatte tool against the server";
}

/// <summary>The tool as one user: runs it with KANBATTE_URL, KANBATTE_TOKEN (if any) and a config folder of its own.</summary>
public sealed class Tool
{
    public Tool(string url, string? token)
    {
        ConfigDirectory = Path.Combine(Directory.CreateTempSubdirectory("kanbatte-cli-config-").FullName, "kanbatte");
        Environment = new Dictionary<string, string?>
        {
            ["KANBATTE_URL"] = url,
            ["KANBATTE_TOKEN"] = token,
            ["KANBATTE_CONFIG_DIR"] = ConfigDirectory,
        };
    }

    /// <summary>Where the tool keeps its credentials (not made until it writes one).</summary>
    public string ConfigDirectory { get; }

    public Dictionary<string, string?> Environment { get; }

    /// <summary>The folder the tool runs in (default: the system's temporary folder).</summary>
    public string? WorkingDirectory { get; set; }

    public Task<ToolResult> RunAsync(params string[] args) => KanbatteTool.RunAsync(args, Environment, workingDirectory: WorkingDirectory);

    public Task<ToolResult> RunWithInputAsync(string stdin, params string[] args) => KanbatteTool.RunAsync(args, Environment, stdin, WorkingDirectory);

    /// <summary>Runs the tool, asserts it succeeded with nothing on standard error, and returns its standard output.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0 && result.Err.Length == 0, $"kanbatte {string.Join(' ', args)}\n{result}");
        return result.Out;
    }

    /// <summary>Runs the tool and asserts it failed with <paramref name="exitCode"/>, printing nothing on standard output.</summary>
    public async Task<string> FailsAsync(int exitCode, params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == exitCode && result.Out.Length == 0, $"kanbatte {string.Join(' ', args)}: expected exit {exitCode} and no output\n{result}");
        return result.Err;
    }
}
