namespace Kanbatte.Api;

/// <summary>
/// The one message of the push channel, <c>changed</c>: the project changed, and its changes feed reached
/// <see cref="Cursor"/>. It carries nothing else, so a client that misses one loses only latency (it pulls the feed).
/// </summary>
public sealed record ChangedMessage(string ProjectKey, string Cursor)
{
    /// <summary>The hub method clients listen to.</summary>
    public const string Target = "changed";
}
