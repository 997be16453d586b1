using Kanbatte.Api;
using Kanbatte.Server;

// `token`: its own arguments are kept from the configuration (see TokenCommand.Split).
var (tokenArgs, configurationArgs) = args is [TokenCommand.Name, .. var rest] ? TokenCommand.Split(rest) : ([], args);

// Settings ship beside the binary; the database path stays relative to the folder the server was started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = configurationArgs, ContentRootPath = AppContext.BaseDirectory });

// `rebuild`: a one-off command on the same settings instead of serving (see RebuildCommand).
if (args is [RebuildCommand.Name, ..])
{
    Environment.ExitCode = await RebuildCommand.RunAsync(builder.Configuration, Console.Out);
    return;
}

// `token` and `rotate-key`: the local issuer's token and key (see TokenCommand).
if (args is [TokenCommand.Name, ..])
{
    Environment.ExitCode = TokenCommand.Run(builder.Configuration, tokenArgs, Console.Out, Console.Error);
    return;
}
if (args is [TokenCommand.RotateKeyName, ..])
{
    Environment.ExitCode = TokenCommand.RotateKey(builder.Configuration, Console.Out, Console.Error);
    return;
}

// The Functions host's port, so a client keeps one base URL for both hosts; --urls or ASPNETCORE_URLS override it.
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
    builder.WebHost.UseUrls("http://localhost:7071");

builder.Services.AddKanbatteApi(builder.Configuration);
// Bearer tokens of the configured issuer, or of the server's own (a key beside the database) when none is configured.
builder.Services.AddKanbatteAuthentication(builder.Configuration, () => LocalIssuer.OpenOrCreate(LocalIssuer.KeyPathOf(builder.Configuration)));
builder.Services.AddKanbatteCors(builder.Configuration);
// The push channel: SignalR at /api/hub, told by the projections what changed (HubNotifier).
builder.Services.AddKanbattePush();
// The route group requires an authenticated caller (KanbatteRoutes); the function app checks the same in its middleware.
builder.Services.AddAuthorization();
// Kanbatte:Store picks the data path: the embedded SQLite file (default) or Cosmos DB, as the function app uses it.
var store = builder.Configuration["Kanbatte:Store"] ?? "Sqlite";
// One server per SQLite file (SqliteServerLock): held until this process exits, so a second server on the file refuses to start.
using var serverLock = store.Equals("Sqlite", StringComparison.OrdinalIgnoreCase) ? SqliteServerLock.Acquire(builder.Configuration) : null;
switch (store)
{
    case var s when s.Equals("Sqlite", StringComparison.OrdinalIgnoreCase):
        builder.Services.AddSqliteStore(builder.Configuration);
        break;
    case var s when s.Equals("Cosmos", StringComparison.OrdinalIgnoreCase):
        builder.Services.AddCosmosServerStore(builder.Configuration);
        break;
    case var other:
        throw new InvalidOperationException($"Kanbatte:Store must be Sqlite or Cosmos, not '{other}'.");
}
builder.AddKanbatteTelemetry();

var app = builder.Build();
app.UseKanbatteSecurityHeaders();
app.UseKanbatteProblems();
// The web client at / (src/Kanbatte.Web): its files, and itself for any other path outside /api.
app.UseKanbatteWebClient();
app.UseRouting();
// CORS before authentication: preflights carry no token, and a refusal must still be readable by the page that asked.
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();
app.MapKanbatteApi();
app.MapKanbatteHub();
app.Lifetime.ApplicationStarted.Register(() =>
{
    app.Logger.LogInformation("{Notice}", TokenCommand.Notice(app.Services.GetRequiredService<TokenIssuers>(), app.Configuration));
    // The sign-in link holds a token: printed to the console for the person who started the server, never logged.
    if (SignInLink.For(app) is { } link) Console.WriteLine($"Sign in to the board: {link}");
});
app.Run();

/// <summary>The self-hosted server's entry point, visible to in-process tests.</summary>
public partial class Program;
