namespace Kanbatte.Cli;

/// <summary>Where the bearer token of each request comes from.</summary>
public interface ITokenSource
{
    Task<string> GetTokenAsync(CancellationToken ct);
}

/// <summary>A token given as it is: <c>KANBATTE_TOKEN</c>, or one kept by <c>kanbatte login</c>.</summary>
public sealed class StaticToken(string token) : ITokenSource
{
    public Task<string> GetTokenAsync(CancellationToken ct) => System.Threading.Tasks.Task.FromResult(token);
}

/// <summary>No token for the server: every request is refused before it is sent (exit 2).</summary>
public sealed class NoToken(Uri server) : ITokenSource
{
    public Task<string> GetTokenAsync(CancellationToken ct) => throw CliException.Usage(
        $"Not signed in to {server}: set KANBATTE_TOKEN, or run 'kanbatte login' (a token on standard input) or 'kanbatte login --device' (Entra ID).");
}

public static class TokenSources
{
    public const string TokenVariable = "KANBATTE_TOKEN";

    /// <summary><c>KANBATTE_TOKEN</c> first, then what <c>kanbatte login</c> kept for this server.</summary>
    public static ITokenSource For(Uri server)
    {
        var token = Environment.GetEnvironmentVariable(TokenVariable);
        if (!string.IsNullOrWhiteSpace(token)) return new StaticToken(token.Trim());
        return Credentials.For(server) switch
        {
            { Token: { Length: > 0 } kept } => new StaticToken(kept),
            { Entra: { } entra } => new EntraTokens(entra),
            _ => new NoToken(server),
        };
    }
}
