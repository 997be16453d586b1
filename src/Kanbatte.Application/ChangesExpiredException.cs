namespace Kanbatte.Application;

/// <summary>A changes cursor points at journal entries no longer kept (older than the retention, or from before a rebuild): the client starts over.</summary>
public sealed class ChangesExpiredException(string message) : Exception(message);
