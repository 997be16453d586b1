using System.Security.Claims;
using System.Security.Cryptography;
using Kanbatte.Api;
using Kanbatte.Application;
using Kanbatte.Storage.Sqlite;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kanbatte.Server;

/// <summary>
/// The self-hosted server's own token issuer, used when no issuer is configured: a random 256-bit HS256 key in a file
/// beside the SQLite database, readable by its owner only, created on first use. <c>token</c> mints with it and
/// <c>rotate-key</c> replaces it; a running server reads the file again at most a second after a token arrives, so a
/// rotation ends every earlier token without a restart.
/// </summary>
public sealed class LocalIssuer : ILocalTokenIssuer
{
    public const string IssuerName = "kanbatte-local";
    public const string AudienceName = "kanbatte";
    public const string KeyFileName = "token-signing.key";

    private const int KeyBytes = 32;
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const long RereadAfterMs = 1000;

    private readonly Lock _lock = new();
    private volatile State _state;

    private LocalIssuer(string path, State state) => (KeyPath, _state) = (path, state);

    public string Issuer => IssuerName;
    public string Audience => AudienceName;
    public string KeyPath { get; }

    /// <summary>The key file of the database <c>Kanbatte:Sqlite:Path</c> names (the server's default when unset).</summary>
    public static string KeyPathOf(IConfiguration configuration)
    {
        var database = configuration.GetSection("Kanbatte:Sqlite").Get<SqliteOptions>()?.Path ?? new SqliteOptions().Path;
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(database))!, KeyFileName);
    }

    /// <summary>Opens the key, creating it (and its folder) when there is none yet.</summary>
    public static LocalIssuer OpenOrCreate(string path)
    {
        if (!File.Exists(path)) Write(path, replace: false);
        return new LocalIssuer(path, Read(path));
    }

    /// <summary>Replaces the key (atomically: a reader sees the old key or the new one, never half of one).</summary>
    public static void Rotate(string path) => Write(path, replace: true);

    public ConfiguredSigningKey CurrentKey()
    {
        var state = _state;
        if (Environment.TickCount64 - state.ReadAt < RereadAfterMs) return state.Key;
        lock (_lock)
        {
            state = _state;
            if (Environment.TickCount64 - state.ReadAt < RereadAfterMs) return state.Key;
            State fresh;
            try
            {
                fresh = Read(KeyPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // A key file being replaced or removed: keep the key in force, and look again in a second.
                fresh = state with { ReadAt = Environment.TickCount64 };
            }
            _state = fresh.Text == state.Text ? state with { ReadAt = fresh.ReadAt } : fresh;
            return _state.Key;
        }
    }

    /// <summary>A token for <paramref name="caller"/>, valid from now for <paramref name="lifetime"/>.</summary>
    public string Mint(Caller caller, TimeSpan lifetime, DateTimeOffset now)
    {
        // jti: two tokens minted in the same second for the same user still differ.
        var claims = new Dictionary<string, object> { ["sub"] = caller.Id, ["name"] = caller.Name, ["jti"] = Guid.NewGuid().ToString("N") };
        if (caller.Admin) claims["roles"] = new[] { Identity.AdminRole };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(CurrentKey(), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private static State Read(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & ~OwnerOnly) != 0)
            {
                // Someone else could read it and mint tokens: make it the owner's alone again (fails when not ours).
                File.SetUnixFileMode(path, OwnerOnly);
            }
        }
        var text = File.ReadAllText(path).Trim();
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The token signing key {path} is damaged (not base64): run rotate-key to make a new one.");
        }
        if (key.Length < KeyBytes)
            throw new InvalidOperationException($"The token signing key {path} is damaged ({key.Length} bytes, {KeyBytes} expected): run rotate-key to make a new one.");
        return new State(text, new ConfiguredSigningKey(key, IssuerName) { KeyId = KeyIdOf(key) }, Environment.TickCount64);
    }

    private static void Write(string path, bool replace)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        // Written to a file of its own first, owner-only from its creation, then renamed over the key.
        var temporary = Path.Combine(folder, $".{KeyFileName}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        try
        {
            using (var file = new FileStream(temporary, options))
            using (var writer = new StreamWriter(file))
            {
                writer.WriteLine(Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)));
                writer.Flush();
                file.Flush(flushToDisk: true);
            }
            if (replace) File.Move(temporary, path, overwrite: true);
            else
            {
                try
                {
                    File.Move(temporary, path, overwrite: false);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another process created it first: use theirs.
                }
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>A short id of the key (not the key), so a token names which key signed it.</summary>
    private static string KeyIdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..16];

    private sealed record State(string Text, ConfiguredSigningKey Key, long ReadAt);
}
