using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Kanbatte.FunctionalTests;

/// <summary>The self-hosted server in process, on its own SQLite file.</summary>
public sealed class KanbatteFactory : WebApplicationFactory<Program>
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-http-");

    public string DatabasePath => Path.Combine(_folder.FullName, "kanbatte.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting("Kanbatte:Sqlite:Path", DatabasePath);

    /// <summary>Reads a number straight from the database file, to check what the API wrote (or did not write).</summary>
    public long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public long EventCount => Scalar("SELECT COUNT(*) FROM event_log");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}

public static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());

    /// <summary>Creates a project with a fresh key (so tests sharing a server never collide) and returns the key.</summary>
    public static async Task<string> NewProjectAsync(this HttpClient client, string prefix = "P")
    {
        var key = prefix + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var response = await client.PostJsonAsync("/api/projects", new { key, name = "Project " + key });
        Xunit.Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return key;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, Json);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object body) =>
        client.PatchAsJsonAsync(url, body, Json);

    public static Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string url, string body, string contentType = "application/json") =>
        client.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(body, System.Text.Encoding.UTF8, contentType) });
}
