using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kanbatte.Infrastructure.Tests;

/// <summary>
/// infra/hooks/web-config.sh, the web service's predeploy hook, run by <c>sh</c> in a folder with a built client, as azd
/// runs it in src/Kanbatte.Web: the client's configuration (dist/config.json, read by src/Kanbatte.Web/src/config.ts)
/// and Static Web Apps' (dist/staticwebapp.config.json: the fallback to the client, its Content-Security-Policy and
/// headers) from the azd environment's values. What Static Web Apps does with them is seen on Azure only.
/// </summary>
public sealed partial class WebConfigHookTests : IDisposable
{
    private const string Api = "https://func-abc123.azurewebsites.net";
    private const string SignalR = "https://sigr-abc123.service.signalr.net";
    private const string ClientId = "9b0e4d2c-71a3-4f5e-8d6b-2a1c3e5f7091";
    private const string Authority = "https://login.microsoftonline.com/3f1c2a9e-5b7d-4e60-9a2b-8c4d6e0f1a23";

    private static readonly Dictionary<string, string> Values = new()
    {
        ["API_ORIGIN"] = Api,
        ["API_BASE_URL"] = Api + "/api",
        ["AZURE_SIGNALR_ENDPOINT"] = SignalR,
        ["KANBATTE_API_CLIENT_ID"] = ClientId,
        ["AUTH_AUTHORITY"] = Authority,
        ["WEB_BASE_URL"] = "https://happy-tree-0a1b2c3d4.5.azurestaticapps.net",
    };

    private readonly DirectoryInfo _service = Directory.CreateTempSubdirectory("kanbatte-web-config-");

    private string Dist => Path.Combine(_service.FullName, "dist");

    public WebConfigHookTests()
    {
        // What npm run build leaves (build.mjs).
        Directory.CreateDirectory(Path.Combine(Dist, "chunks"));
        File.WriteAllText(Path.Combine(Dist, "index.html"), "<!doctype html>");
        File.WriteAllText(Path.Combine(Dist, "app.js"), "");
    }

    public void Dispose() => _service.Delete(recursive: true);

    private HookResult Hook(Action<Dictionary<string, string>>? change = null)
    {
        var values = new Dictionary<string, string>(Values);
        change?.Invoke(values);
        return HookProcess.Run("web-config.sh", _service.FullName, values);
    }

    private JsonElement Written(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dist, file)));
        return document.RootElement.Clone();
    }

    /// <summary>A policy as directive name to its sources, in order.</summary>
    private static Dictionary<string, string[]> Directives(string policy) =>
        policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(d => d[0], d => d[1..]);

    private Dictionary<string, string> Headers() =>
        Written("staticwebapp.config.json").GetProperty("globalHeaders").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString()!);

    [Fact]
    public void The_client_gets_the_API_origin_and_Entra_ID_sign_in_for_the_APIs_registration()
    {
        var run = Hook();
        Assert.True(run.ExitCode == 0, run.ToString());

        var config = Written("config.json");
        Assert.Equal(["apiBase", "auth"], config.EnumerateObject().Select(p => p.Name));
        // The client calls `${apiBase}/api/...`: the origin, not API_BASE_URL, which ends in /api.
        Assert.Equal(Api, config.GetProperty("apiBase").GetString());
        var auth = config.GetProperty("auth");
        Assert.Equal("msal", auth.GetProperty("kind").GetString());
        Assert.Equal(ClientId, auth.GetProperty("clientId").GetString());
        Assert.Equal(Authority, auth.GetProperty("authority").GetString());
        // The scope the preprovision hook defines (api-registration.json); its token's aud is the client id.
        Assert.Equal([$"api://{ClientId}/access_as_user"], auth.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        // The shape src/Kanbatte.Web/src/config.ts reads.
        Assert.Contains("{ kind: \"msal\"; clientId: string; authority: string; scopes: string[] }", File.ReadAllText(Path.Combine(Repository.Root, "src/Kanbatte.Web/src/config.ts")));
    }

    [Fact]
    public void Every_path_that_is_not_a_file_serves_the_client_and_missing_files_stay_404()
    {
        Assert.Equal(0, Hook().ExitCode);
        var fallback = Written("staticwebapp.config.json").GetProperty("navigationFallback");
        Assert.Equal("/index.html", fallback.GetProperty("rewrite").GetString());
        var excluded = fallback.GetProperty("exclude").EnumerateArray().Select(e => Glob(e.GetString()!)).ToList();
        bool Excluded(string path) => excluded.Any(e => e.IsMatch(path));

        foreach (var route in new[] { "/", "/projects/AI", "/projects/AI/board", "/tasks/AI-001", "/tasks/AI-001/history" })
            Assert.False(Excluded(route), route);
        foreach (var file in new[] { "/app.js", "/app.css", "/config.json", "/chunks/auth-msal-E4JO3OYY.js", "/chunks/chunk-57PKP6FO.js", "/favicon.ico" })
            Assert.True(Excluded(file), file);
    }

    [Fact]
    public void The_page_is_served_with_a_strict_policy_naming_only_the_API_SignalR_and_Entra_ID()
    {
        Assert.Equal(0, Hook().ExitCode);
        var headers = Headers();
        var csp = Directives(headers["Content-Security-Policy"]);

        Assert.Equal(["'none'"], csp["default-src"]);
        Assert.Equal(["'self'"], csp["script-src"]); // no inline script, no eval, no other origin
        Assert.Equal(["'self'"], csp["style-src"]);
        Assert.Equal(["'self'", "data:"], csp["img-src"]);
        // The API, SignalR Service (WebSockets, else server-sent events or long polling) and the tenant's sign-in endpoint.
        Assert.Equal(["'self'", Api, SignalR, "wss://sigr-abc123.service.signalr.net", "https://login.microsoftonline.com"], csp["connect-src"]);
        Assert.Equal(["'none'"], csp["base-uri"]);
        Assert.Equal(["'self'"], csp["form-action"]);
        Assert.Equal(["'none'"], csp["frame-ancestors"]);
        Assert.Equal(["'none'"], csp["object-src"]);
        // Sign-in redirects the whole page: no frame is ever loaded, so frame-src falls back to default-src 'none'.
        Assert.DoesNotContain("frame-src", csp.Keys);
        Assert.DoesNotContain("child-src", csp.Keys);
        Assert.DoesNotContain(csp.Values.SelectMany(s => s), s => s.Contains("unsafe", StringComparison.Ordinal) || s.Contains('*'));

        Assert.Equal("nosniff", headers["X-Content-Type-Options"]);
        Assert.Equal("no-referrer", headers["Referrer-Policy"]);
        // app.js, app.css, index.html and config.json keep their names across deployments: asked again on every load.
        Assert.Equal("no-cache", headers["Cache-Control"]);
    }

    [Fact]
    public void The_policy_is_the_self_hosted_servers_with_the_deployed_clients_connections()
    {
        Assert.Equal(0, Hook().ExitCode);
        // src/Kanbatte.Server/WebClient.cs: the same client, the same policy, but for where it connects.
        var source = File.ReadAllText(Path.Combine(Repository.Root, "src/Kanbatte.Server/WebClient.cs"));
        var constant = ServerPolicy().Match(source);
        Assert.True(constant.Success, "WebClient.ContentSecurityPolicy is not a concatenation of string literals any more");
        var server = Directives(string.Concat(StringLiteral().Matches(constant.Groups[1].Value).Select(m => m.Groups[1].Value)));
        var azure = Directives(Headers()["Content-Security-Policy"]);

        Assert.Equal(server.Keys.Order(StringComparer.Ordinal), azure.Keys.Order(StringComparer.Ordinal));
        foreach (var (directive, sources) in server.Where(d => d.Key != "connect-src"))
            Assert.Equal(sources, azure[directive]);
        Assert.Equal(server["connect-src"], azure["connect-src"].Take(server["connect-src"].Length));
    }

    [Fact]
    public void Hashed_chunks_are_cached_for_good_and_nothing_else_is()
    {
        Assert.Equal(0, Hook().ExitCode);
        var route = Assert.Single(Written("staticwebapp.config.json").GetProperty("routes").EnumerateArray());
        Assert.Equal("/chunks/*", route.GetProperty("route").GetString());
        Assert.Equal("public, max-age=31536000, immutable", route.GetProperty("headers").GetProperty("Cache-Control").GetString());
        // build.mjs names chunks by their content's hash.
        Assert.Contains("chunkNames: \"chunks/[name]-[hash]\"", File.ReadAllText(Path.Combine(Repository.Root, "src/Kanbatte.Web/build.mjs")));
    }

    [Fact]
    public void Another_cloud_or_port_changes_only_the_origins()
    {
        var run = Hook(v =>
        {
            v["AUTH_AUTHORITY"] = "https://login.microsoftonline.us/3f1c2a9e-5b7d-4e60-9a2b-8c4d6e0f1a23/";
            v["API_ORIGIN"] = "https://api.example.com:8443";
        });
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("https://login.microsoftonline.us/3f1c2a9e-5b7d-4e60-9a2b-8c4d6e0f1a23", Written("config.json").GetProperty("auth").GetProperty("authority").GetString());
        Assert.Equal("https://api.example.com:8443", Written("config.json").GetProperty("apiBase").GetString());
        Assert.Equal(["'self'", "https://api.example.com:8443", SignalR, "wss://sigr-abc123.service.signalr.net", "https://login.microsoftonline.us"],
            Directives(Headers()["Content-Security-Policy"])["connect-src"]);
    }

    [Theory]
    [InlineData("API_ORIGIN", null)] // not provisioned yet
    [InlineData("API_ORIGIN", "https://func-abc123.azurewebsites.net/api")] // a path
    [InlineData("API_ORIGIN", "http://func-abc123.azurewebsites.net")]
    [InlineData("API_ORIGIN", "https://x; script-src *")] // would widen the policy
    [InlineData("API_ORIGIN", "https://x\", \"auth\": {}, \"y\": \"")] // would rewrite the JSON
    [InlineData("AZURE_SIGNALR_ENDPOINT", null)]
    [InlineData("AZURE_SIGNALR_ENDPOINT", "wss://sigr-abc123.service.signalr.net")]
    [InlineData("KANBATTE_API_CLIENT_ID", null)]
    [InlineData("KANBATTE_API_CLIENT_ID", "9b0e4d2c-71a3-4f5e-8d6b-2a1c3e5f709")]
    [InlineData("KANBATTE_API_CLIENT_ID", "9b0e4d2c-71a3-4f5e-8d6b-2a1c3e5f70\"1")]
    [InlineData("AUTH_AUTHORITY", null)]
    [InlineData("AUTH_AUTHORITY", "https://login.microsoftonline.com")] // no tenant
    [InlineData("AUTH_AUTHORITY", "http://login.microsoftonline.com/3f1c2a9e-5b7d-4e60-9a2b-8c4d6e0f1a23")]
    [InlineData("AUTH_AUTHORITY", "https://login.microsoftonline.com/x\"y")]
    public void A_missing_or_malformed_value_stops_the_deployment_naming_it_and_writes_nothing(string name, string? value)
    {
        var run = Hook(v =>
        {
            if (value is null) v.Remove(name);
            else v[name] = value;
        });

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(name, run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Dist, "config.json")));
        Assert.False(File.Exists(Path.Combine(Dist, "staticwebapp.config.json")));
    }

    [Fact]
    public void Without_a_built_client_it_says_so()
    {
        File.Delete(Path.Combine(Dist, "index.html"));

        var run = Hook();

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("index.html", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Dist, "config.json")));
    }

    [Fact]
    public void The_PowerShell_hook_reads_the_same_values_and_writes_the_same_files()
    {
        // pwsh is not on the build machines, so the Windows hook is compared with this one: the same values, checked
        // by the same rules, into the same text.
        var sh = File.ReadAllText(Path.Combine(Repository.Infra, "hooks", "web-config.sh"));
        var ps = File.ReadAllText(Path.Combine(Repository.Infra, "hooks", "web-config.ps1"));
        Assert.Equal(HookProcess.Matches(sh, @"\$\(value (\w+)\)"), HookProcess.Matches(ps, @"Get-Value (\w+)"));
        Assert.Equal(["API_ORIGIN", "AUTH_AUTHORITY", "AZURE_SIGNALR_ENDPOINT", "KANBATTE_API_CLIENT_ID"], HookProcess.Matches(sh, @"\$\(value (\w+)\)"));

        // The two files: heredocs in sh, here-strings in PowerShell, with the variables named alike.
        static string Same(string text) => text.Replace("$client_id", "$clientId", StringComparison.Ordinal);
        var shFiles = Regex.Matches(sh, @"<<EOF\n(.*?)\nEOF", RegexOptions.Singleline).Select(m => Same(m.Groups[1].Value)).ToList();
        var psFiles = Regex.Matches(ps, "@\"\n(.*?)\n\"@", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, shFiles.Count);
        Assert.Equal(shFiles, psFiles);
        Assert.Equal(Regex.Match(sh, "(?m)^csp=\"(.*)\"$").Groups[1].Value, Regex.Match(ps, "(?m)^\\$csp = \"(.*)\"$").Groups[1].Value);
        Assert.Equal(Same(Regex.Match(sh, "(?m)^connect=\"(.*)\"$").Groups[1].Value).Replace("${signalr#https://}", "$($signalr.Substring('https://'.Length))", StringComparison.Ordinal),
            Regex.Match(ps, "(?m)^\\$connect = \"(.*)\"$").Groups[1].Value);
    }

    /// <summary>A Static Web Apps path filter (<c>*</c>, <c>{a,b}</c>) as a regular expression.</summary>
    private static Regex Glob(string pattern)
    {
        var expression = Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\{", "(", StringComparison.Ordinal).Replace("}", ")", StringComparison.Ordinal);
        expression = Regex.Replace(expression, @"\(([^)]*)\)", m => "(" + m.Groups[1].Value.Replace(',', '|') + ")");
        return new Regex("^" + expression + "$");
    }

    [GeneratedRegex(@"ContentSecurityPolicy\s*=\s*((?:""[^""]*""\s*\+?\s*)+);")]
    private static partial Regex ServerPolicy();

    [GeneratedRegex(@"""([^""]*)""")]
    private static partial Regex StringLiteral();
}
