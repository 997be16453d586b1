namespace Kanbatte.Application;

/// <summary>Who made a change, as the event log records it: the user's id and the display name their token carried then.</summary>
public sealed record Actor(string Id, string Name);
