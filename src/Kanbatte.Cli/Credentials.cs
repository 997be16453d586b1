using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kanbatte.Cli;

/// <summary>How the tool signs in to one server: a token given to <c>kanbatte login</c>, or an Entra ID sign-in.</summary>
public sealed record ServerCredential(string? Token, EntraSignIn? Entra);

/// <summary>
/// What <c>kanbatte login --device</c> keeps to get fresh tokens later (MSAL's token cache, with the refresh token,
/// is a file of its own beside it): the authority, the client app, the scopes and the signed-in account.
/// </summary>
public sealed record EntraSignIn(string Authority, string ClientId, string[] Scopes, string? AccountId);

/// <summary>
/// <c>credentials.json</c> in the config folder (0600): one entry per server, keyed by its address, so a token for the
/// self-hosted server is never sent to the function app or the other way round.
/// </summary>
public static class Credentials
{
    public const string FileName = "credentials.json";

    public static ServerCredential? For(Uri server)
    {
        var entry = Load()[Key(server)];
        if (entry is null) return null;
        try
        {
            return entry.Deserialize<ServerCredential>(Output.CompactJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static void Save(Uri server, ServerCredential credential)
    {
        var all = Load();
        all[Key(server)] = JsonSerializer.SerializeToNode(credential, Output.CompactJson);
        ConfigFiles.WriteText(FileName, new JsonObject { ["servers"] = all }.ToJsonString(Output.IndentedJson));
    }

    /// <summary>Forgets the server's credential; true when there was one.</summary>
    public static bool Remove(Uri server)
    {
        var all = Load();
        if (!all.Remove(Key(server))) return false;
        ConfigFiles.WriteText(FileName, new JsonObject { ["servers"] = all }.ToJsonString(Output.IndentedJson));
        return true;
    }

    private static JsonObject Load()
    {
        var text = ConfigFiles.ReadText(FileName);
        if (text is null) return [];
        try
        {
            return JsonNode.Parse(text)?["servers"] is JsonObject servers ? (JsonObject)servers.DeepClone() : [];
        }
        catch (JsonException)
        {
            throw CliException.Usage($"{ConfigFiles.PathOf(FileName)} is not valid JSON: remove it and sign in again.");
        }
    }

    private static string Key(Uri server) => server.GetLeftPart(UriPartial.Path).TrimEnd('/');
}
