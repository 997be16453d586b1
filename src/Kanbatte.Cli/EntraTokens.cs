using System.Net;
using Microsoft.Identity.Client;

namespace Kanbatte.Cli;

/// <summary>
/// Tokens from Microsoft Entra ID through MSAL: <c>kanbatte login --device</c> signs in with the device-code flow, and
/// every later command asks MSAL for a token silently, which refreshes it with the refresh token when it is about to
/// expire (Entra access tokens last about an hour). MSAL's token cache is <c>msal-cache.bin</c> in the config folder
/// (0600).
/// </summary>
public sealed class EntraTokens(EntraSignIn signIn) : ITokenSource
{
    public const string CacheFile = "msal-cache.bin";

    private string? _token;
    private DateTimeOffset _expiresOn;

    public async Task<string> GetTokenAsync(CancellationToken ct)
    {
        if (_token is not null && _expiresOn > DateTimeOffset.UtcNow.AddMinutes(1)) return _token;
        var app = Build(signIn);
        var accounts = await app.GetAccountsAsync();
        var account = accounts.FirstOrDefault(a => a.HomeAccountId?.Identifier == signIn.AccountId) ?? accounts.FirstOrDefault();
        if (account is null) throw SignInAgain("no signed-in account is kept");
        try
        {
            var result = await app.AcquireTokenSilent(signIn.Scopes, account).ExecuteAsync(ct);
            (_token, _expiresOn) = (result.AccessToken, result.ExpiresOn);
            return result.AccessToken;
        }
        catch (MsalUiRequiredException e)
        {
            throw SignInAgain(e.Message);
        }
        catch (MsalServiceException e) when (e.StatusCode is 0 or >= 500)
        {
            throw new CliException(ExitCodes.Failure, $"The sign-in service did not answer: {OneLine(e.Message)}");
        }
        catch (MsalClientException e) when (e.InnerException is HttpRequestException or TaskCanceledException)
        {
            throw new CliException(ExitCodes.Failure, $"The sign-in service did not answer: {OneLine(e.Message)}");
        }
    }

    /// <summary>Signs in with the device-code flow: the code and where to enter it go to standard error.</summary>
    public static async Task<(EntraSignIn SignIn, string AccessToken)> SignInAsync(string authority, string clientId, string[] scopes,
        TextWriter messages, CancellationToken ct)
    {
        var pending = new EntraSignIn(authority, clientId, scopes, null);
        var app = Build(pending);
        try
        {
            var result = await app.AcquireTokenWithDeviceCode(scopes, code =>
            {
                messages.WriteLine(code.Message);
                messages.Flush();
                return System.Threading.Tasks.Task.CompletedTask;
            }).ExecuteAsync(ct);
            return (pending with { AccountId = result.Account?.HomeAccountId?.Identifier }, result.AccessToken);
        }
        catch (MsalServiceException e) when (e.StatusCode is >= 400 and < 500)
        {
            throw new CliException(ExitCodes.Refused, $"Sign-in refused: {OneLine(e.Message)}");
        }
        catch (MsalException e)
        {
            throw new CliException(ExitCodes.Failure, $"Sign-in failed: {OneLine(e.Message)}");
        }
    }

    /// <summary>
    /// The authority must be https, as MSAL requires; plain http is accepted on a loopback address only (a local
    /// stand-in of the sign-in service, as in the tests): MSAL is given the https address and its requests to that
    /// host and port go out as http.
    /// </summary>
    public static Uri CheckAuthority(string authority)
    {
        if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || uri.AbsolutePath.Trim('/').Length == 0)
            throw CliException.Usage($"--authority: '{authority}' is not an absolute URL with a tenant (https://login.microsoftonline.com/<tenant>).");
        if (uri.Scheme == Uri.UriSchemeHttps) return uri;
        if (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback) return uri;
        throw CliException.Usage($"--authority: '{authority}' must be https (plain http only on a loopback address).");
    }

    private static IPublicClientApplication Build(EntraSignIn signIn)
    {
        var authority = CheckAuthority(signIn.Authority);
        var builder = PublicClientApplicationBuilder.Create(signIn.ClientId).WithClientName("kanbatte-cli");
        if (authority.Scheme == Uri.UriSchemeHttp)
        {
            var https = new UriBuilder(authority) { Scheme = Uri.UriSchemeHttps, Port = authority.Port };
            builder = builder
                .WithAuthority(https.Uri.ToString(), validateAuthority: false)
                .WithInstanceDiscovery(false)
                .WithHttpClientFactory(new LoopbackHttp(authority.Host, authority.Port));
        }
        else
        {
            builder = builder.WithAuthority(authority.ToString());
        }
        var app = builder.Build();
        app.UserTokenCache.SetBeforeAccess(args =>
        {
            var bytes = ConfigFiles.ReadBytes(CacheFile);
            if (bytes is not null) args.TokenCache.DeserializeMsalV3(bytes, shouldClearExistingCache: true);
        });
        app.UserTokenCache.SetAfterAccess(args =>
        {
            if (args.HasStateChanged) ConfigFiles.WriteBytes(CacheFile, args.TokenCache.SerializeMsalV3());
        });
        return app;
    }

    private static CliException SignInAgain(string why) =>
        new(ExitCodes.Refused, $"The Entra ID sign-in has to be renewed ({OneLine(why)}): run 'kanbatte login --device' again.");

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>Sends MSAL's https requests for the loopback authority's host and port as plain http.</summary>
    private sealed class LoopbackHttp(string host, int port) : IMsalHttpClientFactory
    {
        private readonly HttpClient _client = new(new Downgrade(host, port));

        public HttpClient GetHttpClient() => _client;

        private sealed class Downgrade(string host, int port) : DelegatingHandler(new SocketsHttpHandler())
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (request.RequestUri is { } uri && uri.Scheme == Uri.UriSchemeHttps && uri.Host == host && uri.Port == port)
                    request.RequestUri = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttp, Port = port }.Uri;
                return base.SendAsync(request, cancellationToken);
            }
        }
    }
}
