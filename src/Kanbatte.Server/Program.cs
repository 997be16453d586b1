using Kanbatte.Api;
using Kanbatte.Server;

// Settings ship beside the binary; the database path stays relative to the folder the server was started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// `rebuild`: a one-off command on the same settings instead of serving (see RebuildCommand).
if (args is [RebuildCommand.Name, ..])
{
    Environment.ExitCode = await RebuildCommand.RunAsync(builder.Configuration, Console.Out);
    return;
}

// The Functions host's port, so a client keeps one base URL for both hosts; --urls or ASPNETCORE_URLS override it.
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
    builder.WebHost.UseUrls("http://localhost:7071");

builder.Services.AddKanbatteApi(builder.Configuration);
// Kanbatte:Store picks the data path: the embedded SQLite file (default) or Cosmos DB, as the function app uses it.
switch (builder.Configuration["Kanbatte:Store"] ?? "Sqlite")
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
app.UseKanbatteProblems();
app.MapKanbatteApi();
app.Run();

/// <summary>The self-hosted server's entry point, visible to in-process tests.</summary>
public partial class Program;
