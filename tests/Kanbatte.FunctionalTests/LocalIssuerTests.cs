using System.Net;
using Kanbatte.Server;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Kanbatte.FunctionalTests;

/// <summary>
/// The self-hosted server as a new user runs it, with no issuer configured: the real process, its <c>token</c> and
/// <c>rotate-key</c> commands and its own issuer, a key beside the database that only its owner can read.
/// </summary>
public sealed class LocalIssuerTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-local-issuer-");

    private string KeyFile => Path.Combine(_folder.FullName, ".kanbatte", LocalIssuer.KeyFileName);

    private async Task<string> TokenAsync(params string[] args)
    {
        var (exit, output, error) = await ServerProcess.RunAsync(_folder.FullName, ["token", .. args]);
        Assert.True(exit == 0, $"token {string.Join(' ', args)} exited with {exit}: {error}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return Assert.Single(lines); // only the token on standard output, so T=$(... token ann) works
    }

    [Fact]
    public async Task A_token_from_the_command_is_accepted_until_the_key_is_rotated()
    {
        var ann = await TokenAsync("ann", "--name", "Ann Example", "--admin");
        Assert.True(File.Exists(KeyFile), "the key is created beside the database on first use");
        if (!OperatingSystem.IsWindows()) Assert.Equal(OwnerOnly, File.GetUnixFileMode(KeyFile));

        await using var server = await ServerProcess.StartWithLocalIssuerAsync(_folder.FullName, "--Logging:LogLevel:Default=Debug");
        var me = await server.Client.WithToken(ann).GetAsync("api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var caller = await me.JsonAsync();
        Assert.Equal(("ann", "Ann Example", true), (caller.GetProperty("id").GetString(), caller.GetProperty("name").GetString(), caller.GetProperty("admin").GetBoolean()));

        // Made while the server runs: the same key, and any id.
        var bo = await TokenAsync("auth0|bo/1#x", "--days", "3");
        var parsed = new JsonWebToken(bo);
        Assert.Equal(("kanbatte-local", "kanbatte"), (parsed.Issuer, parsed.Audiences.Single()));
        Assert.InRange(parsed.ValidTo - DateTime.UtcNow, TimeSpan.FromDays(3) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(3));
        Assert.Equal(TimeSpan.FromDays(1), new JsonWebToken(ann).ValidTo - new JsonWebToken(ann).ValidFrom); // the default lifetime
        var boMe = await (await server.Client.WithToken(bo).GetAsync("api/me")).JsonAsync();
        Assert.Equal(("auth0|bo/1#x", false), (boMe.GetProperty("id").GetString(), boMe.GetProperty("admin").GetBoolean()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.WithToken(TestTokens.Default).GetAsync("api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.WithToken(TestTokens.Tampered(ann)).GetAsync("api/me")).StatusCode);

        var (exit, said, _) = await ServerProcess.RunAsync(_folder.FullName, "rotate-key");
        Assert.True(exit == 0, said);
        if (!OperatingSystem.IsWindows()) Assert.Equal(OwnerOnly, File.GetUnixFileMode(KeyFile));

        // The running server reads the key again within a second of a request: every earlier token stops working.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await server.Client.WithToken(ann).GetAsync("api/me")).StatusCode != HttpStatusCode.Unauthorized)
        {
            Assert.True(DateTime.UtcNow < deadline, "a token made before rotate-key still works after 10 s");
            await Task.Delay(200);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.WithToken(bo).GetAsync("api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.WithToken(await TokenAsync("ann")).GetAsync("api/me")).StatusCode);

        // The server said how to get a token, and wrote none of them, even at debug level.
        Assert.Contains("-- token <userId>", server.Output);
        foreach (var token in new[] { ann, bo })
            Assert.DoesNotContain(token.Split('.')[2], server.Output);
    }

    [Fact]
    public async Task A_restart_keeps_the_key_and_a_key_readable_by_others_is_made_the_owners_again()
    {
        var token = await TokenAsync("ann");
        var key = await File.ReadAllTextAsync(KeyFile);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(KeyFile, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var server = await ServerProcess.StartWithLocalIssuerAsync(_folder.FullName);

        Assert.Equal(HttpStatusCode.OK, (await server.Client.WithToken(token).GetAsync("api/me")).StatusCode);
        Assert.Equal(key, await File.ReadAllTextAsync(KeyFile));
        if (!OperatingSystem.IsWindows()) Assert.Equal(OwnerOnly, File.GetUnixFileMode(KeyFile));
    }

    [Fact]
    public async Task The_key_lives_beside_the_database_the_path_option_names()
    {
        var database = Path.Combine(_folder.FullName, "elsewhere", "k.db");

        var token = await TokenAsync("ann", "--admin", $"--Kanbatte:Sqlite:Path={database}");

        Assert.True(File.Exists(Path.Combine(_folder.FullName, "elsewhere", LocalIssuer.KeyFileName)));
        Assert.False(File.Exists(KeyFile));
        await using var server = await ServerProcess.StartWithLocalIssuerAsync(_folder.FullName, $"--Kanbatte:Sqlite:Path={database}");
        Assert.True((await (await server.Client.WithToken(token).GetAsync("api/me")).JsonAsync()).GetProperty("admin").GetBoolean());
    }

    [Fact]
    public async Task With_an_issuer_configured_the_commands_refuse_and_only_that_issuers_tokens_are_accepted()
    {
        var local = await TokenAsync("ann");

        var token = await ServerProcess.RunAsync(_folder.FullName, ["token", "ann", .. TestTokens.CommandLine]);
        var rotate = await ServerProcess.RunAsync(_folder.FullName, ["rotate-key", .. TestTokens.CommandLine]);

        Assert.Equal((1, ""), (token.ExitCode, token.Output));
        Assert.Contains("Authentication:Schemes:Bearer configures an issuer", token.Error);
        Assert.Equal(1, rotate.ExitCode);
        Assert.Contains("Refused", rotate.Error);

        await using var server = await ServerProcess.StartAsync(_folder.FullName, "--Logging:LogLevel:Kanbatte.Server=Information");
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.WithToken(local).GetAsync("api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.WithToken(TestTokens.Default).GetAsync("api/me")).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!server.Output.Contains("accepted from kanbatte-tests", StringComparison.Ordinal) && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Contains("accepted from kanbatte-tests", server.Output);
    }

    [Fact]
    public async Task The_issuer_is_read_from_app_settings_in_the_environment_too()
    {
        var environment = TestTokens.Settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);

        var token = await ServerProcess.RunAsync(_folder.FullName, ["token", "ann"], environment);
        var start = await ServerProcess.RunAsync(_folder.FullName, [], new Dictionary<string, string> { ["Authentication__Schemes__Bearer__ValidAudiences__0"] = "api" });

        Assert.Equal(1, token.ExitCode);
        Assert.Contains("configures an issuer", token.Error);
        Assert.NotEqual(0, start.ExitCode);
        Assert.Contains("names an audience but no issuer", start.Output + start.Error);
    }

    [Fact]
    public async Task A_server_whose_settings_would_accept_anyones_tokens_refuses_to_start()
    {
        var (exit, output, error) = await ServerProcess.RunAsync(_folder.FullName,
            "--Authentication:Schemes:Bearer:Authority=https://login.example.com/tenant/v2.0", "--Authentication:Schemes:Bearer:ValidIssuer=https://login.example.com/tenant/v2.0");

        Assert.NotEqual(0, exit);
        Assert.Contains("ValidAudience", output + error);
    }

    public static TheoryData<string[], string> BadArguments => new()
    {
        { [], "user id is missing" },
        { ["--admin"], "user id is missing" },
        { ["ann", "bo"], "one user id only" },
        { ["ann", "--days", "0"], "--days" },
        { ["ann", "--days", "366"], "--days" },
        { ["ann", "--days", "1.5"], "--days" },
        { ["ann", "--bogus"], "Unknown option" },
        { [new string('u', 257)], "1-256 characters" },
        { ["ann\u0001"], "control" },
        { ["ann", "--name", "\t"], "--name" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Token_explains_a_wrong_argument(string[] args, string said)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Kanbatte:Sqlite:Path"] = Path.Combine(_folder.FullName, "k.db") }).Build();
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = TokenCommand.Run(configuration, args, output, error);

        Assert.Equal((2, ""), (exit, output.ToString()));
        Assert.Contains(said, error.ToString());
        Assert.Contains("usage: token <userId>", error.ToString());
    }

    [Fact]
    public void Configuration_arguments_are_kept_apart_from_the_commands_own()
    {
        var (own, configuration) = TokenCommand.Split(["ann", "--admin", "--Kanbatte:Sqlite:Path=/tmp/k.db", "--name", "Ann", "--Kanbatte:Store", "Sqlite", "--days", "2"]);

        Assert.Equal(["ann", "--admin", "--name", "Ann", "--days", "2"], own);
        Assert.Equal(["--Kanbatte:Sqlite:Path=/tmp/k.db", "--Kanbatte:Store", "Sqlite"], configuration);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
