namespace Kanbatte.Infrastructure.Tests;

/// <summary>
/// infra/hooks/postprovision.sh run by <c>sh</c> against the stand-in for <c>az</c> (HookStubs/, Entra ID kept as
/// files): the web client's address becomes a single-page-application redirect URI of the API's registration when the
/// preprovision hook made it, once, keeping the URIs there; a registration the operator brought is left alone. Entra ID
/// itself and the PowerShell twin are not run here.
/// </summary>
public sealed class PostprovisionHookTests : IDisposable
{
    private const string AppId = "00000000-0000-4000-8000-000000000001";
    private const string Web = "https://happy-tree-0a1b2c3d4.5.azurestaticapps.net";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("kanbatte-postprovision-");

    private string State => Path.Combine(_work.FullName, "state");
    private string Bin => Path.Combine(_work.FullName, "bin");
    private string App => Path.Combine(State, "apps", AppId);

    public PostprovisionHookTests()
    {
        HookProcess.InstallStubs(Bin);
        // The registration the preprovision hook made, with a URI someone added for local development.
        Directory.CreateDirectory(App);
        File.WriteAllText(Path.Combine(App, "name"), "kanbatte-api-dev");
        File.WriteAllText(Path.Combine(App, "spa"), "http://localhost:5173/\n");
    }

    public void Dispose() => _work.Delete(recursive: true);

    private static readonly Dictionary<string, string> Managed = new()
    {
        ["WEB_BASE_URL"] = Web,
        ["KANBATTE_API_CLIENT_ID"] = AppId,
        ["KANBATTE_API_REGISTRATION_MANAGED"] = "true",
    };

    private (HookResult Result, IReadOnlyList<string> Calls) Hook(IReadOnlyDictionary<string, string> azdEnvironment)
    {
        var calls = Path.Combine(State, "calls");
        File.Delete(calls);
        var environment = new Dictionary<string, string>(azdEnvironment) { ["STUB_STATE"] = State, ["STUB_TENANT"] = "72f988bf-0000-4000-8000-000000000001", ["AZURE_ENV_NAME"] = "dev" };
        var result = HookProcess.Run("postprovision.sh", Repository.Root, environment, Bin);
        return (result, File.Exists(calls) ? File.ReadAllLines(calls) : []);
    }

    private string[] RedirectUris() => File.ReadAllLines(Path.Combine(App, "spa"));

    private static bool Changes(string call) => call.StartsWith("az rest", StringComparison.Ordinal) || call.StartsWith("az ad app update", StringComparison.Ordinal);

    [Fact]
    public void A_new_deployment_adds_the_web_client_as_a_SPA_redirect_URI_keeping_the_others()
    {
        var (run, calls) = Hook(Managed);
        Assert.True(run.ExitCode == 0, run.ToString());

        // MSAL's redirectUri is the origin and "/", exactly (src/Kanbatte.Web/src/auth-msal.ts).
        Assert.Equal(["http://localhost:5173/", Web + "/"], RedirectUris());
        // One PATCH of the application's spa.redirectUris through Graph, on the application object.
        var patch = Assert.Single(calls, Changes);
        Assert.StartsWith($"az rest --method PATCH --uri https://graph.microsoft.com/v1.0/applications/object-{AppId} ", patch);
        using var body = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(App, "spa-body")));
        Assert.Equal(["spa"], body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["http://localhost:5173/", Web + "/"], body.RootElement.GetProperty("spa").GetProperty("redirectUris").EnumerateArray().Select(u => u.GetString()));
        Assert.Contains(Web + "/", run.Output, StringComparison.Ordinal);
        // The body went through a temporary file, which is gone.
        var file = patch[(patch.IndexOf("--body @", StringComparison.Ordinal) + "--body @".Length)..];
        Assert.False(File.Exists(file), file);
    }

    [Fact]
    public void Running_again_changes_nothing()
    {
        Assert.Equal(0, Hook(Managed).Result.ExitCode);

        var (again, calls) = Hook(Managed);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.DoesNotContain(calls, Changes);
        Assert.Equal(["http://localhost:5173/", Web + "/"], RedirectUris());
        Assert.Contains("already", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registration_the_operator_brought_is_left_alone_and_the_hook_says_what_to_add()
    {
        var (run, calls) = Hook(new Dictionary<string, string> { ["WEB_BASE_URL"] = Web, ["KANBATTE_API_CLIENT_ID"] = AppId });

        Assert.True(run.ExitCode == 0, run.ToString()); // the deployment goes on: the rest works, sign-in waits for the URI
        Assert.Empty(calls); // not even az is needed
        Assert.Equal(["http://localhost:5173/"], RedirectUris());
        foreach (var text in new[] { Web + "/", AppId, "Single-page application" })
            Assert.Contains(text, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registration_az_cannot_read_stops_with_what_to_do()
    {
        var (run, calls) = Hook(new Dictionary<string, string>(Managed) { ["KANBATTE_API_CLIENT_ID"] = "00000000-0000-4000-8000-0000000000ff" });

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("az login", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(calls, Changes);
    }

    [Theory]
    [InlineData("http://happy-tree.azurestaticapps.net")] // not https
    [InlineData("https://happy-tree.azurestaticapps.net/path")]
    [InlineData("https://x\", \"https://evil.example")] // would be a second URI in the JSON body
    [InlineData("")]
    public void A_web_address_that_is_not_an_https_origin_is_refused(string web)
    {
        var (run, calls) = Hook(new Dictionary<string, string>(Managed) { ["WEB_BASE_URL"] = web });

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("WEB_BASE_URL", run.Error, StringComparison.Ordinal);
        Assert.Empty(calls);
        Assert.Equal(["http://localhost:5173/"], RedirectUris());
    }

    [Fact]
    public void The_PowerShell_hook_makes_the_same_az_calls_on_the_same_rule()
    {
        // pwsh is not on the build machines, so the Windows hook is compared with this one: the same az commands, the
        // same condition, the same redirect URI.
        var sh = File.ReadAllText(Path.Combine(Repository.Infra, "hooks", "postprovision.sh"));
        var ps = File.ReadAllText(Path.Combine(Repository.Infra, "hooks", "postprovision.ps1"));
        foreach (var command in new[] { @"(cloud show --query [\w.]+)", @"ad app show --id \S+ --query ([\w.]+)", @"(rest --method PATCH --uri)" })
        {
            var calls = HookProcess.Matches(sh, @"(?m)(?:^|[$(\s])az " + command);
            Assert.NotEmpty(calls);
            Assert.Equal(calls, HookProcess.Matches(ps, @"Invoke-Az " + command));
        }
        Assert.Equal(["id", "spa.redirectUris"], HookProcess.Matches(sh, @"az ad app show --id \S+ --query ([\w.]+)"));
        Assert.Contains("\"${KANBATTE_API_REGISTRATION_MANAGED:-}\" != \"true\"", sh, StringComparison.Ordinal);
        Assert.Contains("$env:KANBATTE_API_REGISTRATION_MANAGED -ne 'true'", ps, StringComparison.Ordinal);
        Assert.Contains("uri=\"$web/\"", sh, StringComparison.Ordinal);
        Assert.Contains("$uri = \"$web/\"", ps, StringComparison.Ordinal);
        Assert.Contains("--body \"@$body\"", sh, StringComparison.Ordinal);
        Assert.Contains("--body \"@$($body.FullName)\"", ps, StringComparison.Ordinal);
    }
}
