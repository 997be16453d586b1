using System.CommandLine;
using System.Text;

namespace Kanbatte.Cli;

public static partial class Cli
{
    private static IEnumerable<Command> AuthCommands()
    {
        var device = new Option<bool>("--device") { Description = "Sign in to Microsoft Entra ID with the device-code flow (a deployed function app)" };
        var tenant = new Option<string?>("--tenant") { Description = "The Entra ID tenant (id or domain): the authority is https://login.microsoftonline.com/<tenant>", HelpName = "tenant" };
        var authority = new Option<string?>("--authority") { Description = "The authority instead of --tenant (https)", HelpName = "url" };
        var clientId = new Option<string?>("--client-id") { Description = "The public client app registration to sign in with", HelpName = "id" };
        var scopes = new Option<string[]>("--scope")
        {
            Description = "The API's scope, e.g. api://<API client id>/access_as_user (KANBATTE_API_SCOPE of azd)",
            HelpName = "scope",
            AllowMultipleArgumentsPerToken = false,
        };
        var login = new Command("login", "Keep a token for the server: read from standard input (never an argument), or with --device from Entra ID")
        {
            device, tenant, authority, clientId, scopes,
        };
        Action(login, async run =>
        {
            if (!run.Get(device))
            {
                if (run.Has(tenant) || run.Has(authority) || run.Has(clientId) || run.Has(scopes))
                    throw CliException.Usage("--tenant, --authority, --client-id and --scope go with --device.");
                var token = ReadToken(run);
                var me = await WhoAmIAsync(run, new StaticToken(token));
                Credentials.Save(run.Server, new ServerCredential(token, null));
                run.Write($"Signed in to {run.Server} as {Views.S(me, "id")} ({Views.S(me, "name")}).\n");
                return;
            }
            if (run.Get(tenant) is not null && run.Get(authority) is not null) throw CliException.Usage("Give --tenant or --authority, not both.");
            var authorityUrl = run.Get(authority) ?? (run.Get(tenant) is { } t ? $"https://login.microsoftonline.com/{Uri.EscapeDataString(t)}" : null)
                ?? throw CliException.Usage("--device needs --tenant (or --authority).");
            EntraTokens.CheckAuthority(authorityUrl);
            var client = run.Get(clientId) ?? throw CliException.Usage("--device needs --client-id (a public client app registration).");
            var wanted = run.Get(scopes) is { Length: > 0 } s ? s : throw CliException.Usage("--device needs --scope (the API's scope).");
            var (signIn, accessToken) = await EntraTokens.SignInAsync(authorityUrl, client, wanted, run.Error, run.Ct);
            var who = await WhoAmIAsync(run, new StaticToken(accessToken));
            Credentials.Save(run.Server, new ServerCredential(null, signIn));
            run.Write($"Signed in to {run.Server} as {Views.S(who, "id")} ({Views.S(who, "name")}).\n");
        });

        var logout = new Command("logout", "Forget the token kept for the server");
        Action(logout, run =>
        {
            var removed = Credentials.Remove(run.Server);
            run.Write(removed ? $"Signed out of {run.Server}.\n" : $"No sign-in was kept for {run.Server}.\n");
            return Task.CompletedTask;
        });

        var format = FormatOption();
        var whoami = new Command("whoami", "Who the token says you are (GET /api/me)") { format };
        Action(whoami, async run => run.Write(Views.Entity(run.Get(format), await run.Client.GetAsync("me", run.Ct), Views.Me)));
        return [login, logout, whoami];
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> WhoAmIAsync(Invocation run, ITokenSource token)
    {
        using var client = new KanbatteClient(run.Server, token);
        return await client.GetAsync("me", run.Ct);
    }

    /// <summary>The token from standard input: the first line, or typed without echo at a terminal.</summary>
    private static string ReadToken(Invocation run)
    {
        string? token;
        if (Console.IsInputRedirected)
        {
            token = Console.In.ReadLine();
        }
        else
        {
            run.Error.Write($"Token for {run.Server}: ");
            run.Error.Flush();
            var typed = new StringBuilder();
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter) break;
                if (key.Key == ConsoleKey.Backspace) { if (typed.Length > 0) typed.Length--; }
                else if (!char.IsControl(key.KeyChar)) typed.Append(key.KeyChar);
            }
            run.Error.WriteLine();
            token = typed.ToString();
        }
        token = token?.Trim();
        if (string.IsNullOrEmpty(token)) throw CliException.Usage("No token on standard input: kanbatte login < token-file, or type it when asked.");
        if (token.Any(char.IsWhiteSpace)) throw CliException.Usage("A token has no spaces: give the token alone, without 'Bearer'.");
        return token;
    }
}
