using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Kanbatte.Testing;

/// <summary>
/// The self-hosted server in process, on its own SQLite file, accepting the test issuer's tokens
/// (<see cref="TestTokens"/>): <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> sends the default user's.
/// </summary>
public sealed class KanbatteFactory : WebApplicationFactory<Program>
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-http-");
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly bool _testIssuer;

    /// <summary>The one public constructor (xunit's class fixtures need exactly one): the test issuer, nothing else.</summary>
    public KanbatteFactory() : this(new Dictionary<string, string?>(), testIssuer: true) { }

    private KanbatteFactory(IReadOnlyDictionary<string, string?> settings, bool testIssuer) => (_settings, _testIssuer) = (settings, testIssuer);

    /// <summary>
    /// A server with more <paramref name="settings"/>; without the test issuer, the issuer is what they configure (an
    /// Authority, say) or, when they configure none, the server's local issuer.
    /// </summary>
    public static KanbatteFactory With(IReadOnlyDictionary<string, string?> settings, bool testIssuer = true) => new(settings, testIssuer);

    public string DatabasePath => Path.Combine(_folder.FullName, "kanbatte.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Kanbatte:Sqlite:Path", DatabasePath);
        if (_testIssuer) builder.UseTestIssuer();
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    /// <summary>Every client (also of a factory made from this one with WithWebHostBuilder) carries the default user's token.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        if (_testIssuer) client.WithToken();
    }

    /// <summary>A client sending <paramref name="token"/> (see <see cref="TestTokens.Mint"/>).</summary>
    public HttpClient CreateClient(string token) => CreateClient().WithToken(token);

    /// <summary>A client for a given user of the test issuer.</summary>
    public HttpClient CreateClientFor(string userId, string? name = null, bool admin = false) =>
        CreateClient(TestTokens.Mint(userId, name, admin));

    /// <summary>A client without a token.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

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
