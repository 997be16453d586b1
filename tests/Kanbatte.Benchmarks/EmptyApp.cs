namespace Kanbatte.Benchmarks;

/// <summary>The start-up baseline: an ASP.NET Core app with nothing but the health route.</summary>
public static class EmptyApp
{
    public static async Task RunAsync(string[] args)
    {
        var app = WebApplication.CreateBuilder(args).Build();
        app.MapGet("/api/health", () => Results.Ok(new { status = "healthy" }));
        await app.RunAsync();
    }
}
