using System.Globalization;
using Kanbatte.Api;
using Kanbatte.Application;
using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Server;

/// <summary>
/// <c>token &lt;userId&gt; [--name "..."] [--admin] [--days N]</c> prints a token of the local issuer (see
/// <see cref="LocalIssuer"/>) on standard output, and nothing else there, so <c>T=$(... token ann)</c> works;
/// <c>rotate-key</c> replaces the local issuer's key. Both refuse when an issuer is configured: the server would not
/// accept the local issuer's tokens then.
/// </summary>
public static class TokenCommand
{
    public const string Name = "token";
    public const string RotateKeyName = "rotate-key";
    public const int DefaultDays = 1;
    public const int MaxDays = 365;

    public const string Usage = "usage: token <userId> [--name \"Display Name\"] [--admin] [--days N]  (N = 1-365, default 1)";

    public static int Run(IConfiguration configuration, IReadOnlyList<string> args, TextWriter output, TextWriter error, TimeProvider? time = null)
    {
        if (Refused(configuration, error)) return 1;
        if (!TryParse(args, out var caller, out var days, out var problem))
        {
            error.WriteLine(problem);
            error.WriteLine(Usage);
            return 2;
        }
        var issuer = LocalIssuer.OpenOrCreate(LocalIssuer.KeyPathOf(configuration));
        var now = (time ?? TimeProvider.System).GetUtcNow();
        output.WriteLine(issuer.Mint(caller, TimeSpan.FromDays(days), now));
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"A token of {LocalIssuer.IssuerName} for '{caller.Id}'{(caller.Admin ? " (operator)" : "")}, valid until {now.AddDays(days):yyyy-MM-dd HH:mm} UTC. Send it as 'Authorization: Bearer <token>'; anyone holding it acts as this user."));
        return 0;
    }

    public static int RotateKey(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        if (Refused(configuration, error)) return 1;
        var path = LocalIssuer.KeyPathOf(configuration);
        LocalIssuer.Rotate(path);
        output.WriteLine($"Replaced the token signing key {path}: every token made before no longer works (a running server notices within a second).");
        return 0;
    }

    /// <summary>What the server says on start about getting a token (never a token itself).</summary>
    public static string Notice(TokenIssuers issuers, IConfiguration configuration)
    {
        if (issuers.Local is { } local)
        {
            var path = configuration["Kanbatte:Sqlite:Path"];
            var database = string.IsNullOrEmpty(path) || path == new SqliteOptions().Path ? "" : $" --Kanbatte:Sqlite:Path={path}";
            return $"Tokens: this server is its own issuer ({local.Issuer}, key {local.KeyPath}). Get one with: " +
                   $"dotnet run --project src/Kanbatte.Server -- {Name} <userId> [--name \"...\"] [--admin] [--days N]{database}; " +
                   "send it as 'Authorization: Bearer <token>'.";
        }
        return $"Tokens: accepted from {string.Join(", ", issuers.Settings.Issuers)} for {string.Join(", ", issuers.Settings.Audiences)} " +
               $"({BearerSettings.Section}); get one from that issuer (the local issuer and the token command are off).";
    }

    /// <summary>
    /// Splits the command's arguments from configuration (<c>--Section:Key=value</c> or <c>--Section:Key value</c>), so the
    /// host reads only the latter: its command-line parser would take <c>--admin --Kanbatte:Sqlite:Path=...</c> for one pair.
    /// </summary>
    public static (string[] Own, string[] Configuration) Split(IReadOnlyList<string> args)
    {
        var own = new List<string>();
        var configuration = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':', StringComparison.Ordinal))
            {
                configuration.Add(arg);
                if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Count) configuration.Add(args[++i]);
            }
            else own.Add(arg);
        }
        return ([.. own], [.. configuration]);
    }

    private static bool Refused(IConfiguration configuration, TextWriter error)
    {
        if (!BearerSettings.IsConfiguredIn(configuration)) return false;
        error.WriteLine($"Refused: {BearerSettings.Section} configures an issuer, so the server accepts only that issuer's tokens and not the local issuer's. " +
                        "Get a token from that issuer, or remove the setting to use the local issuer.");
        return true;
    }

    private static bool TryParse(IReadOnlyList<string> args, out Caller caller, out int days, out string problem)
    {
        caller = null!;
        days = DefaultDays;
        problem = "";
        string? id = null, name = null;
        var admin = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--admin":
                    admin = true;
                    break;
                case "--name" when i + 1 < args.Count:
                    name = args[++i];
                    break;
                case "--days" when i + 1 < args.Count:
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out days) || days is < 1 or > MaxDays)
                    {
                        problem = $"--days must be a whole number of days from 1 to {MaxDays}.";
                        return false;
                    }
                    break;
                case var option when option.StartsWith('-'):
                    problem = $"Unknown option {option}.";
                    return false;
                case var value when id is null:
                    id = value;
                    break;
                case var extra:
                    problem = $"Unexpected '{extra}': one user id only (quote a name with spaces).";
                    return false;
            }
        }
        if (id is null)
        {
            problem = "The user id is missing.";
            return false;
        }
        if (id.Length > Caller.MaxIdLength || id.Any(char.IsControl) || string.IsNullOrWhiteSpace(id))
        {
            problem = $"The user id must be 1-{Caller.MaxIdLength} characters without control characters.";
            return false;
        }
        if (name is not null && (string.IsNullOrWhiteSpace(name) || name.Any(char.IsControl)))
        {
            problem = "--name must be visible text without control characters.";
            return false;
        }
        caller = new Caller(id, name ?? id, admin);
        return true;
    }
}
