using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Data.Sqlite;
using Microsoft.IdentityModel.Tokens;

namespace Kanbatte.Benchmarks;

/// <summary>
/// The throughput baseline: the same work done as plain CRUD, no events. One table of tasks on the same SQLite settings
/// as Kanbatte's store (WAL, synchronous NORMAL, pooled connections, one writer at a time through an in-process lock);
/// a create is one insert, an update one update, a read one point read, each answered with the row as JSON.
/// Requests are validated the way Kanbatte validates them (a JSON object, a title of 1-200 characters), and
/// authenticated as an app a team would pick instead would: JwtBearer validating the same tokens Kanbatte checks
/// (signature, issuer, audience, lifetime), each row belonging to a user and read or written only by that user.
/// </summary>
public static class BaselineApp
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var path = builder.Configuration["path"] ?? Path.Combine(Path.GetTempPath(), $"baseline-{Guid.NewGuid():N}.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        var writer = new SemaphoreSlim(1, 1);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = TestTokens.Issuer,
                ValidAudience = TestTokens.Audience,
                IssuerSigningKey = new SymmetricSecurityKey(TestTokens.Key),
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            };
        });
        builder.Services.AddAuthorization();

        SqliteConnection Open()
        {
            var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";
            pragma.ExecuteNonQuery();
            return connection;
        }

        using (var connection = Open())
        using (var schema = connection.CreateCommand())
        {
            schema.CommandText = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS tasks (
                    id INTEGER PRIMARY KEY, owner TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL, status TEXT NOT NULL,
                    version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
                """;
            schema.ExecuteNonQuery();
        }

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/api/health", () => Results.Ok(new { status = "healthy" }));
        var items = app.MapGroup("/api/items").RequireAuthorization();

        items.MapPost("", async (HttpRequest request, ClaimsPrincipal user) =>
        {
            var body = await ReadAsync(request);
            if (body is not { Title: { Length: > 0 and <= 200 } title }) return Results.Problem(statusCode: 400, title: "title is required");
            var now = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            await writer.WaitAsync();
            try
            {
                await using var connection = Open();
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    INSERT INTO tasks (owner, title, description, status, version, created_at, updated_at) VALUES ($o, $t, $d, $s, 1, $now, $now)
                    RETURNING id, title, description, status, version, created_at, updated_at
                    """;
                command.Parameters.AddWithValue("$o", Owner(user));
                command.Parameters.AddWithValue("$t", title);
                command.Parameters.AddWithValue("$d", body.Description ?? "");
                command.Parameters.AddWithValue("$s", body.Status ?? "todo");
                command.Parameters.AddWithValue("$now", now);
                var row = await ReadRowAsync(command);
                return Results.Created($"/api/items/{row!.Id}", row);
            }
            finally { writer.Release(); }
        });

        items.MapPatch("{id:long}", async (HttpRequest request, ClaimsPrincipal user, long id) =>
        {
            var body = await ReadAsync(request);
            if (body is null || body.Title is { Length: 0 or > 200 }) return Results.Problem(statusCode: 400, title: "bad body");
            await writer.WaitAsync();
            try
            {
                await using var connection = Open();
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    UPDATE tasks SET title = COALESCE($t, title), description = COALESCE($d, description), status = COALESCE($s, status),
                        version = version + 1, updated_at = $now WHERE id = $id AND owner = $o
                    RETURNING id, title, description, status, version, created_at, updated_at
                    """;
                command.Parameters.AddWithValue("$t", (object?)body.Title ?? DBNull.Value);
                command.Parameters.AddWithValue("$d", (object?)body.Description ?? DBNull.Value);
                command.Parameters.AddWithValue("$s", (object?)body.Status ?? DBNull.Value);
                command.Parameters.AddWithValue("$now", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$o", Owner(user));
                var row = await ReadRowAsync(command);
                return row is null ? Results.NotFound() : Results.Ok(row);
            }
            finally { writer.Release(); }
        });

        items.MapGet("{id:long}", async (ClaimsPrincipal user, long id) =>
        {
            await using var connection = Open();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, title, description, status, version, created_at, updated_at FROM tasks WHERE id = $id AND owner = $o";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$o", Owner(user));
            var row = await ReadRowAsync(command);
            return row is null ? Results.NotFound() : Results.Ok(row);
        });

        await app.RunAsync();
    }

    private static string Owner(ClaimsPrincipal user) => user.FindFirstValue("sub") ?? throw new InvalidOperationException("A validated token without sub.");

    public sealed record Body(string? Title, string? Description, string? Status);

    public sealed record Row(long Id, string Title, string Description, string Status, long Version, string CreatedAt, string UpdatedAt);

    private static async Task<Body?> ReadAsync(HttpRequest request)
    {
        try { return await JsonSerializer.DeserializeAsync<Body>(request.Body, Json); }
        catch (JsonException) { return null; }
    }

    private static async Task<Row?> ReadRowAsync(SqliteCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return new Row(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetString(5), reader.GetString(6));
    }
}
