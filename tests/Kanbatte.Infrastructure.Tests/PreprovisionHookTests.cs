using System.Diagnostics;

namespace Kanbatte.Infrastructure.Tests;

/// <summary>
/// infra/hooks/preprovision.sh run by <c>sh</c> against stand-ins for <c>az</c> and <c>azd</c> (HookStubs/, Entra ID
/// kept as files): what it creates, what it hands to azd, and that a second run reuses everything. Entra ID itself and
/// the PowerShell twin are not run here.
/// </summary>
public sealed class PreprovisionHookTests : IDisposable
{
    private const string Tenant = "72f988bf-0000-4000-8000-000000000001";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("kanbatte-hook-");

    private string State => Path.Combine(_work.FullName, "state");
    private string Bin => Path.Combine(_work.FullName, "bin");

    public PreprovisionHookTests()
    {
        Directory.CreateDirectory(Path.Combine(State, "apps"));
        Directory.CreateDirectory(Bin);
        foreach (var tool in new[] { "az", "azd" })
        {
            var target = Path.Combine(Bin, tool);
            File.Copy(Path.Combine(Repository.Root, "tests/Kanbatte.Infrastructure.Tests/HookStubs", tool), target);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, File.GetUnixFileMode(target) | UnixFileMode.UserExecute);
        }
    }

    public void Dispose() => _work.Delete(recursive: true);

    private sealed record Run(int ExitCode, string Output, string Error, IReadOnlyList<string> Calls);

    /// <summary>One hook run, with the azd environment values given (as azd passes them) and nothing else of ours.</summary>
    private Run Hook(IReadOnlyDictionary<string, string> azdEnvironment)
    {
        File.Delete(Path.Combine(State, "calls"));
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Repository.Root };
        start.ArgumentList.Add(Path.Combine(Repository.Infra, "hooks", "preprovision.sh"));
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("KANBATTE_", StringComparison.Ordinal) || k.StartsWith("AZURE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["PATH"] = Bin + Path.PathSeparator + start.Environment["PATH"];
        start.Environment["STUB_STATE"] = State;
        start.Environment["STUB_TENANT"] = Tenant;
        start.Environment["AZURE_ENV_NAME"] = "dev";
        foreach (var (name, value) in azdEnvironment) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start sh (the hook test needs a POSIX sh).");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The preprovision hook did not finish within a minute.");
        }
        process.WaitForExit();
        var calls = Path.Combine(State, "calls");
        return new Run(process.ExitCode, output.Result, error.Result, File.Exists(calls) ? File.ReadAllLines(calls) : []);
    }

    /// <summary>What the hook left in the azd environment (`azd env set`, the last value of a name wins).</summary>
    private Dictionary<string, string> AzdValues()
    {
        var path = Path.Combine(State, "env");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return values;
        foreach (var line in File.ReadAllLines(path)) values[line[..line.IndexOf('=', StringComparison.Ordinal)]] = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..];
        return values;
    }

    private string[] Apps() => Directory.GetDirectories(Path.Combine(State, "apps")).Select(Path.GetFileName).ToArray()!;

    private bool AppHas(string appId, string part) => File.Exists(Path.Combine(State, "apps", appId, part));

    private static bool Changes(string call) =>
        call.StartsWith("az ad app create", StringComparison.Ordinal) || call.StartsWith("az ad app update", StringComparison.Ordinal)
        || call.StartsWith("az rest", StringComparison.Ordinal) || call.StartsWith("az ad sp create", StringComparison.Ordinal);

    private static void Succeeded(Run run) => Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");

    [Fact]
    public void A_new_environment_gets_a_registration_with_v2_tokens_the_scope_the_role_and_its_ids_in_azd()
    {
        var run = Hook(new Dictionary<string, string>());
        Succeeded(run);

        var appId = Assert.Single(Apps());
        Assert.Equal("kanbatte-api-dev", File.ReadAllText(Path.Combine(State, "apps", appId, "name")));
        Assert.Contains(run.Calls, c => c.StartsWith("az ad app create --display-name kanbatte-api-dev --sign-in-audience AzureADMyOrg", StringComparison.Ordinal));
        // The stub marks each part when the hook sends it: identifier URI, api-registration.json, service principal, pre-authorization.
        Assert.All(new[] { "uri", "api", "sp", "preauth" }, part => Assert.True(AppHas(appId, part), part));

        var values = AzdValues();
        Assert.Equal(appId, values["KANBATTE_API_CLIENT_ID"]);
        Assert.Equal(Tenant, values["KANBATTE_AUTH_TENANT_ID"]);
        Assert.Equal("true", values["KANBATTE_API_REGISTRATION_MANAGED"]);
        Assert.Equal($"api://{appId}/access_as_user", values["KANBATTE_API_SCOPE"]);
        // The id is kept right after the creation, before any other change: a run that stops half-way never leads to a
        // second registration.
        var kept = run.Calls.ToList().IndexOf($"azd env set KANBATTE_API_CLIENT_ID {appId}");
        Assert.True(kept >= 0, string.Join("\n", run.Calls));
        Assert.Equal(["az ad app create"], run.Calls.Take(kept).Where(Changes).Select(c => string.Join(' ', c.Split(' ').Take(4))));
    }

    [Fact]
    public void Running_again_reuses_the_registration_and_changes_nothing()
    {
        Succeeded(Hook(new Dictionary<string, string>()));
        var first = AzdValues();

        var again = Hook(first);
        Succeeded(again);

        Assert.Single(Apps());
        Assert.DoesNotContain(again.Calls, Changes);
        Assert.Equal(first["KANBATTE_API_CLIENT_ID"], AzdValues()["KANBATTE_API_CLIENT_ID"]);
    }

    [Fact]
    public void An_environment_that_lost_its_values_finds_its_registration_by_name()
    {
        Succeeded(Hook(new Dictionary<string, string>()));
        var appId = Assert.Single(Apps());
        File.Delete(Path.Combine(State, "env"));

        var run = Hook(new Dictionary<string, string>());
        Succeeded(run);

        Assert.Single(Apps());
        Assert.DoesNotContain(run.Calls, c => c.StartsWith("az ad app create", StringComparison.Ordinal));
        Assert.Equal(appId, AzdValues()["KANBATTE_API_CLIENT_ID"]);
    }

    [Fact]
    public void A_run_that_stopped_after_creating_the_registration_is_completed_by_the_next()
    {
        const string appId = "00000000-0000-4000-8000-000000000042";
        Directory.CreateDirectory(Path.Combine(State, "apps", appId));
        File.WriteAllText(Path.Combine(State, "apps", appId, "name"), "kanbatte-api-dev");

        var run = Hook(new Dictionary<string, string> { ["KANBATTE_API_CLIENT_ID"] = appId, ["KANBATTE_API_REGISTRATION_MANAGED"] = "true" });
        Succeeded(run);

        Assert.All(new[] { "uri", "api", "sp", "preauth" }, part => Assert.True(AppHas(appId, part), part));
        Assert.DoesNotContain(run.Calls, c => c.StartsWith("az ad app create", StringComparison.Ordinal));
        // The pre-authorization names the scope, so it is sent after the scope exists.
        Assert.True(run.Calls.ToList().FindIndex(c => c.Contains("api-registration.json", StringComparison.Ordinal))
            < run.Calls.ToList().FindIndex(c => c.Contains("api-preauthorized.json", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_registration_the_operator_brings_is_used_as_it_is_without_az()
    {
        var run = Hook(new Dictionary<string, string> { ["KANBATTE_API_CLIENT_ID"] = "00000000-0000-4000-8000-0000000000aa" });
        Succeeded(run);

        Assert.Empty(run.Calls);
        Assert.Empty(Apps());
        Assert.Empty(AzdValues());
    }

    [Fact]
    public void Without_az_signed_in_it_stops_before_provisioning_and_says_what_to_do()
    {
        File.WriteAllText(Path.Combine(State, "signed-out"), "");

        var run = Hook(new Dictionary<string, string>());

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("az login", run.Error, StringComparison.Ordinal);
        Assert.Contains("KANBATTE_API_CLIENT_ID", run.Error, StringComparison.Ordinal);
        Assert.Empty(Apps());
        Assert.Empty(AzdValues());
    }

    [Fact]
    public void The_PowerShell_hook_makes_the_same_az_and_azd_calls()
    {
        // pwsh is not on the build machines, so the Windows hook is compared with this one: the same az commands, the
        // same request bodies, the same azd values.
        var sh = File.ReadAllText(Path.Combine(Repository.Infra, "hooks", "preprovision.sh"));
        var ps = File.ReadAllText(Path.Combine(Repository.Infra, "hooks", "preprovision.ps1"));
        const string commands = @"(account show|cloud show|ad (app|sp) (list|create|show|update)|rest --method PATCH)";
        Assert.Equal(Matches(sh, @"(?m)(?:^|[$(\s])az " + commands), Matches(ps, @"Invoke-Az " + commands));
        Assert.Equal(Matches(sh, @"azd env set (\w+)"), Matches(ps, @"Set-AzdValue (\w+)"));
        Assert.Equal(Matches(sh, @"--body ""@\$here/([\w-]+\.json)"""), Matches(ps, @"--body ""@\$PSScriptRoot/([\w-]+\.json)"""));
        Assert.Equal(2, Matches(sh, @"--body ""@\$here/([\w-]+\.json)""").Count);
        foreach (var text in new[] { "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "'access_as_user'", "'Kanbatte.Admin'", "--sign-in-audience AzureADMyOrg", "kanbatte-api-" })
            Assert.Contains(text, ps, StringComparison.Ordinal);
    }

    private static SortedSet<string> Matches(string text, string pattern) =>
        new(System.Text.RegularExpressions.Regex.Matches(text, pattern).Select(m => m.Groups[1].Value), StringComparer.Ordinal);
}
