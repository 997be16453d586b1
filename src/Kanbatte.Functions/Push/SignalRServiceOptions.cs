namespace Kanbatte.Functions.Push;

/// <summary>
/// Azure SignalR Service in serverless mode (<c>Kanbatte:SignalR</c>): its endpoint (<c>https://name.service.signalr.net</c>,
/// set by the Bicep) and the hub's name. Without an endpoint the function app pushes nothing and its negotiate route
/// answers 404: clients then only pull the changes feed.
/// </summary>
public sealed class SignalRServiceOptions
{
    public const string Section = "Kanbatte:SignalR";

    public Uri? Endpoint { get; set; }

    /// <summary>Letters, digits and underscores, starting with a letter (the service's rule for hub names).</summary>
    public string Hub { get; set; } = "kanbatte";
}
