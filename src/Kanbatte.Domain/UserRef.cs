namespace Kanbatte.Domain;

/// <summary>A user as an event names them: their opaque id and the display name known when the event was written.</summary>
public sealed record UserRef(string Id, string Name);
