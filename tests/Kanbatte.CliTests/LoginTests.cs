using System.Diagnostics;

namespace Kanbatte.CliTests;

[Collection(CliCollection.Name)]
public sealed class LoginTests(CliServer server)
{
    private const UnixFileMode UserOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>A file's permissions (the tool's files are 0600 on Unix; Windows has no such modes: taken as right).</summary>
    private static UnixFileMode Mode(string path) =>
        OperatingSystem.IsWindows() ? File.Exists(path) ? UserOnly : UserOnly | UnixFileMode.UserExecute : File.GetUnixFileMode(path);

    [Fact]
    public async Task Login_keeps_the_token_from_standard_input_readable_by_the_user_only()
    {
        var tool = server.Anonymous();
        var token = CliServer.Token("ann");
        var session = new Transcript();
        await session.RunWithInputAsync("ann", tool, token + "\n", "login");
        await session.OkAsync("ann", tool, "whoami");
        await session.OkAsync("ann", tool, "logout");
        await session.RunAsync("ann", tool, "whoami");
        await session.OkAsync("ann", tool, "logout");
        Assert.Contains(token, session.ToString());
        session.Redact(token, "<ann's token>");
        session.Matches("login");

        // Kept as 0600 in a 0700 folder, replaced whole (a file made wider by hand is narrowed again).
        await tool.RunWithInputAsync(token, "login");
        var file = Path.Combine(tool.ConfigDirectory, "credentials.json");
        Assert.Equal(UserOnly, Mode(file));
        Assert.Equal(UserOnly | UnixFileMode.UserExecute, Mode(tool.ConfigDirectory));
        Assert.Contains(token, await File.ReadAllTextAsync(file));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UserOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await tool.RunWithInputAsync(token, "login");
        Assert.Equal(UserOnly, Mode(file));
        Assert.DoesNotContain(Directory.GetFiles(tool.ConfigDirectory), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_kept_token_is_for_its_server_and_KANBATTE_TOKEN_comes_first()
    {
        var tool = server.Anonymous();
        await tool.RunWithInputAsync(CliServer.Token("ann"), "login");

        tool.Environment["KANBATTE_TOKEN"] = CliServer.Token("bo");
        Assert.Contains("Id:    bo", await tool.OkAsync("whoami"));
        tool.Environment["KANBATTE_TOKEN"] = null;
        Assert.Contains("Id:    ann", await tool.OkAsync("whoami"));
        // The same server by another spelling of its address, with /api: the same credential.
        Assert.Contains("Id:    ann", await tool.OkAsync("--server", server.Url + "api", "whoami"));
        // Another server never gets it.
        var other = $"http://127.0.0.1:{LoopbackPort.Free()}/";
        var error = await tool.FailsAsync(ExitCodes.Usage, "--server", other, "whoami");
        Assert.StartsWith($"Not signed in to {other}:", error);
    }

    [Fact]
    public async Task A_refused_or_missing_token_is_not_kept()
    {
        var tool = server.Anonymous();
        var session = new Transcript();
        await session.RunWithInputAsync("ann", tool, "not-a-token\n", "login");
        await session.RunWithInputAsync("ann", tool, "", "login");
        await session.RunWithInputAsync("ann", tool, "Bearer abc\n", "login");
        await session.RunAsync("ann", tool, "login", "--client-id", "x");
        await session.RunAsync("ann", tool, "login", "--device", "--client-id", "x", "--scope", "api://k/access_as_user");
        await session.RunAsync("ann", tool, "login", "--device", "--authority", "http://login.example.com/tenant", "--client-id", "x", "--scope", "s");
        session.Matches("login-refused");
        Assert.False(File.Exists(Path.Combine(tool.ConfigDirectory, "credentials.json")));
    }

    [Fact]
    public async Task Device_code_sign_in_against_a_stand_in_of_Entra_ID_refreshes_its_token()
    {
        await using var entra = await EntraStandIn.StartAsync();
        var tool = server.Anonymous();
        string[] args = ["login", "--device", "--authority", entra.Authority, "--client-id", EntraStandIn.ClientId, "--scope", "api://kanbatte-api/access_as_user"];
        using var login = Process.Start(KanbatteTool.StartInfo(args, tool.Environment))!;
        login.StandardInput.Close();
        var output = login.StandardOutput.ReadToEndAsync();

        // The user is told where to go and which code to enter (on standard error); they enter it, and the tool signs in.
        var prompt = await login.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal($"To sign in, use a web browser to open the page {entra.Address}devicelogin and enter the code {entra.UserCode} to authenticate.", prompt);
        entra.Approve(entra.UserCode!);
        await login.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var rest = await login.StandardError.ReadToEndAsync();
        Assert.True(login.ExitCode == 0, $"exit {login.ExitCode}: {await output}{rest}");
        Assert.Equal($"Signed in to {server.Url} as {EntraStandIn.ObjectId} ({EntraStandIn.UserName}).\n", await output);
        Assert.Equal("", rest);
        var deviceRequest = entra.Requests.Single(r => r.Path.EndsWith("/devicecode", StringComparison.Ordinal));
        Assert.Equal(EntraStandIn.ClientId, deviceRequest.Form["client_id"]);
        Assert.Contains("api://kanbatte-api/access_as_user", deviceRequest.Form["scope"].Split(' '));
        Assert.Contains("offline_access", deviceRequest.Form["scope"].Split(' '));

        // Kept: the sign-in's settings, and MSAL's cache (with the refresh token), both 0600; no access token in the settings.
        var credentials = await File.ReadAllTextAsync(Path.Combine(tool.ConfigDirectory, "credentials.json"));
        Assert.Contains(EntraStandIn.ClientId, credentials);
        Assert.DoesNotContain("eyJ", credentials);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, Mode(Path.Combine(tool.ConfigDirectory, "credentials.json")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, Mode(Path.Combine(tool.ConfigDirectory, "msal-cache.bin")));

        // Each later command gets a fresh token from the refresh token (these last a minute, under MSAL's 5-minute margin).
        Assert.Equal(0, entra.Refreshes);
        Assert.Contains($"Id:    {EntraStandIn.ObjectId}", await tool.OkAsync("whoami"));
        Assert.Equal(1, entra.Refreshes);
        await tool.OkAsync("project", "create", "-p", "ENTRA", "-n", "Signed in with Entra ID");
        Assert.Equal(2, entra.Refreshes);
        Assert.Contains("ENTRA", await tool.OkAsync("project", "list"));

        // A revoked sign-in: the tool says to sign in again (refused: exit 1).
        entra.RevokeRefreshTokens();
        var error = await tool.FailsAsync(ExitCodes.Refused, "whoami");
        Assert.StartsWith("The Entra ID sign-in has to be renewed (", error);
        Assert.EndsWith("): run 'kanbatte login --device' again.\n", error);
    }
}
