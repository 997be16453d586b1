using Kanbatte.Api;
using Kanbatte.Server;

var builder = WebApplication.CreateBuilder(args);

// The Functions host's port, so a client keeps one base URL for both hosts; --urls or ASPNETCORE_URLS override it.
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
    builder.WebHost.UseUrls("http://localhost:7071");

builder.Services.AddKanbatteApi(builder.Configuration);
builder.Services.AddSqliteStore(builder.Configuration);

var app = builder.Build();
app.MapKanbatteApi();
app.Run();

/// <summary>The self-hosted server's entry point, visible to in-process tests.</summary>
public partial class Program;
